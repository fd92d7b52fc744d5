package org.macronet.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.EnsembleSystem;

/**
 * Everything the {@code generate} job needs, validated on construction.
 *
 * @param system        the system with its prior and settings: a {@link PairSystem}, one row per
 *                      sample, or an {@link EnsembleSystem}, one row per stored snapshot
 * @param outputDir     the run directory (the dataset goes to {@code <outputDir>/dataset})
 * @param overwrite     whether an existing dataset may be replaced
 * @param samples       number of samples (rows for a pair system, trajectories for an ensemble)
 * @param partitions    Spark partitions; the rows do not depend on it
 * @param seed          master seed
 * @param seedsPerPoint with grid sweeps, samples per grid point
 * @param block         samples simulated per block inside a task
 * @param progressSeconds seconds between progress lines, 0 for none
 */
public record GenerateConfig(SimulatedSystem system, String outputDir, boolean overwrite, long samples, int partitions,
                             long seed, long seedsPerPoint, int block, int progressSeconds) implements Serializable {

  public GenerateConfig {
    ConfigException.require(system != null, "system", "missing");
    ConfigException.require(outputDir != null && !outputDir.isBlank(), "output.dir", "must not be empty");
    ConfigException.require(samples > 0, "generate.samples", "must be positive, found " + samples);
    ConfigException.require(partitions >= 1 && partitions <= 1_000_000, "generate.partitions",
        "must be in [1, 1000000], found " + partitions);
    ConfigException.require(seedsPerPoint >= 1, "generate.seeds-per-point", "must be positive, found " + seedsPerPoint);
    ConfigException.require(block >= 1 && block <= 1_000_000, "generate.block", "must be in [1, 1000000], found " + block);
    ConfigException.require(progressSeconds >= 0, "progress.interval", "must be non-negative, found " + progressSeconds);
    if (system instanceof EnsembleSystem && system.prior().hasGrid()) {
      throw new ConfigException("prior", "grid sweeps apply to pair systems; give " + system.name()
          + "'s parameters as numbers or [lo, hi] ranges");
    }
    long points = system.prior().gridPoints();
    if (system.prior().hasGrid()) {
      long expected = Math.multiplyExact(points, seedsPerPoint);
      ConfigException.require(samples == expected, "generate.samples", "the prior's grid sweep has " + points
          + " points x " + seedsPerPoint + " seeds-per-point = " + expected + " samples, found " + samples
          + "; leave generate.samples out or set it to " + expected);
    } else {
      ConfigException.require(seedsPerPoint == 1, "generate.seeds-per-point",
          "only applies to grid sweeps (a prior entry {grid: [lo, hi, count]}), found " + seedsPerPoint);
    }
  }

  /** The system, for the jobs that need (u, v) pairs. */
  public PairSystem pairSystem() {
    if (system instanceof PairSystem pairs) {
      return pairs;
    }
    throw new ConfigException("system", "'" + system.name() + "' simulates ensembles of trajectories, not (u, v) pairs");
  }

  /** Reads the generate settings; with a grid sweep, the sample count defaults to grid points x seeds-per-point. */
  public static GenerateConfig from(ConfigLoader c) {
    SimulatedSystem system = Systems.createAny(c);
    long seedsPerPoint = c.longValue("generate.seeds-per-point");
    long samples = system.prior().hasGrid() && !c.isSetByUser("generate.samples")
        ? Math.multiplyExact(system.prior().gridPoints(), seedsPerPoint)
        : c.longValue("generate.samples");
    return new GenerateConfig(system, c.string("output.dir"), c.booleanValue("output.overwrite"), samples,
        c.intValue("generate.partitions"), c.longValue("generate.seed"), seedsPerPoint,
        c.intValue("generate.block"), c.intValue("progress.interval"));
  }

  /** The resolved configuration as keys and values, for metadata and manifests. */
  public Map<String, Object> resolved() {
    Map<String, Object> out = new LinkedHashMap<>(Systems.describe(system));
    out.put("output.dir", outputDir);
    out.put("output.overwrite", overwrite);
    out.put("generate.samples", samples);
    out.put("generate.partitions", partitions);
    out.put("generate.seed", seed);
    out.put("generate.seeds-per-point", seedsPerPoint);
    out.put("generate.block", block);
    return out;
  }
}
