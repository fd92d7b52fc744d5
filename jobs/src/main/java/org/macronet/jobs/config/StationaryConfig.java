package org.macronet.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;

/**
 * The {@code stationary} job's settings ({@code stationary.*}): long Euler-Maruyama paths of a
 * learned SDE whose samples after a burn-in give the stationary moments of the magnetisation.
 * Times are physical time, the unit of the pairs' {@code dt} (docs/sde.md gives a sweep's duration
 * for the systems that have one).
 *
 * @param paths      paths, each from the macrostate of a pair drawn by the seed
 * @param dt         the Euler-Maruyama step
 * @param burnIn     time run before sampling starts
 * @param time       time sampled after the burn-in
 * @param every      steps between samples
 * @param partitions Spark partitions of the paths (whole batches each: the numbers do not depend on it)
 * @param seed       master seed of the starts and the noise
 */
public record StationaryConfig(int paths, double dt, double burnIn, double time, int every, int partitions, long seed)
    implements Serializable {
  public static final String STATIONARY = "stationary";

  public StationaryConfig {
    ConfigException.require(paths >= 1, "stationary.paths", "must be positive, found " + paths);
    ConfigException.require(dt > 0 && Double.isFinite(dt), "stationary.dt", "must be positive, found " + dt);
    ConfigException.require(burnIn >= 0 && Double.isFinite(burnIn), "stationary.burn-in",
        "must be non-negative, found " + burnIn);
    ConfigException.require(time >= dt && Double.isFinite(time), "stationary.time",
        "must be at least one step (stationary.dt = " + dt + "), found " + time);
    ConfigException.require(every >= 1, "stationary.every", "must be positive, found " + every);
    ConfigException.require(partitions >= 1, "stationary.partitions", "must be positive, found " + partitions);
    ConfigException.require((burnIn + time) / dt <= 1e9, "stationary.time",
        "burn-in and time must be at most 1e9 steps of stationary.dt = " + dt + ", found " + (burnIn + time) / dt);
  }

  public static StationaryConfig from(ConfigLoader c) {
    return new StationaryConfig(c.intValue("stationary.paths"), c.doubleValue("stationary.dt"),
        c.doubleValue("stationary.burn-in"), c.doubleValue("stationary.time"), c.intValue("stationary.every"),
        c.intValue("stationary.partitions"), c.longValue("stationary.seed"));
  }

  /** Steps of the burn-in. */
  public long burnSteps() {
    return (long) Math.ceil(burnIn / dt - 1e-9);
  }

  /** Steps sampled, a whole number of sampling intervals. */
  public long sampleSteps() {
    return Math.max(every, (long) Math.floor(time / dt + 1e-9) / every * every);
  }

  public Map<String, Object> resolved() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stationary.paths", paths);
    out.put("stationary.dt", dt);
    out.put("stationary.burn-in", burnIn);
    out.put("stationary.time", time);
    out.put("stationary.every", every);
    out.put("stationary.seed", seed);
    return out;
  }
}
