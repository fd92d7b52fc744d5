package org.macronet.systems.ising;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.simulation.lattice.SpinPriors;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link IsingSystem} as {@code system = ising}, with its keys under {@code simulation.ising}. */
public final class IsingProvider implements SystemProvider {

  @Override
  public String name() {
    return IsingSystem.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return IsingSystem.defaultPrior();
  }

  @Override
  public String defaultsResource() {
    return "/org/macronet/systems/ising/defaults.conf";
  }

  @Override
  public IsingSystem create(Prior prior, Settings settings) {
    SpinPriors.check(prior);
    return new IsingSystem(prior, SpinRunSettings.from(IsingSystem.PREFIX, settings));
  }

  @Override
  public Map<String, Object> describe(SimulatedSystem system) {
    return ((IsingSystem) system).settings().describe();
  }
}
