package org.macronet.jobs.analyze;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.macronet.analysis.figure.ColourRange;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.PatternRow;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.analysis.stats.RankCorrelation;

/**
 * The Gray-Scott part of the {@code analyze} job (docs/systems.md, "Science bars"; preprint fig. 6).
 * <ul>
 *   <li>{@link #design}: from the design sweep's outputs ({@link TuringDesignOutputs}), the bars
 *       (median percentile of the designs among random parameter sets at or below the 10th; F and
 *       k more important than D_a), the invalid designs counted by reason (reported, not a bar),
 *       and the figures: targets with their re-simulated designs (6A/6C) and the designed (F, k)
 *       and (D_a, D_b) per target (6B), and the importance of each parameter;</li>
 *   <li>{@link #heldOut}: Spearman's rho of each {@code macro_v_j} with each parameter and with
 *       {@code macro_u_j} on the held-out rows, and {@code macro_v_0} against {@code macro_v_1}
 *       coloured by F.</li>
 * </ul>
 * The pattern grid draws b over {@code [min(0, lowest b shown), max(0.5, highest b shown)]}: the
 * fixed range [0, 0.5] that holds Gray-Scott's b in practice, so that runs compare, widened when
 * a tile leaves it, so that no tile saturates.
 */
public final class TuringAnalysis {
  public static final String PATTERNS_FIGURE = "design_patterns.png";
  public static final String FK_FIGURE = "design_parameters_Fk.png";
  public static final String DADB_FIGURE = "design_parameters_DaDb.png";
  public static final String IMPORTANCE_FIGURE = "parameter_importance.png";
  public static final String MACROSTATE_FIGURE = "macrostate_v.png";
  /** Rows of the pattern grid: the targets of lowest {@code target_id}. */
  public static final int PATTERN_ROWS = 6;
  /** The bar on the designs' median percentile (random parameter sets: 50). */
  public static final double MEDIAN_PERCENTILE_BAR = 10;
  /** Quantile bins of F that colour the held-out macrostates. */
  public static final int F_BINS = 4;

  private static final List<String> PARAMETERS = TuringDesignOutputs.PARAMETERS;

  private TuringAnalysis() {}

  /**
   * The bars of a Gray-Scott run: {@code median percentile <= 10}, and
   * {@code importance(F) / importance(Da) >= 1} and likewise for k. A ratio is NaN, and fails,
   * when both importances are 0 or both infinite (nothing to rank); a finite importance over an
   * infinite one (no spread within targets) is 0, an infinite one over a finite one is infinite.
   *
   * @param importance by parameter name; a missing name counts as NaN
   */
  public static List<Metric> bars(double medianPercentile, Map<String, Double> importance) {
    double da = importance.getOrDefault("Da", Double.NaN);
    return List.of(
        Metric.atMost("median percentile of the designs among random parameter sets (random = 50)",
            medianPercentile, MEDIAN_PERCENTILE_BAR),
        Metric.atLeast("importance(F) / importance(Da)", importance.getOrDefault("F", Double.NaN) / da, 1),
        Metric.atLeast("importance(k) / importance(Da)", importance.getOrDefault("k", Double.NaN) / da, 1));
  }

