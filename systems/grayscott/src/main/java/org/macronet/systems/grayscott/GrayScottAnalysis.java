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
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.Findings;
import org.macronet.experiment.Values;

/**
 * The Gray-Scott analysis (docs/systems.md, "Science bars"; preprint fig. 6).
 * <ul>
 *   <li>{@link #design}: from the design sweep's outputs, the bars
 *       (median percentile of the designs among random parameter sets at or below the 10th; F and
 *       k more important than D_a), the invalid designs counted by reason (reported, not a bar),
 *       and the figures ({@link GrayScottFigures}): targets with their re-simulated designs
 *       (6A/6C) and the designed (F, k) and (D_a, D_b) per target (6B), and the importance of
 *       each parameter;</li>
 *   <li>{@link GrayScottHeldOut}: Spearman's rho of each {@code macro_v_j} with each parameter and
 *       with {@code macro_u_j} on the held-out rows, and {@code macro_v_0} against
 *       {@code macro_v_1} coloured by F.</li>
 * </ul>
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
   * The bars of a Gray-Scott run: the designs' median percentile at most 10 on the patterned
   * targets and on the uniform ones apart (the uniform ones are easy: most random parameters give
   * a flat field too, and they would hide the patterned ones in one median), and
   * {@code importance(F) / importance(Da) >= 1} and likewise for k. A median is NaN, and fails,
   * when no target is of its kind. A ratio is NaN, and fails, when both importances are 0 or both
   * infinite (nothing to rank); a finite importance over an infinite one (no spread within targets)
   * is 0, an infinite one over a finite one is infinite.
   *
   * @param importance by parameter name; a missing name counts as NaN
   */
  public static List<Metric> bars(double patternedMedian, double uniformMedian, Map<String, Double> importance) {
    double da = importance.getOrDefault("Da", Double.NaN);
    return List.of(
        Metric.atMost("median percentile of the designs among random parameter sets, patterned targets (random = 50)",
            patternedMedian, MEDIAN_PERCENTILE_BAR),
        Metric.atMost("median percentile of the designs among random parameter sets, uniform targets (random = 50)",
            uniformMedian, MEDIAN_PERCENTILE_BAR),
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
    double patterned = Values.number(m.get("median_percentile_patterned"));
    double uniform = Values.number(m.get("median_percentile_uniform"));
    bars(patterned, uniform, importance).forEach(out::bar);
    for (String kind : List.of("patterned", "uniform")) {
      if (!Double.isFinite(Values.number(m.get("median_percentile_" + kind)))) {
        out.note("The design metrics give no median percentile for " + kind + " targets (" + display(
            m.getOrDefault("targets_" + kind, "no count")) + " of them): its bar fails.");
      }
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
    summary.put("median percentile, all targets", median);
    summary.put("patterned targets", display(m.get("targets_patterned")));
    summary.put("median percentile, patterned targets", patterned);
    summary.put("uniform targets", display(m.get("targets_uniform")));
    summary.put("median percentile, uniform targets", uniform);
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
    GrayScottFigures.patterns(design, out);
    GrayScottFigures.parameters(design, FK_FIGURE, "F", "k", out);
    GrayScottFigures.parameters(design, DADB_FIGURE, "Da", "Db", out);
    if (!drawn.isEmpty()) {
      out.figure(IMPORTANCE_FIGURE, String.format(Locale.ROOT, "For each parameter, the spread across %d targets of "
          + "the mean designed value over the spread within a target (valid designs; a ratio, dimensionless).",
          design.targets()), o -> Figures.bars("Parameter importance (across / within targets)",
          "importance", drawn, drawnValues.stream().mapToDouble(Double::doubleValue).toArray(), o));
    }
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

  static int id(Map<String, Object> row) {
    return ((Number) row.get("target_id")).intValue();
  }

  static int validDesigns(Map<String, Object> target) {
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

}
