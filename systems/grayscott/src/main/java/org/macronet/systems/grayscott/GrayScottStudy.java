package org.macronet.systems.grayscott;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.macronet.analysis.pattern.DescriptorDistance;
import org.macronet.analysis.pattern.PatternDescriptor;
import org.macronet.analysis.stats.ParameterImportance;
import org.macronet.analysis.stats.PercentileRank;
import org.macronet.common.random.SampleSeeds;
import org.macronet.experiment.AnalysisInputs;
import org.macronet.experiment.Column;
import org.macronet.experiment.DesignRow;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Findings;
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Tally;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.experiment.TargetSummary;
import org.macronet.simulation.SampleBlock;

/**
 * The Gray-Scott design sweep: targets are the first {@code design.targets} held-out patterns by
 * sample id (or the rows of {@code design.targets-path}); each design u = (Da, Db, F, k) is checked
 * (finite, Da and Db positive, F and k not negative, dt 4 max(Da, Db) < 1: otherwise invalid, with
 * the reason, never dropped or clamped), the valid ones re-simulated from fresh initial states drawn
 * from the design's own seed, and each pattern scored by its descriptor distance to the target and
 * that distance's percentile rank among the distances of {@code design.random-samples} patterns from
 * random prior parameters to the same target (random = 50, better is lower). Invalid designs count as
 * percentile 100 in the medians. The analysis is {@link GrayScottAnalysis}.
 */
public final class GrayScottStudy implements DesignStudy {
  private static final long serialVersionUID = 1L;

  /** Reasons a design is invalid, as written to designs.parquet. */
  public static final String NON_FINITE = "non_finite_parameter";
  public static final String NOT_POSITIVE = "diffusion_not_positive";
  public static final String NEGATIVE_RATE = "negative_feed_or_kill";
  public static final String UNSTABLE = "unstable_time_step";
  public static final String DIVERGED = "non_finite_pattern";
  /** The percentile an invalid design counts as. */
  public static final double INVALID_SCORE = 100;

  private static final long SEED_SALT = 0x7475726e696e67L;
  private static final long REFERENCE_SALT = 0x7265666572656eL;
  private static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  private final GrayScottSystem system;
  private final DesignSettings settings;

  public GrayScottStudy(GrayScottSystem system, DesignSettings settings) {
    this.system = system;
    this.settings = settings;
  }

  /** What every scorer shares: the distance fitted on the reference, and the reference. */
  record Reference(DescriptorDistance distance, List<PatternDescriptor> patterns) implements Serializable {}

