package org.macronet.systems.predatorprey;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link PredatorPreySystem} as {@code system = predator-prey}, with its {@code simulation.predator-prey.*} keys. */
public final class PredatorPreyProvider implements SystemProvider {

  @Override
  public String name() {
    return PredatorPreySystem.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return PredatorPreySystem.defaultPrior();
  }

  @Override
  public String defaultsResource() {
    return "/org/macronet/systems/predatorprey/defaults.conf";
  }

  @Override
  public PredatorPreySystem create(Prior prior, Settings settings) {
    return new PredatorPreySystem(prior, PredatorPreySettings.from(settings));
  }

  /** The resolved {@code simulation.predator-prey.*} keys, the discretisation among them. */
  @Override
  public Map<String, Object> describe(SimulatedSystem system) {
    return ((PredatorPreySystem) system).settings().toConfig();
  }
}