  /**
   * The design sweep's part of the analysis: adds the bars to {@code bars}, lines that are not bars
   * (invalid designs, figures or values left out) to {@code notes}, the design summary to
   * {@code metrics} ({@code design_counts}), the figures to {@code figures} and a section to
   * {@code report}.
   */
  public static void design(TuringDesignOutputs design, Map<String, Object> metrics, List<Metric> bars,
      List<String> notes, Map<String, byte[]> figures, Report report) throws IOException {
    Map<String, Object> m = design.metrics();
    double median = TuringDesignOutputs.number(m.get("median_percentile"));
    double within10 = TuringDesignOutputs.number(m.get("fraction_within_10th_percentile"));
    Map<String, Double> importance = importance(m.get("importance"));
    bars.addAll(bars(median, importance));
    if (!Double.isFinite(median)) {
      notes.add("The design metrics give no finite median percentile (found " + m.get("median_percentile")
          + "): the percentile bar fails.");
    }

    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("targets", design.targets());
    counts.put("designs", design.designs());
    counts.put("valid", design.valid());
    counts.put("invalid", design.invalid());
    counts.put("invalid_by_reason", design.invalidByReason());
    metrics.put("design_counts", counts);
    notes.add(String.format(Locale.ROOT, "Invalid designs (counted and reported, never dropped; not a bar): %d of %d%s.",
        design.invalid(), design.designs(), design.invalidByReason().isEmpty() ? "" : " (" + reasons(design) + ")"));
    double reportedDesigns = TuringDesignOutputs.number(m.get("designs"));
    double reportedInvalid = m.get("invalid") instanceof Map<?, ?> inv ? TuringDesignOutputs.number(inv.get("count"))
        : Double.NaN;
    if (reportedInvalid != design.invalid() || reportedDesigns != design.designs()) {
      notes.add("The design metrics report " + count(reportedDesigns) + " designs, " + count(reportedInvalid)
          + " invalid; designs.parquet holds " + design.designs() + ", " + design.invalid() + " invalid.");
    }

    report.heading("Design sweep");
    report.paragraph("Each target's macrostate alpha = m_v(pattern) is designed into parameters u = f_u^-1([alpha, "
        + "eps]), which are re-simulated; a design's percentile is the rank of its descriptor distance to the target "
        + "among the distances of patterns from random prior parameters (random = 50, better is lower).");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("targets", design.targets());
    summary.put("designs per target", display(m.get("designs_per_target")));
    summary.put("designs", design.designs());
    summary.put("valid designs", design.valid());
    summary.put("invalid designs", design.invalid());
    summary.put("random reference patterns", display(m.get("random_reference")));
    summary.put("median percentile", median);
    summary.put("fraction within the 10th percentile", within10);
    report.table("design metric", "value", summary);
    if (design.invalidByReason().isEmpty()) {
      report.paragraph("No invalid designs.");
    } else {
      report.heading(3, "Invalid designs by reason");
      report.table("reason", "designs", design.invalidByReason());
    }
    report.heading(3, "Parameter importance");
    report.paragraph("Spread of the designed values across targets over the spread within a target "
        + "(ParameterImportance): about 1/sqrt(n) for a parameter the macrostate does not constrain; Infinity when "
        + "the designs of each target agree but targets differ, NaN when nothing spreads at all.");
    report.table("parameter", "importance", importance);
    List<String> drawn = new ArrayList<>();
    List<Double> drawnValues = new ArrayList<>();
    for (Map.Entry<String, Double> e : importance.entrySet()) {
      if (Double.isFinite(e.getValue())) {
        drawn.add(e.getKey());
        drawnValues.add(e.getValue());
      } else {
        notes.add("importance(" + e.getKey() + ") is " + e.getValue() + ": left out of " + IMPORTANCE_FIGURE + ".");
      }
    }
    if (!design.shown().isEmpty()) {
      report.heading(3, "Targets shown in the figures");
      Map<String, String> targets = new LinkedHashMap<>();
      for (TuringDesignOutputs.Target t : design.shown()) {
        targets.put("target " + t.id(), describe(t));
      }
      report.table("target", "parameters, designs", targets);
    }
    patterns(design, notes, figures);
    parameters(design, FK_FIGURE, "F", "k", notes, figures);
    parameters(design, DADB_FIGURE, "Da", "Db", notes, figures);
    if (!drawn.isEmpty()) {
      figures.put(IMPORTANCE_FIGURE, AnalyzeJob.png(out -> Figures.bars("Parameter importance (across / within targets)",
          "importance", drawn, drawnValues.stream().mapToDouble(Double::doubleValue).toArray(), out)));
    }
  }

  /**
   * The held-out part: Spearman's rho of {@code macro_v_j} with each parameter
   * ({@code spearman_macro_v_<j>_<parameter>}) and with {@code macro_u_j}
   * ({@code spearman_macro_u_v_<j>}), NaN where undefined (a constant or non-finite column), a
   * report section, and {@link #MACROSTATE_FIGURE}.
   *
   * @param uColumns the u columns of {@code held}, in order; they must include Da, Db, F and k
   * @param mu the held-out rows' macro_u, {@code d} per row; {@code mv} likewise
   */
  public static void heldOut(List<String> uColumns, HeldOutMacrostates held, Map<String, Object> metrics,
      List<String> notes, Map<String, byte[]> figures, Report report) throws IOException {
    int n = held.rows();
    int d = held.d();
    float[] mu = held.mu();
    float[] mv = held.mv();
    double[][] parameters = new double[PARAMETERS.size()][n];
    for (int p = 0; p < PARAMETERS.size(); p++) {
      int c = uColumns.indexOf(PARAMETERS.get(p));
      if (c < 0) {
        throw new IllegalArgumentException("the model's u columns " + uColumns + " lack " + PARAMETERS.get(p)
            + ", a Gray-Scott parameter");
      }
      for (int i = 0; i < n; i++) {
        parameters[p][i] = held.u()[i * held.uDim() + c];
      }
    }
    double[][] macroU = columns(mu, n, d);
    double[][] macroV = columns(mv, n, d);
    Map<String, Double> table = new LinkedHashMap<>();
    for (int j = 0; j < d; j++) {
      for (int p = 0; p < PARAMETERS.size(); p++) {
        double rho = spearman(macroV[j], parameters[p]);
        metrics.put("spearman_macro_v_" + j + "_" + PARAMETERS.get(p), rho);
        table.put("macro_v_" + j + " ~ " + PARAMETERS.get(p), rho);
      }
    }
    for (int j = 0; j < d; j++) {
      double rho = spearman(macroU[j], macroV[j]);
      metrics.put("spearman_macro_u_v_" + j, rho);
      table.put("macro_u_" + j + " ~ macro_v_" + j, rho);
    }
    report.heading("What the macrostate carries");
    report.paragraph("Spearman's rank correlation on the " + n + " held-out rows of each macrostate of the pattern "
        + "(macro_v_j) with each parameter, and of the parameters' macrostate with the pattern's (macro_u_j ~ "
        + "macro_v_j; near +-1 when both sides agree). NaN: a constant or non-finite column.");
    report.table("pair", "Spearman rho", table);

    int f = PARAMETERS.indexOf("F");
    double[] y = d >= 2 ? macroV[1] : parameters[f];
    List<Series> series = fBins(macroV[0], y, parameters[f]);
    if (series.isEmpty()) {
      notes.add(MACROSTATE_FIGURE + " not drawn: no held-out row has finite macrostates.");
      return;
    }
    figures.put(MACROSTATE_FIGURE, AnalyzeJob.png(out -> Figures.scatter(
        "Macrostates of held-out patterns, coloured by F", "macro_v_0", d >= 2 ? "macro_v_1" : "F", series, out)));
  }

