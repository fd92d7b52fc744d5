package org.macronet.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.lattice.PatchBoundary;

/**
 * The {@code upsample} job's settings ({@code upsample.*}): from the snapshots of
 * {@code <output.dir>/dataset} to states of a larger lattice in {@code <output.dir>/upsampled}.
 *
 * @param system        the configured system (a spin system, checked by the job)
 * @param outputDir     the run directory
 * @param overwrite     whether existing upsampled states may be replaced
 * @param size          the side of the upsampled states
 * @param window        relaxation window side
 * @param stride        distance between window origins
 * @param events        events per window, when {@code time} is 0
 * @param time          physical time per window; 0 runs {@code events} events instead (the reference)
 * @param boundary      what a window sees beyond its edge
 * @param every         use the snapshots whose sweep is a multiple of it
 * @param randomStates  states of random magnetisation appended (m0 and the parameters from the prior)
 * @param seed          master seed of the relaxation and the random states
 * @param partitions    tasks for the random states
 * @param progressSeconds seconds between progress lines, 0 for none
 */
public record UpsampleConfig(SimulatedSystem system, String outputDir, boolean overwrite, int size, int window,
                             int stride, long events, double time, PatchBoundary boundary, int every,
                             long randomStates, long seed, int partitions, int progressSeconds)
    implements Serializable {

  public UpsampleConfig {
    ConfigException.require(size >= 2 && size <= 4096, "upsample.size", "must be in [2, 4096], found " + size);
    ConfigException.require(window >= 2, "upsample.window", "must be at least 2, found " + window);
    ConfigException.require(stride >= 1 && stride <= window, "upsample.stride",
        "must be in [1, upsample.window = " + window + "] so that windows cover the lattice, found " + stride);
    ConfigException.require(events >= 0, "upsample.events", "must be non-negative, found " + events);
    ConfigException.require(time >= 0 && Double.isFinite(time), "upsample.time",
        "must be a non-negative number (0: a fixed number of events), found " + time);
    ConfigException.require(every >= 1, "upsample.every", "must be positive, found " + every);
    ConfigException.require(randomStates >= 0, "upsample.random-states", "must be non-negative, found " + randomStates);
    ConfigException.require(partitions >= 1, "generate.partitions", "must be positive, found " + partitions);
  }

  public static UpsampleConfig from(ConfigLoader c) {
    return new UpsampleConfig(Systems.createAny(c), c.string("output.dir"), c.booleanValue("output.overwrite"),
        c.intValue("upsample.size"), c.intValue("upsample.window"), c.intValue("upsample.stride"),
        c.longValue("upsample.events"), c.doubleValue("upsample.time"),
        PatchBoundary.parse("upsample.boundary", c.string("upsample.boundary")),
        c.intValue("upsample.every"), c.longValue("upsample.random-states"), c.longValue("upsample.seed"),
        c.intValue("generate.partitions"), c.intValue("progress.interval"));
  }

  public Map<String, Object> resolved() {
    Map<String, Object> out = new LinkedHashMap<>(Systems.describe(system));
    out.put("output.dir", outputDir);
    out.put("upsample.size", size);
    out.put("upsample.window", window);
    out.put("upsample.stride", stride);
    out.put("upsample.events", events);
    if (time > 0) {
      out.put("upsample.time", time);
    }
    out.put("upsample.boundary", boundary.configValue());
    out.put("upsample.every", every);
    out.put("upsample.random-states", randomStates);
    out.put("upsample.seed", seed);
    return out;
  }
}
