package org.macronet.jobs.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.simulation.lattice.PatchBoundary;

/**
 * The {@code evolve} job's settings ({@code evolve.*}): partial-evolution pairs from the states of
 * {@code <output.dir>/<source>} to {@code <output.dir>/pairs}.
 *
 * @param source   {@code upsampled} or {@code dataset}: the folder under the run directory to read
 * @param patch    p, the patch side
 * @param boundary what the patch sees beyond its edge
 * @param events   events (spins) or steps (fields) per evolution; 0 for one patch sweep (p^2
 *                 events of a spin system, one step of a field system)
 * @param time     physical time per evolution of a spin system instead of {@code events}; 0 runs
 *                 the events (the reference)
 * @param seed     master seed of the patch choice and the dynamics
 */
public record EvolveConfig(SimulatedSystem system, String outputDir, boolean overwrite, String source, int patch,
                           PatchBoundary boundary, long events, double time, long seed,
                           int progressSeconds) implements Serializable {
  public static final String PAIRS = "pairs";

  public EvolveConfig {
    ConfigException.require(source.equals("upsampled") || source.equals("dataset"), "evolve.source",
        "must be upsampled or dataset, found '" + source + "'");
    ConfigException.require(patch >= 2, "evolve.patch", "must be at least 2, found " + patch);
    ConfigException.require(events >= 0, "evolve.events", "must be non-negative (0: one patch sweep), found " + events);
    ConfigException.require(time >= 0 && Double.isFinite(time), "evolve.time",
        "must be a non-negative number (0: a fixed number of events), found " + time);
    ConfigException.require(time == 0 || !(system instanceof FieldEnsemble), "evolve.time",
        "applies to spin systems; a field system takes evolve.events Euler steps, found " + time);
  }

  public static EvolveConfig from(ConfigLoader c) {
    return new EvolveConfig(Systems.createAny(c), c.string("output.dir"), c.booleanValue("output.overwrite"),
        c.string("evolve.source"), c.intValue("evolve.patch"),
        PatchBoundary.parse("evolve.boundary", c.string("evolve.boundary")), c.longValue("evolve.events"),
        c.doubleValue("evolve.time"), c.longValue("evolve.seed"), c.intValue("progress.interval"));
  }

  /**
   * Events per evolution: the configured number, or one patch sweep (p^2 events of a spin system,
   * one step of a field system).
   */
  public long eventsPerPair() {
    return events != 0 ? events : system instanceof FieldEnsemble ? 1 : (long) patch * patch;
  }

  public Map<String, Object> resolved() {
    Map<String, Object> out = new LinkedHashMap<>(Systems.describe(system));
    out.put("output.dir", outputDir);
    out.put("evolve.source", source);
    out.put("evolve.patch", patch);
    out.put("evolve.boundary", boundary.configValue());
    if (time > 0) {
      out.put("evolve.time", time);
    } else {
      out.put("evolve.events", eventsPerPair());
    }
    out.put("evolve.seed", seed);
    return out;
  }
}