  /** Points (x_i, y_i) in {@link #F_BINS} bins of equal count by the rank of F, each named by its F range. */
  static List<Series> fBins(double[] x, double[] y, double[] f) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && Double.isFinite(f[i])) {
        kept.add(i);
      }
    }
    kept.sort((a, b) -> Double.compare(f[a], f[b]));
    List<Series> out = new ArrayList<>();
    int n = kept.size();
    for (int b = 0; b < F_BINS; b++) {
      int from = (int) ((long) b * n / F_BINS);
      int to = (int) ((long) (b + 1) * n / F_BINS);
      if (to <= from) {
        continue;
      }
      double[] xs = new double[to - from];
      double[] ys = new double[to - from];
      for (int k = from; k < to; k++) {
        xs[k - from] = x[kept.get(k)];
        ys[k - from] = y[kept.get(k)];
      }
      out.add(new Series("F in [" + g(f[kept.get(from)]) + ", " + g(f[kept.get(to - 1)]) + "]", xs, ys));
    }
    return out;
  }

  /**
   * The importance of each parameter, in the order Da, Db, F, k, from the metrics' {@code importance}
   * object; NaN for a missing object, a missing name or a value that is not a number.
   */
  static Map<String, Double> importance(Object value) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String p : PARAMETERS) {
      out.put(p, value instanceof Map<?, ?> map ? TuringDesignOutputs.number(map.get(p)) : Double.NaN);
    }
    return out;
  }

  private static void patterns(TuringDesignOutputs design, List<String> notes, Map<String, byte[]> figures)
      throws IOException {
    List<PatternRow> rows = new ArrayList<>();
    int size = 0;
    int skipped = 0;
    DoubleStream.Builder shownB = DoubleStream.builder();
    for (TuringDesignOutputs.Target t : design.shown()) {
      if (rows.size() == PATTERN_ROWS) {
        break;
      }
      if (t.pattern() == null) {
        continue;
      }
      if (size == 0) {
        size = side(t.pattern());
      }
      if (!drawable(t.pattern(), size)) {
        skipped++;
        continue;
      }
      List<float[]> tiles = new ArrayList<>(List.of(t.pattern()));
      for (TuringDesignOutputs.Design d : design.designsOf(t.id())) {
        if (d.pattern() == null) {
          continue;
        }
        if (drawable(d.pattern(), size)) {
          tiles.add(d.pattern());
        } else {
          skipped++;
        }
      }
      for (float[] tile : tiles) {
        for (int i = size * size; i < tile.length; i++) {
          shownB.add(tile[i]);
        }
      }
      rows.add(new PatternRow(String.format(Locale.ROOT, "target %d: %s", t.id(), Double.isFinite(t.medianPercentile())
          ? String.format(Locale.ROOT, "median pct %.1f", t.medianPercentile()) : "no valid design"), tiles));
    }
    if (skipped > 0) {
      notes.add(PATTERNS_FIGURE + ": " + skipped + " pattern(s) left out: not 2 x " + size + " x " + size
          + " values or b not finite.");
    }
    if (rows.isEmpty()) {
      notes.add(PATTERNS_FIGURE + " not drawn: no shown target has a drawable pattern.");
      return;
    }
    int side = size;
    ColourRange range = ColourRange.of(shownB.build().toArray());
    notes.add(PATTERNS_FIGURE + ": b, " + range.describe() + ".");
    figures.put(PATTERNS_FIGURE, AnalyzeJob.png(out -> Figures.patternGrid(
        "Targets (framed) and the patterns of their designs, re-simulated (b)", rows, side, range, out)));
  }

  private static void parameters(TuringDesignOutputs design, String name, String xName, String yName,
      List<String> notes, Map<String, byte[]> figures) throws IOException {
    int xi = PARAMETERS.indexOf(xName);
    int yi = PARAMETERS.indexOf(yName);
    List<Series> series = new ArrayList<>();
    List<Series> marks = new ArrayList<>();
    for (TuringDesignOutputs.Target t : design.shown()) {
      List<double[]> points = new ArrayList<>();
      for (TuringDesignOutputs.Design d : design.designsOf(t.id())) {
        points.add(new double[] {d.parameters()[xi], d.parameters()[yi]});
      }
      Series s = series("target " + t.id(), points);
      if (s != null) {
        series.add(s);
        // the target's own parameters (absent for patterns from a file), in its designs' colour
        marks.add(series("target " + t.id() + " parameters",
            List.<double[]>of(new double[] {t.parameters()[xi], t.parameters()[yi]})));
      }
    }
    if (series.isEmpty()) {
      notes.add(name + " not drawn: the shown targets have no valid design.");
      return;
    }
    figures.put(name, AnalyzeJob.png(out -> Figures.scatter("Designed (" + xName + ", " + yName
        + ") per target (diamonds: each target's own)", xName, yName, series, marks, out)));
  }

  /** The finite points as a series, or null when there are none. */
  private static Series series(String name, List<double[]> points) {
    double[][] finite = points.stream().filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1]))
        .toArray(double[][]::new);
    if (finite.length == 0) {
      return null;
    }
    return new Series(name, Arrays.stream(finite).mapToDouble(p -> p[0]).toArray(),
        Arrays.stream(finite).mapToDouble(p -> p[1]).toArray());
  }

  /** The grid side of a pattern of {@code 2 size^2} values, or 0 when its length is not of that form. */
  static int side(float[] pattern) {
    int size = (int) Math.round(Math.sqrt(pattern.length / 2.0));
    return size >= 1 && 2 * size * size == pattern.length ? size : 0;
  }

  private static boolean drawable(float[] pattern, int size) {
    if (size == 0 || pattern.length != 2 * size * size) {
      return false;
    }
    for (int i = size * size; i < pattern.length; i++) {
      if (!Float.isFinite(pattern[i])) {
        return false;
      }
    }
    return true;
  }

  private static String describe(TuringDesignOutputs.Target t) {
    double[] p = t.parameters();
    StringBuilder sb = new StringBuilder();
    sb.append(t.sampleId() == null ? "not from the dataset" : "sample " + t.sampleId());
    if (Arrays.stream(p).anyMatch(Double::isFinite)) {
      sb.append("; Da ").append(g(p[0])).append(", Db ").append(g(p[1])).append(", F ").append(g(p[2]))
          .append(", k ").append(g(p[3]));
    }
    sb.append(Double.isFinite(t.medianPercentile())
        ? String.format(Locale.ROOT, "; median pct %.1f", t.medianPercentile()) : "; no valid design");
    return sb.append("; ").append(t.validDesigns()).append(" valid designs").toString();
  }

  /** 4 significant digits without trailing zeros: {@code 0.16000001 -> 0.16}, {@code 0.0312512 -> 0.03125}. */
  static String g(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String reasons(TuringDesignOutputs design) {
    List<String> parts = new ArrayList<>();
    design.invalidByReason().forEach((reason, count) -> parts.add(reason + ": " + count));
    return String.join(", ", parts);
  }

  /** A count from the metrics, "no count of" when they have none. */
  private static String count(double value) {
    return Double.isNaN(value) ? "no count of" : g(value);
  }

  /** A metric for a table as the design job wrote it, "not reported" when absent. */
  private static Object display(Object value) {
    return value == null ? "not reported" : value;
  }

  private static double[][] columns(float[] values, int n, int d) {
    double[][] out = new double[d][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        out[j][i] = values[i * d + j];
      }
    }
    return out;
  }

  /** Spearman's rho, NaN when it is undefined (fewer than 2 rows, a constant or non-finite column). */
  private static double spearman(double[] x, double[] y) {
    if (x.length < 2 || Arrays.stream(x).anyMatch(v -> !Double.isFinite(v))
        || Arrays.stream(y).anyMatch(v -> !Double.isFinite(v))) {
      return Double.NaN;
    }
    return RankCorrelation.spearman(x, y);
  }
}
