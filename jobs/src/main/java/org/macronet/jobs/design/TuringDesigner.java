package org.macronet.jobs.design;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.macronet.analysis.pattern.DescriptorDistance;
import org.macronet.analysis.pattern.PatternDescriptor;
import org.macronet.analysis.stats.PercentileRank;
import org.macronet.common.random.SampleSeeds;
import org.macronet.systems.grayscott.GrayScottKernel;
import org.macronet.systems.grayscott.GrayScottSystem;
import org.macronet.training.flow.Standardization;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetSpec;

/**
 * Designs for one Gray-Scott target, in plain Java (a Spark task runs it per target): the
 * target's macrostate alpha = m_v(pattern); {@code samples} parameter sets u = f_u^{-1}([alpha,
 * eps]); each checked (finite, Da and Db positive, F and k not negative, dt 4 max(Da, Db) < 1:
 * otherwise invalid, with the reason, never dropped or clamped); the valid ones re-simulated from
 * fresh initial states drawn from the design's own seed; each pattern scored by its descriptor
 * distance to the target and that distance's percentile rank among the distances of the random
 * reference patterns to the same target (random = 50).
 */
public final class TuringDesigner {
  /** Reasons a design is invalid, as written to designs.parquet. */
  public static final String NON_FINITE = "non_finite_parameter";
  public static final String NOT_POSITIVE = "diffusion_not_positive";
  public static final String NEGATIVE_RATE = "negative_feed_or_kill";
  public static final String UNSTABLE = "unstable_time_step";
  public static final String DIVERGED = "non_finite_pattern";

  private static final long SEED_SALT = 0x7475726e696e67L;

  /** What a task needs to rebuild the trained network (MacroNet itself is not serialisable). */
  public record Model(MacroNetSpec spec, float[] meanU, float[] stdU, float[] meanV, float[] stdV, float[] params)
      implements Serializable {
    public MacroNet build() {
      return spec.build(new Standardization(meanU, stdU), new Standardization(meanV, stdV));
    }

    public static Model of(MacroNetSpec spec, MacroNet net, float[] params) {
      Standardization su = (Standardization) net.flowU().blocks().get(0);
      Standardization sv = (Standardization) net.flowV().blocks().get(0);
      return new Model(spec, su.mean(), su.std(), sv.mean(), sv.std(), params);
    }
  }

  /** A target: its pattern, where it came from and its own parameters (null when unknown). */
  public record Target(int targetId, Long sampleId, double[] parameters, float[] pattern) implements Serializable {}

  /** One design; pattern, distance and percentile are null when {@code invalidReason} is set. */
  public record Design(int targetId, int designId, Long targetSampleId, float[] alpha, double[] parameters, long seed,
      String invalidReason, float[] pattern, Double distance, Double percentile) implements Serializable {
    public boolean valid() {
      return invalidReason == null;
    }
  }

  private final MacroNet net;
  private final float[] params;
  private final GrayScottSystem system;
  private final long seed;
  private final double temperature;
  private final int samples;

  public TuringDesigner(Model model, GrayScottSystem system, long seed, double temperature, int samples) {
    this.net = model.build();
    this.params = model.params();
    this.system = system;
    this.seed = seed;
    this.temperature = temperature;
    this.samples = samples;
  }

  /** alpha = m_v(pattern), d values. */
  public float[] macrostate(float[] pattern) {
    return net.macrostatesV(params, pattern, 1);
  }

  /** The seed of design {@code design} of target {@code target}: its initial state's randomness. */
  public long designSeed(int target, int design) {
    return SampleSeeds.sampleSeed(SampleSeeds.sampleSeed(seed ^ SEED_SALT, target), design);
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

  /**
   * All designs of {@code target}, scored against {@code reference} (descriptors of the random
   * prior patterns) with {@code distance}.
   */
  public List<Design> design(Target target, GrayScottKernel kernel, DescriptorDistance distance,
      List<PatternDescriptor> reference) {
    int size = system.settings().size();
    float[] alpha = macrostate(target.pattern());
    float[] u = DesignJob.designBatch(net, params, true, alpha, target.targetId(), samples, seed, temperature);
    int uDim = net.uDim();
    PatternDescriptor goal = PatternDescriptor.of(target.pattern(), 0, size);
    double[] randomDistances = new double[reference.size()];
    for (int j = 0; j < randomDistances.length; j++) {
      randomDistances[j] = distance.distance(reference.get(j), goal);
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
      seeds[r] = designSeed(target.targetId(), runnable.get(r));
    }
    float[][] patterns = system.simulate(kernel, theta, seeds);
    float[][] bySample = new float[samples][];
    for (int r = 0; r < theta.length; r++) {
      bySample[runnable.get(r)] = patterns[r];
    }
    List<Design> out = new ArrayList<>(samples);
    for (int s = 0; s < samples; s++) {
      float[] pattern = bySample[s];
      String reason = reasons[s];
      if (reason == null && !finite(pattern)) {
        reason = DIVERGED;
      }
      Double d = null;
      Double pct = null;
      if (reason == null) {
        d = distance.distance(PatternDescriptor.of(pattern, 0, size), goal);
        pct = rank.rank(d);
      } else {
        pattern = null;
      }
      out.add(new Design(target.targetId(), s, target.sampleId(), alpha.clone(), parameters[s],
          designSeed(target.targetId(), s), reason, pattern, d, pct));
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
}
