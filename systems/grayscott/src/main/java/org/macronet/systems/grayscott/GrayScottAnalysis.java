package org.macronet.systems.grayscott;

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
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;
import org.macronet.experiment.Values;

/**
 * The Gray-Scott analysis (docs/systems.md, "Science bars"; preprint fig. 6).
 * <ul>
 *   <li>{@link #design}: from the design sweep's outputs, the bars
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
public final class GrayScottAnalysis {
  public static final String PATTERNS_FIGURE = "design_patterns.png";
  public static final String FK_FIGURE = "design_parameters_Fk.png";
  public static final String DADB_FIGURE = "design_parameters_DaDb.png";
  public static final String IMPORTANCE_FIGURE = "parameter_importance.png";
  public static final String MACROSTATE_FIGURE = "macrostate_v.png";
  /** Rows of the pattern grid: the targets of lowest {@code target_id}. */
  public static final int PATTERN_ROWS = 6;
  /** Targets whose designs the parameter figures draw (one colour each). */
  public static final int SHOWN_TARGETS = 8;
  /** Designs per shown target, of lowest design_id, whose parameters are read (the scatter's points). */
  public static final int POINTS_PER_TARGET = 1000;
  /** Designs per shown target, of lowest design_id, whose patterns are read (the pattern grid's tiles). */
  public static final int PATTERNS_PER_TARGET = 8;
  /** The bar on the designs' median percentile (random parameter sets: 50). */
  public static final double MEDIAN_PERCENTILE_BAR = 10;
  /** Quantile bins of F that colour the held-out macrostates. */
  public static final int F_BINS = 4;

  private static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  private GrayScottAnalysis() {}

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
   * The design sweep's part of the analysis: the bars, lines that are not bars (invalid designs,
   * figures or values left out) as notes, the design summary ({@code design_counts}), the figures
   * and a report section.
   */
  public static void design(DesignOutputs design, Findings out) throws IOException {
    Map<String, Object> m = design.metrics();
    Report report = out.report();
    double median = Values.number(m.get("median_percentile"));
    double within10 = Values.number(m.get("fraction_within_10th_percentile"));
    Map<String, Double> importance = importance(m.get("importance"));
    bars(median, importance).forEach(out::bar);
    if (!Double.isFinite(median)) {
      out.note("The design metrics give no finite median percentile (found " + m.get("median_percentile")
          + "): the percentile bar fails.");
    }
    long designs = (long) Values.number(m.get("designs"));
    long valid = (long) Values.number(m.get("valid"));
    Map<String, Long> byReason = new java.util.TreeMap<>();
    if (m.get("invalid") instanceof Map<?, ?> inv && inv.get("by_reason") instanceof Map<?, ?> reasons) {
      reasons.forEach((k, v) -> byReason.put(String.valueOf(k), (long) Values.number(v)));
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("targets", design.targets());
    counts.put("designs", designs);
    counts.put("valid", valid);
    counts.put("invalid", designs - valid);
    counts.put("invalid_by_reason", byReason);
    out.metric("design_counts", counts);
    out.note(String.format(Locale.ROOT, "Invalid designs (counted and reported, never dropped; not a bar): %d of %d%s.",
        designs - valid, designs, byReason.isEmpty() ? "" : " (" + reasons(byReason) + ")"));
    if (designs != design.designs()) {
      out.note("The design metrics report " + designs + " designs; designs.parquet holds " + design.designs() + ".");
    }

    report.heading("Design sweep");
    report.paragraph("Each target's macrostate alpha = m_v(pattern) is designed into parameters u = f_u^-1([alpha, "
        + "eps]), which are re-simulated; a design's percentile is the rank of its descriptor distance to the target "
        + "among the distances of patterns from random prior parameters (random = 50, better is lower).");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("targets", design.targets());
    summary.put("designs per target", display(m.get("designs_per_target")));
    summary.put("designs", designs);
    summary.put("valid designs", valid);
    summary.put("invalid designs", designs - valid);
    summary.put("random reference patterns", display(m.get("random_reference")));
    summary.put("median percentile", median);
    summary.put("fraction within the 10th percentile", within10);
    report.table("design metric", "value", summary);
    if (byReason.isEmpty()) {
      report.paragraph("No invalid designs.");
    } else {
      report.heading(3, "Invalid designs by reason");
      report.table("reason", "designs", byReason);
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
        out.note("importance(" + e.getKey() + ") is " + e.getValue() + ": left out of " + IMPORTANCE_FIGURE + ".");
      }
    }
    List<Map<String, Object>> shown = design.shownTargets();
    if (!shown.isEmpty()) {
      report.heading(3, "Targets shown in the figures");
      Map<String, String> targets = new LinkedHashMap<>();
      for (Map<String, Object> t : shown) {
        targets.put("target " + id(t), describe(t));
      }
      report.table("target", "parameters, designs", targets);
    }
    patterns(design, out);
    parameters(design, FK_FIGURE, "F", "k", out);
    parameters(design, DADB_FIGURE, "Da", "Db", out);
    if (!drawn.isEmpty()) {
      out.figure(IMPORTANCE_FIGURE, o -> Figures.bars("Parameter importance (across / within targets)",
          "importance", drawn, drawnValues.stream().mapToDouble(Double::doubleValue).toArray(), o));
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
  public static void heldOut(List<String> uColumns, HeldOut held, Findings out) throws IOException {
    Report report = out.report();
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
        out.metric("spearman_macro_v_" + j + "_" + PARAMETERS.get(p), rho);
        table.put("macro_v_" + j + " ~ " + PARAMETERS.get(p), rho);
      }
    }
    for (int j = 0; j < d; j++) {
      double rho = spearman(macroU[j], macroV[j]);
      out.metric("spearman_macro_u_v_" + j, rho);
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
      out.note(MACROSTATE_FIGURE + " not drawn: no held-out row has finite macrostates.");
      return;
    }
    out.figure(MACROSTATE_FIGURE, o -> Figures.scatter(
        "Macrostates of held-out patterns, coloured by F", "macro_v_0", d >= 2 ? "macro_v_1" : "F", series, o));
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
      out.put(p, value instanceof Map<?, ?> map ? Values.number(map.get(p)) : Double.NaN);
    }
    return out;
  }

  private static void patterns(DesignOutputs design, Findings out) throws IOException {
    List<PatternRow> rows = new ArrayList<>();
    int size = 0;
    int skipped = 0;
    DoubleStream.Builder shownB = DoubleStream.builder();
    for (Map<String, Object> t : design.shownTargets()) {
      if (rows.size() == PATTERN_ROWS) {
        break;
      }
      float[] target = Values.floats(t, "pattern");
      if (target == null) {
        continue;
      }
      if (size == 0) {
        size = side(target);
      }
      if (!drawable(target, size)) {
        skipped++;
        continue;
      }
      List<float[]> tiles = new ArrayList<>(List.of(target));
      for (Map<String, Object> d : design.designsOf(id(t))) {
        float[] pattern = Values.floats(d, "pattern");
        if (pattern == null) {
          continue;
        }
        if (drawable(pattern, size)) {
          tiles.add(pattern);
        } else {
          skipped++;
        }
      }
      for (float[] tile : tiles) {
        for (int i = size * size; i < tile.length; i++) {
          shownB.add(tile[i]);
        }
      }
      rows.add(new PatternRow(String.format(Locale.ROOT, "target %d: %s", id(t), validDesigns(t) > 0
          ? String.format(Locale.ROOT, "median pct %.1f", Values.number(t, "median_percentile")) : "no valid design"),
          tiles));
    }
    if (skipped > 0) {
      out.note(PATTERNS_FIGURE + ": " + skipped + " pattern(s) left out: not 2 x " + size + " x " + size
          + " values or b not finite.");
    }
    if (rows.isEmpty()) {
      out.note(PATTERNS_FIGURE + " not drawn: no shown target has a drawable pattern.");
      return;
    }
    int side = size;
    ColourRange range = ColourRange.of(shownB.build().toArray());
    out.note(PATTERNS_FIGURE + ": b, " + range.describe() + ".");
    out.figure(PATTERNS_FIGURE, o -> Figures.patternGrid(
        "Targets (framed) and the patterns of their designs, re-simulated (b)", rows, side, range, o));
  }

  private static void parameters(DesignOutputs design, String name, String xName, String yName, Findings out)
      throws IOException {
    int xi = PARAMETERS.indexOf(xName);
    int yi = PARAMETERS.indexOf(yName);
    List<Series> series = new ArrayList<>();
    List<Series> marks = new ArrayList<>();
    for (Map<String, Object> t : design.shownTargets()) {
      List<double[]> points = new ArrayList<>();
      for (Map<String, Object> d : design.designsOf(id(t))) {
        if (Boolean.TRUE.equals(d.get("valid"))) {
          points.add(new double[] {Values.number(d, xName), Values.number(d, yName)});
        }
      }
      Series s = series("target " + id(t), points);
      if (s != null) {
        series.add(s);
        // the target's own parameters (absent for patterns from a file), in its designs' colour
        marks.add(series("target " + id(t) + " parameters",
            List.<double[]>of(new double[] {Values.number(t, xName), Values.number(t, yName)})));
      }
    }
    if (series.isEmpty()) {
      out.note(name + " not drawn: the shown targets have no valid design.");
      return;
    }
    out.figure(name, o -> Figures.scatter("Designed (" + xName + ", " + yName
        + ") per target (diamonds: each target's own)", xName, yName, series, marks, o));
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

  private static int id(Map<String, Object> row) {
    return ((Number) row.get("target_id")).intValue();
  }

  private static int validDesigns(Map<String, Object> target) {
    return (int) Values.number(target, "valid_designs");
  }

  private static String describe(Map<String, Object> t) {
    double[] p = Values.numbers(t, PARAMETERS);
    StringBuilder sb = new StringBuilder();
    sb.append(t.get("target_sample_id") == null ? "not from the dataset" : "sample " + t.get("target_sample_id"));
    if (Arrays.stream(p).anyMatch(Double::isFinite)) {
      sb.append("; Da ").append(g(p[0])).append(", Db ").append(g(p[1])).append(", F ").append(g(p[2]))
          .append(", k ").append(g(p[3]));
    }
    sb.append(validDesigns(t) > 0
        ? String.format(Locale.ROOT, "; median pct %.1f", Values.number(t, "median_percentile")) : "; no valid design");
    return sb.append("; ").append(validDesigns(t)).append(" valid designs").toString();
  }

  /** 4 significant digits without trailing zeros: {@code 0.16000001 -> 0.16}, {@code 0.0312512 -> 0.03125}. */
  static String g(double v) {
    if (!Double.isFinite(v)) {
      return Double.toString(v);
    }
    return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String reasons(Map<String, Long> byReason) {
    List<String> parts = new ArrayList<>();
    byReason.forEach((reason, count) -> parts.add(reason + ": " + count));
    return String.join(", ", parts);
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
