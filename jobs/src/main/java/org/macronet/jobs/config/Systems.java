package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.SystemRegistry;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Builds the configured {@link PairSystem} through its plugin ({@link SystemRegistry}): its prior
 * (the plugin's defaults, then the user's entries) and its own settings.
 */
public final class Systems {
  private Systems() {}

  public static PairSystem create(ConfigLoader c) {
    SystemProvider provider = SystemRegistry.provider(c.string("system"));
    return provider.create(prior(c, provider.defaultPrior()), c);
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
  public static Map<String, Object> describe(PairSystem system) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("system", system.name());
    out.putAll(SystemRegistry.provider(system.name()).describe(system));
    system.prior().render().forEach((name, value) -> out.put("prior." + name, value));
    return out;
  }
}
