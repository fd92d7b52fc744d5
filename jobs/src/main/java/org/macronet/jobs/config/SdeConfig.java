package org.macronet.jobs.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.training.sde.SigmaMode;

/**
 * The settings of the learned-SDE method's jobs: {@code direct} (runs of the large lattice that
 * judge the model), {@code train} of the SDE on {@code <output.dir>/pairs}, {@code rollout} and the
 * evaluation of {@code analyze}.
 *
 * @param system      the configured system (a spin system, checked by the jobs)
 * @param outputDir   the run directory
 * @param overwrite   whether finished outputs may be replaced
 * @param latticeSize the side of the lattice the SDE is learned for ({@code upsample.size})
 * @param progressSeconds seconds between progress lines, 0 for none
 */
public record SdeConfig(SimulatedSystem system, String outputDir, boolean overwrite, int latticeSize, int patch,
                        Direct direct, Closure closure, Fit fit, Rollout rollout, Evaluation evaluation,
                        int progressSeconds) implements Serializable {
  public static final String DIRECT = "direct";
  public static final String ROLLOUTS = "rollouts";
  public static final String ANALYSIS = "analysis";
  public static final String CLOSURE = "closure";
  public static final String ENCODED = "encoded";

  /**
   * {@code closure.*}: the learned closure (0 dimensions: none, the SDE runs on the observables),
   * the autoencoder's encoder channels, and its training ({@code partitions} blocks, each block's
   * share of a minibatch one batch-norm batch).
   */
  public record Closure(int dimension, int[] channels, long steps, int batch, double learningRate, long seed,
                        int partitions) implements Serializable {
    public Closure {
      ConfigException.require(dimension >= 0, "closure.dimension", "must be non-negative (0: none), found " + dimension);
      ConfigException.require(channels.length >= 1, "closure.channels", "must name at least one stage's channels");
      for (int c : channels) {
        ConfigException.require(c >= 1, "closure.channels", "must be positive, found " + Arrays.toString(channels));
      }
      ConfigException.require(steps >= 1, "closure.steps", "must be positive, found " + steps);
      ConfigException.require(batch >= 2, "closure.batch", "must be at least 2, found " + batch);
      ConfigException.require(learningRate > 0 && Double.isFinite(learningRate), "closure.learning-rate",
          "must be positive, found " + learningRate);
      ConfigException.require(partitions >= 1, "closure.partitions", "must be positive, found " + partitions);
    }

    public boolean enabled() {
      return dimension > 0;
    }

    public Map<String, Object> resolved() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("closure.dimension", dimension);
      if (dimension > 0) {
        out.put("closure.channels", Arrays.toString(channels));
        out.put("closure.steps", steps);
        out.put("closure.batch", batch);
        out.put("closure.learning-rate", learningRate);
        out.put("closure.seed", seed);
        out.put("closure.partitions", partitions);
      }
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Closure c && resolved().equals(c.resolved());
    }

    @Override
    public int hashCode() {
      return resolved().hashCode();
    }
  }

  /**
   * {@code direct.*}: {@code runs} runs per start, of {@code size} sites a side (0: the learned
   * lattice's or line's). A spin system starts from each initial magnetisation in {@code starts} and
   * runs {@code sweeps} sweeps; a field system starts from each point of the product of the
   * parameter values in {@code grid} ({@code direct.grid.<parameter>}, in the prior's order, the
   * last varying fastest) and runs {@code steps} steps. {@code snapshotEvery} counts sweeps or steps.
   */
  public record Direct(int runs, double[] starts, int size, int sweeps, int snapshotEvery, int partitions, long seed,
                       int steps, Map<String, double[]> grid) implements Serializable {
    public Direct {
      ConfigException.require(runs >= 1, "direct.runs", "must be positive, found " + runs);
      for (double m0 : starts) {
        ConfigException.require(m0 >= -1 && m0 <= 1, "direct.starts", "magnetisations must be in [-1, 1], found "
            + Arrays.toString(starts));
      }
      ConfigException.require(size == 0 || (size >= 2 && size <= 4096), "direct.size",
          "must be 0 (upsample.size) or in [2, 4096], found " + size);
      ConfigException.require(sweeps >= 1, "direct.sweeps", "must be positive, found " + sweeps);
      ConfigException.require(steps >= 0, "direct.steps", "must be non-negative, found " + steps);
      ConfigException.require(snapshotEvery >= 1, "direct.snapshot-every", "must be positive, found " + snapshotEvery);
      if (grid.isEmpty()) {
        ConfigException.require(sweeps % snapshotEvery == 0, "direct.snapshot-every",
            "must divide direct.sweeps = " + sweeps + ", found " + snapshotEvery);
      } else {
        ConfigException.require(steps >= 1, "direct.steps", "must be positive for a field system's direct runs, found "
            + steps);
        ConfigException.require(steps % snapshotEvery == 0, "direct.snapshot-every",
            "must divide direct.steps = " + steps + ", found " + snapshotEvery);
        for (Map.Entry<String, double[]> e : grid.entrySet()) {
          ConfigException.require(e.getValue().length >= 1, "direct.grid." + e.getKey(), "must list at least one value");
        }
      }
      ConfigException.require(partitions >= 1, "direct.partitions", "must be positive, found " + partitions);
      grid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    }

    /** The starts of a field system: each point of the grid's product, the last parameter varying fastest. */
    public double[][] gridStarts() {
      List<double[]> values = new ArrayList<>(grid.values());
      int n = 1;
      for (double[] v : values) {
        n *= v.length;
      }
      double[][] out = new double[n][values.size()];
      for (int i = 0; i < n; i++) {
        int rest = i;
        for (int p = values.size() - 1; p >= 0; p--) {
          out[i][p] = values.get(p)[rest % values.get(p).length];
          rest /= values.get(p).length;
        }
      }
      return out;
    }

    /** How many starts: the magnetisations, or the grid's points. */
    public int startCount() {
      return grid.isEmpty() ? starts.length : gridStarts().length;
    }

    public long samples() {
      return (long) runs * startCount();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Direct d && runs == d.runs && Arrays.equals(starts, d.starts) && size == d.size
          && sweeps == d.sweeps && snapshotEvery == d.snapshotEvery && partitions == d.partitions && seed == d.seed
          && steps == d.steps && gridText().equals(d.gridText());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(starts) * 31 + Long.hashCode(seed) + runs;
    }

    /** The grid as configuration text: {@code m = [0.45, 0.5], k = [...]}. */
    public String gridText() {
      List<String> parts = new ArrayList<>();
      grid.forEach((k, v) -> parts.add(k + " = " + Arrays.toString(v)));
      return String.join(", ", parts);
    }

    @Override
    public String toString() {
      return "Direct[runs=" + runs + ", starts=" + (grid.isEmpty() ? Arrays.toString(starts) : gridText()) + ", size="
          + size + ", sweeps=" + sweeps + ", steps=" + steps + "]";
    }
  }

  /** {@code sde.*}: the model and its training. */
  public record Fit(boolean naive, String naivePairs, double lambda, double eps, int[] hidden, SigmaMode sigma, long steps, int batch,
                    double learningRate, double initialSigma, long seed, int partitions, long checkpointEvery,
                    boolean standardise)
      implements Serializable {
    public static final String REFERENCE = "reference";
    public static final String PATCH = "patch";

    public Fit {
      ConfigException.require(naivePairs.equals(REFERENCE) || naivePairs.equals(PATCH), "sde.naive-pairs",
          "must be reference or patch, found '" + naivePairs + "'");
      ConfigException.require(lambda >= 0 && Double.isFinite(lambda), "sde.lambda",
          "must be 0 (K, or 1 for the naive model) or positive, found " + lambda);
      ConfigException.require(eps > 0 && Double.isFinite(eps), "sde.eps", "must be positive, found " + eps);
      for (int w : hidden) {
        ConfigException.require(w >= 1, "sde.hidden", "widths must be positive, found " + Arrays.toString(hidden));
      }
      ConfigException.require(steps >= 1, "sde.steps", "must be positive, found " + steps);
      ConfigException.require(batch >= 1, "sde.batch", "must be positive, found " + batch);
      ConfigException.require(learningRate > 0 && Double.isFinite(learningRate), "sde.learning-rate",
          "must be positive, found " + learningRate);
      ConfigException.require(initialSigma > 0 && Double.isFinite(initialSigma), "sde.initial-sigma",
          "must be positive, found " + initialSigma);
      ConfigException.require(partitions >= 1, "sde.partitions", "must be positive, found " + partitions);
      ConfigException.require(checkpointEvery >= 0, "sde.checkpoint-every", "must be non-negative (0: none), found "
          + checkpointEvery);
    }

    /** The model's folder under the run directory, and its name in rollouts and the analysis. */
    public String modelName() {
      return naive ? "sde-naive" : "sde";
    }

    /** lambda for pairs of {@code patches} patches: the configured value, or K (1 for the naive model). */
    public double lambdaFor(int patches) {
      return lambda > 0 ? lambda : naive ? 1 : patches;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Fit f && resolved(0).equals(f.resolved(0));
    }

    @Override
    public int hashCode() {
      return resolved(0).hashCode();
    }

    /** The settings as configuration keys; {@code patches} > 0 resolves lambda. */
    public Map<String, Object> resolved(int patches) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("sde.naive", naive);
      if (naive) {
        out.put("sde.naive-pairs", naivePairs);
      }
      out.put("sde.lambda", patches > 0 ? lambdaFor(patches) : lambda);
      out.put("sde.eps", eps);
      if (standardise) {
        out.put("sde.standardise", true);
      }
      out.put("sde.hidden", Arrays.toString(hidden));
      out.put("sde.sigma", sigma.name().toLowerCase(java.util.Locale.ROOT));
      out.put("sde.steps", steps);
      out.put("sde.batch", batch);
      out.put("sde.learning-rate", learningRate);
      out.put("sde.initial-sigma", initialSigma);
      out.put("sde.seed", seed);
      out.put("sde.partitions", partitions);
      return out;
    }
  }

  /** {@code rollout.*}: Euler-Maruyama paths per start, {@code substeps} steps per grid interval. */
  public record Rollout(int paths, int substeps, int partitions, long seed) implements Serializable {
    public Rollout {
      ConfigException.require(paths >= 1, "rollout.paths", "must be positive, found " + paths);
      ConfigException.require(substeps >= 1, "rollout.substeps", "must be positive, found " + substeps);
      ConfigException.require(partitions >= 1, "rollout.partitions", "must be positive, found " + partitions);
    }
  }

  /** {@code evaluate.*}: the common time grid, the bootstrap and the bars (0: none). */
  public record Evaluation(int points, int bootstrap, double relativeMseBar, double naiveRatioBar, double mmdBar)
      implements Serializable {
    public Evaluation {
      ConfigException.require(points >= 2, "evaluate.points", "must be at least 2, found " + points);
      ConfigException.require(bootstrap >= 0, "evaluate.bootstrap", "must be non-negative, found " + bootstrap);
      ConfigException.require(relativeMseBar >= 0, "evaluate.bar.relative-mse", "must be non-negative (0: none), found "
          + relativeMseBar);
      ConfigException.require(naiveRatioBar >= 0, "evaluate.bar.naive-ratio", "must be non-negative (0: none), found "
          + naiveRatioBar);
      ConfigException.require(mmdBar >= 0 && Double.isFinite(mmdBar), "evaluate.bar.mmd",
          "must be non-negative (0: none), found " + mmdBar);
    }
  }

  public static SdeConfig from(ConfigLoader c) {
    SimulatedSystem system = Systems.createAny(c);
    Map<String, double[]> grid = new LinkedHashMap<>();
    if (system instanceof FieldEnsemble) {
      for (String name : system.prior().names()) {
        String key = "direct.grid." + name;
        if (!c.has(key)) {
          throw new ConfigException(key, "the direct runs of " + system.name() + " start from each point of a grid of "
              + "its parameters " + system.prior().names() + ": give the values of each, e.g. " + key + " = [...]");
        }
        grid.put(name, c.doubleList(key));
      }
    }
    Direct direct = new Direct(c.intValue("direct.runs"), c.doubleList("direct.starts"), c.intValue("direct.size"),
        c.intValue("direct.sweeps"), c.intValue("direct.snapshot-every"), c.intValue("direct.partitions"),
        c.longValue("direct.seed"), c.intValue("direct.steps"), grid);
    Fit fit = new Fit(c.booleanValue("sde.naive"), c.string("sde.naive-pairs"), c.doubleValue("sde.lambda"), c.doubleValue("sde.eps"),
        c.intList("sde.hidden"), sigma(c.string("sde.sigma")), c.longValue("sde.steps"),
        c.intValue("sde.batch"), c.doubleValue("sde.learning-rate"), c.doubleValue("sde.initial-sigma"),
        c.longValue("sde.seed"), c.intValue("sde.partitions"), c.longValue("sde.checkpoint-every"),
        c.booleanValue("sde.standardise"));
    Rollout rollout = new Rollout(c.intValue("rollout.paths"), c.intValue("rollout.substeps"),
        c.intValue("rollout.partitions"), c.longValue("rollout.seed"));
    Evaluation evaluation = new Evaluation(c.intValue("evaluate.points"), c.intValue("evaluate.bootstrap"),
        c.doubleValue("evaluate.bar.relative-mse"), c.doubleValue("evaluate.bar.naive-ratio"),
        c.doubleValue("evaluate.bar.mmd"));
    Closure closure = new Closure(c.intValue("closure.dimension"), c.intList("closure.channels"),
        c.longValue("closure.steps"), c.intValue("closure.batch"), c.doubleValue("closure.learning-rate"),
        c.longValue("closure.seed"), c.intValue("closure.partitions"));
    return new SdeConfig(system, c.string("output.dir"), c.booleanValue("output.overwrite"),
        c.intValue("upsample.size"), c.intValue("evolve.patch"), direct, closure, fit, rollout, evaluation,
        c.intValue("progress.interval"));
  }

  private static SigmaMode sigma(String value) {
    try {
      return SigmaMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("sde.sigma", e.getMessage());
    }
  }

  /** The same settings with {@code sde.naive} set to {@code naive} (the pipeline trains both models). */
  public SdeConfig withNaive(boolean naive) {
    Fit f = fit;
    return new SdeConfig(system, outputDir, overwrite, latticeSize, patch, direct, closure, new Fit(naive, f.naivePairs, f.lambda, f.eps, f.hidden,
        f.sigma, f.steps, f.batch, f.learningRate, f.initialSigma, f.seed, f.partitions, f.checkpointEvery,
        f.standardise), rollout,
        evaluation, progressSeconds);
  }

  /** The direct runs' lattice side. */
  public int directSize() {
    return direct.size == 0 ? latticeSize : direct.size;
  }

  /** The rollout's and the evaluation's settings as configuration keys. */
  public Map<String, Object> resolvedEvaluation() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rollout.paths", rollout.paths());
    out.put("rollout.substeps", rollout.substeps());
    out.put("rollout.seed", rollout.seed());
    out.put("evaluate.points", evaluation.points());
    out.put("evaluate.bootstrap", evaluation.bootstrap());
    out.put("evaluate.bar.relative-mse", evaluation.relativeMseBar());
    out.put("evaluate.bar.naive-ratio", evaluation.naiveRatioBar());
    if (evaluation.mmdBar() > 0) {
      out.put("evaluate.bar.mmd", evaluation.mmdBar());
    }
    return out;
  }

  public Map<String, Object> resolvedDirect() {
    Map<String, Object> out = new LinkedHashMap<>(Systems.describe(system));
    out.put("output.dir", outputDir);
    out.put("direct.runs", direct.runs);
    if (direct.grid.isEmpty()) {
      out.put("direct.starts", Arrays.toString(direct.starts));
    } else {
      direct.grid.forEach((k, v) -> out.put("direct.grid." + k, Arrays.toString(v)));
    }
    out.put("direct.size", directSize());
    if (direct.grid.isEmpty()) {
      out.put("direct.sweeps", direct.sweeps);
    } else {
      out.put("direct.steps", direct.steps);
    }
    out.put("direct.snapshot-every", direct.snapshotEvery);
    out.put("direct.seed", direct.seed);
    return out;
  }
}
