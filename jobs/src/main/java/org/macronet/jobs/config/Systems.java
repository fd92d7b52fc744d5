package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.SystemRegistry;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Builds the configured system through its plugin ({@link SystemRegistry}): its prior (the
 * plugin's defaults, then the user's entries) and its own settings.
 */
public final class Systems {
  private Systems() {}

  /** The configured system, of either kind. */
  public static SimulatedSystem createAny(ConfigLoader c) {
    SystemProvider provider = SystemRegistry.provider(c.string("system"));
    return provider.create(prior(c, provider.defaultPrior()), c);
  }

  /**
   * The configured system as a {@link PairSystem}, for the macrostate method's jobs.
   *
   * @throws ConfigException on key {@code system} when the system makes trajectories instead
   */
  public static PairSystem create(ConfigLoader c) {
    SimulatedSystem s = createAny(c);
    if (s instanceof PairSystem pairs) {
      return pairs;
    }
    throw new ConfigException("system", "'" + s.name() + "' simulates ensembles of trajectories, not (u, v) pairs: "
        + "the macrostate method's train, design and analyze do not apply to it (generate does)");
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
    return Prior.of(List.copyOf(defaults.keySet()), entries);
  }

  /** The resolved settings of a system, as configuration keys and values (for metadata). */
  public static Map<String, Object> describe(SimulatedSystem system) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("system", system.name());
    out.putAll(SystemRegistry.provider(system.name()).describe(system));
    system.prior().render().forEach((name, value) -> out.put("prior." + name, value));
    return out;
  }
}
