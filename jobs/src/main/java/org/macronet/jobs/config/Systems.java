package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.config.ConfigException;
import org.macronet.simulation.grayscott.GrayScottSettings;
import org.macronet.simulation.grayscott.GrayScottSystem;
import org.macronet.simulation.linear.LinearDynamics;
import org.macronet.simulation.oscillator.HarmonicOscillator;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Builds the configured {@link PairSystem}: its prior (defaults, then the user's entries) and settings. */
public final class Systems {
  private Systems() {}

  public static PairSystem create(ConfigLoader c) {
    String name = c.string("system");
    return switch (name) {
      case HarmonicOscillator.NAME -> new HarmonicOscillator(prior(c, HarmonicOscillator.defaultPrior()));
      case LinearDynamics.NAME -> new LinearDynamics(prior(c, LinearDynamics.defaultPrior()));
      case GrayScottSystem.NAME -> new GrayScottSystem(prior(c, GrayScottSystem.defaultPrior()), grayScott(c));
      default -> throw new ConfigException("system", "must be one of oscillator, linear, grayscott, found '" + name + "'");
    };
  }

  private static Prior prior(ConfigLoader c, Map<String, PriorEntry> defaults) {
    Map<String, PriorEntry> entries = new LinkedHashMap<>(defaults);
    Map<String, PriorEntry> given = c.priorOverrides();
    for (String name : given.keySet()) {
      if (!defaults.containsKey(name)) {
        throw new ConfigException("prior." + name, "unknown parameter for system " + c.string("system")
            + "; its parameters are " + defaults.keySet());
      }
    }
    entries.putAll(given);
    return Prior.of(java.util.List.copyOf(defaults.keySet()), entries);
  }

  static GrayScottSettings grayScott(ConfigLoader c) {
    String p = GrayScottSettings.PREFIX;
    return new GrayScottSettings(
        c.intValue(p + "size"),
        c.intValue(p + "steps"),
        c.doubleValue(p + "dt"),
        c.intValue(p + "discs"),
        c.doubleValue(p + "disc-radius"),
        c.doubleValue(p + "noise"),
        GrayScottSettings.KernelChoice.parse(p + "kernel", c.string(p + "kernel")),
        c.intValue(p + "batch"),
        c.intValue(p + "threads"));
  }

  /** The resolved settings of a system, as configuration keys and values (for metadata). */
  public static Map<String, Object> describe(PairSystem system) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("system", system.name());
    if (system instanceof GrayScottSystem gs) {
      GrayScottSettings s = gs.settings();
      String p = GrayScottSettings.PREFIX;
      out.put(p + "size", s.size());
      out.put(p + "steps", s.steps());
      out.put(p + "dt", s.dt());
      out.put(p + "discs", s.discs());
      out.put(p + "disc-radius", s.discRadius());
      out.put(p + "noise", s.noise());
      out.put(p + "kernel", s.kernel().configValue());
      out.put(p + "batch", s.batch());
      out.put(p + "threads", s.threads());
    }
    system.prior().render().forEach((name, value) -> out.put("prior." + name, value));
    return out;
  }
}