  @Override
  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("design.random-samples", settings.randomSamples());
    m.put("design.targets-path", settings.targetsPath());
    return m;
  }

  @Override
  public TargetChoice choice() {
    return TargetChoice.first(settings.targets());
  }

  @Override
  public int referenceSamples() {
    return settings.randomSamples();
  }

  @Override
  public long referenceSeed() {
    return SampleSeeds.mix64(settings.seed() ^ REFERENCE_SALT);
  }

  @Override
  public Serializable describeReference(SampleBlock block, int row) {
    return PatternDescriptor.of(block.arrays()[row], 0, system.settings().size());
  }

  @Override
  public Serializable prepare(List<Serializable> reference) {
    List<PatternDescriptor> patterns = reference.stream().map(PatternDescriptor.class::cast).toList();
    return new Reference(DescriptorDistance.fit(patterns), patterns);
  }

  /** The seed of design {@code design} of target {@code target}: its initial state's randomness. */
  public long designSeed(int target, int design) {
    return SampleSeeds.sampleSeed(SampleSeeds.sampleSeed(settings.seed() ^ SEED_SALT, target), design);
  }

  /** Why parameters (Da, Db, F, k) cannot be simulated with time step dt, or null when they can. */
  public static String invalidReason(double[] u, double dt) {
    for (double x : u) {
      if (!Double.isFinite(x)) {
        return NON_FINITE;
      }
    }
    if (!(u[0] > 0 && u[1] > 0)) {
      return NOT_POSITIVE;
    }
    if (u[2] < 0 || u[3] < 0) {
      return NEGATIVE_RATE;
    }
    if (dt * 4 * Math.max(u[0], u[1]) >= 1) {
      return UNSTABLE;
    }
    return null;
  }

  @Override
  public Scorer openScorer(Serializable context) {
    Reference reference = (Reference) context;
    GrayScottKernel kernel = GrayScottKernels.open(system.settings().kernel(), system.settings().threads());
    return new Scorer() {
      @Override
      public List<DesignRow> score(Target target, float[] alpha, float[] u, float[] v) {
        return GrayScottStudy.this.score(target, u, kernel, reference);
      }

      @Override
      public void close() {
        kernel.close();
      }
    };
  }

  /** The rows of {@code target}'s designs {@code u}, re-simulated with {@code kernel} and scored. */
  List<DesignRow> score(Target target, float[] u, GrayScottKernel kernel, Reference reference) {
    int size = system.settings().size();
    int samples = settings.samples();
    int uDim = PARAMETERS.size();
    PatternDescriptor goal = PatternDescriptor.of(target.v(), 0, size);
    double[] randomDistances = new double[reference.patterns().size()];
    for (int j = 0; j < randomDistances.length; j++) {
      randomDistances[j] = reference.distance().distance(reference.patterns().get(j), goal);
    }
    PercentileRank rank = PercentileRank.of(randomDistances);

    double[][] parameters = new double[samples][];
    String[] reasons = new String[samples];
    List<Integer> runnable = new ArrayList<>();
    for (int s = 0; s < samples; s++) {
      double[] p = new double[uDim];
      for (int c = 0; c < uDim; c++) {
        p[c] = u[s * uDim + c];
      }
      parameters[s] = p;
      reasons[s] = invalidReason(p, system.settings().dt());
      if (reasons[s] == null) {
        runnable.add(s);
      }
    }
    double[][] theta = new double[runnable.size()][];
    long[] seeds = new long[runnable.size()];
    for (int r = 0; r < theta.length; r++) {
      theta[r] = parameters[runnable.get(r)];
      seeds[r] = designSeed(target.id(), runnable.get(r));
    }
    float[][] patterns = system.simulate(kernel, theta, seeds);
    float[][] bySample = new float[samples][];
    for (int r = 0; r < theta.length; r++) {
      bySample[runnable.get(r)] = patterns[r];
    }
    List<DesignRow> out = new ArrayList<>(samples);
    for (int s = 0; s < samples; s++) {
      float[] pattern = bySample[s];
      String reason = reasons[s];
      if (reason == null && !finite(pattern)) {
        reason = DIVERGED;
      }
      Double d = null;
      Double pct = null;
      if (reason == null) {
        d = reference.distance().distance(PatternDescriptor.of(pattern, 0, size), goal);
        pct = rank.rank(d);
      } else {
        pattern = null;
      }
      double[] p = parameters[s];
      out.add(new DesignRow(s, new Object[] {p[0], p[1], p[2], p[3], designSeed(target.id(), s), reason == null,
          reason, pattern, d, pct}));
    }
    return out;
  }

  private static boolean finite(float[] p) {
    for (float x : p) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<Column> designColumns() {
    List<Column> c = new ArrayList<>();
    PARAMETERS.forEach(p -> c.add(Column.of(p, Column.Type.DOUBLE)));
    c.add(Column.of("seed", Column.Type.LONG));
    c.add(Column.of("valid", Column.Type.BOOLEAN));
    c.add(Column.nullable("invalid_reason", Column.Type.STRING));
    int size = system.settings().size();
    c.add(Column.array("pattern", 2, size, size));
    c.add(Column.nullable("distance", Column.Type.DOUBLE));
    c.add(Column.nullable("percentile", Column.Type.DOUBLE));
    return c;
  }

  @Override
  public List<String> summaryColumns() {
    return List.of("Da", "Db", "F", "k", "valid", "invalid_reason", "percentile");
  }

  @Override
  public List<Column> targetColumns() {
    List<Column> c = new ArrayList<>();
    PARAMETERS.forEach(p -> c.add(Column.nullable(p, Column.Type.DOUBLE)));
    c.add(Column.array("pattern"));
    c.add(Column.of("median_percentile", Column.Type.DOUBLE));
    c.add(Column.of("patterned", Column.Type.BOOLEAN));
    c.add(Column.of("valid_designs", Column.Type.INT));
    for (String p : PARAMETERS) {
      c.add(Column.nullable("mean_" + p, Column.Type.DOUBLE));
      c.add(Column.nullable("var_" + p, Column.Type.DOUBLE));
    }
    return c;
  }

  /**
   * A target pattern is uniform when each of its two fields spans less than this (max - min); the
   * prior's patterns span 0.1 to 1 when they form spots or stripes, and relax to a flat state
   * (b = 0, or a homogeneous equilibrium) within 1e-3 when they do not.
   */
  static final double UNIFORM_RANGE = 0.01;

  /** Whether {@code pattern} (a then b, each {@code length / 2} values) forms a pattern: either field spans {@link #UNIFORM_RANGE} or more. */
  static boolean patterned(float[] pattern) {
    int half = pattern.length / 2;
    for (int f = 0; f < 2; f++) {
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (int i = f * half; i < (f + 1) * half; i++) {
        lo = Math.min(lo, pattern[i]);
        hi = Math.max(hi, pattern[i]);
      }
      if (hi - lo >= UNIFORM_RANGE) {
        return true;
      }
    }
    return false;
  }

  private static String oneDecimal(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "none";
  }

  private static String kind(boolean patterned) {
    return patterned ? "patterned" : "uniform";
  }

  @Override
  public TargetSummary summarize(Target target, float[] alpha, List<Object[]> designs) {
    Tally tally = new Tally();
    boolean patterned = patterned(target.v());
    tally.count("targets." + kind(patterned), 1);
    double[] scores = new double[designs.size()];
    List<double[]> valid = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      Object[] d = designs.get(i);
      boolean ok = (Boolean) d[4];
      tally.count("designs", 1);
      if (ok) {
        double pct = (Double) d[6];
        scores[i] = pct;
        tally.count("valid", 1).observe("percentile", pct);
        valid.add(new double[] {(Double) d[0], (Double) d[1], (Double) d[2], (Double) d[3]});
      } else {
        scores[i] = INVALID_SCORE;
        tally.count("invalid." + (d[5] == null ? "unspecified" : d[5]), 1);
      }
      tally.observe("score", scores[i]);
      tally.observe("score." + kind(patterned), scores[i]);
      if (scores[i] <= 10.0) {
        tally.count("within10", 1);
      }
    }
    List<Object> values = new ArrayList<>();
    for (int c = 0; c < PARAMETERS.size(); c++) {
      values.add(target.u() == null ? null : (double) target.u()[c]);
    }
    values.add(target.v());
    values.add(org.macronet.analysis.stats.Summary.median(scores));
    values.add(patterned);
    values.add(valid.size());
    for (int c = 0; c < PARAMETERS.size(); c++) {
      double[] x = new double[valid.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = valid.get(i)[c];
      }
      values.add(x.length == 0 ? null : org.macronet.analysis.stats.Summary.mean(x));
      values.add(x.length < 2 ? null : sampleVariance(x));
    }
    return new TargetSummary(values.toArray(), tally);
  }

  /** sum (x_i - mean)^2 / (n - 1), n >= 2. */
  static double sampleVariance(double[] x) {
    double mean = org.macronet.analysis.stats.Summary.mean(x);
    double sum = 0;
    for (double v : x) {
      sum += (v - mean) * (v - mean);
    }
    return sum / (x.length - 1);
  }

  @Override
  public Map<String, Object> metrics(List<Map<String, Object>> targets, Tally tally) {
    Map<String, Object> m = new LinkedHashMap<>();
    long designs = tally.count("designs");
    long valid = tally.count("valid");
    m.put("system", GrayScottSystem.NAME);
    m.put("targets", targets.size());
    m.put("designs_per_target", settings.samples());
    m.put("designs", designs);
    m.put("valid", valid);
    m.put("invalid", Map.of("count", designs - valid, "by_reason", tally.countsUnder("invalid.")));
    m.put("random_reference", settings.randomSamples());
    m.put("temperature", settings.temperature());
    double median = tally.quantile("score", 0.5);
    m.put("median_percentile", median);
    m.put("median_percentile_note", "invalid designs count as percentile " + (int) INVALID_SCORE);
    m.put("median_percentile_valid", valid == 0 ? null : tally.quantile("percentile", 0.5));
    double within10 = (double) tally.count("within10") / designs;
    m.put("fraction_within_10th_percentile", within10);
    m.put("median_percentile_per_target", targets.stream().map(t -> t.get("median_percentile")).toList());
    // uniform targets are easy (most random parameters also give a flat field): each kind apart
    for (boolean patterned : new boolean[] {true, false}) {
      String kind = kind(patterned);
      m.put("targets_" + kind, tally.count("targets." + kind));
      double q = tally.quantile("score." + kind, 0.5);
      m.put("median_percentile_" + kind, Double.isFinite(q) ? (Object) q : null);
    }
    m.put("uniform_definition", "a target is uniform when both of its fields span less than " + UNIFORM_RANGE
        + " (max - min)");
    Map<String, Object> importance = new LinkedHashMap<>();
    for (String p : PARAMETERS) {
      double v = importance(targets, p);
      importance.put(p, Double.isFinite(v) ? (Object) v : String.valueOf(v));
    }
    m.put("importance", importance);
    m.put("importance_definition", "std over targets of the per-target mean of the designed value / sqrt(mean over "
        + "targets of its per-target variance), valid designs, targets with 2 or more");
    m.put("summary", String.format(Locale.ROOT, "median percentile %.1f (random = 50): %s on %d patterned targets, "
        + "%s on %d uniform ones; %.0f%% within the 10th, %d invalid", median,
        oneDecimal(tally.quantile("score.patterned", 0.5)), tally.count("targets.patterned"), oneDecimal(tally.quantile("score.uniform", 0.5)),
        tally.count("targets.uniform"), 100 * within10, designs - valid));
    return m;
  }

  /**
   * {@link ParameterImportance#ofSummaries} over the targets with 2 or more valid designs (their
   * per-target mean and sample variance of the designed value); NaN with fewer than 2 such targets.
   */
  static double importance(List<Map<String, Object>> targets, String parameter) {
    List<double[]> mv = new ArrayList<>();
    for (Map<String, Object> t : targets) {
      Object mean = t.get("mean_" + parameter);
      Object var = t.get("var_" + parameter);
      if (mean != null && var != null && Double.isFinite((Double) var)) {
        mv.add(new double[] {(Double) mean, Math.max(0, (Double) var)});
      }
    }
    if (mv.size() < 2) {
      return Double.NaN;
    }
    return ParameterImportance.ofSummaries(mv.stream().mapToDouble(x -> x[0]).toArray(),
        mv.stream().mapToDouble(x -> x[1]).toArray());
  }

  @Override
  public int shownTargets() {
    return GrayScottAnalysis.SHOWN_TARGETS;
  }

  @Override
  public int shownDesigns() {
    return GrayScottAnalysis.POINTS_PER_TARGET;
  }

  @Override
  public int shownDesignArrays() {
    return GrayScottAnalysis.PATTERNS_PER_TARGET;
  }

  @Override
  public void analyze(AnalysisInputs in, Findings out) throws IOException {
    GrayScottAnalysis.design(in.design(), out);
    GrayScottHeldOut.heldOut(in.uColumns(), in.held(), out);
  }
}
