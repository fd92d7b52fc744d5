package org.macronet.simulation;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * A physical system as a plugin. A system module registers its provider in
 * {@code META-INF/services/org.macronet.simulation.SystemProvider}; {@link SystemRegistry} finds it
 * by {@link #name()}, the value of the configuration key {@code system}. The jobs know systems
 * only through this interface and the {@link SimulatedSystem} it builds: a {@link PairSystem} for
 * the macrostate method, an {@link org.macronet.simulation.ensemble.EnsembleSystem} for the
 * stochastic-dynamics method.
 */
public interface SystemProvider {

  /** The name in configurations, dataset metadata and models, e.g. {@code grayscott}; unique. */
  String name();

  /** The system's parameters (its u columns, in order) with their default prior. */
  Map<String, PriorEntry> defaultPrior();

  /**
   * A classpath resource (HOCON, read with this provider's class loader) holding the defaults of
   * the keys the system reads itself, under {@code simulation.<name>}; {@code null} when it has none.
   * The configuration loader accepts exactly these keys besides the common ones.
   */
  default String defaultsResource() {
    return null;
  }

  /**
   * The configured system.
   *
   * @param prior the prior over {@link #defaultPrior()}'s parameters, the user's entries applied
   * @param settings the resolved configuration, for the system's own keys
   * @throws org.macronet.common.config.ConfigException naming the key, for a value out of range
   */
  SimulatedSystem create(Prior prior, Settings settings);

  /** The system's own resolved settings as configuration keys and values, for metadata. */
  default Map<String, Object> describe(SimulatedSystem system) {
    return Map.of();
  }
}
