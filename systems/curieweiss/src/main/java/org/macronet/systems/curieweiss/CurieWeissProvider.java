package org.macronet.systems.curieweiss;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.lattice.SpinPriors;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link CurieWeissSystem} as {@code system = curie-weiss}, keys under {@code simulation.curie-weiss}. */
public final class CurieWeissProvider implements SystemProvider {

  @Override
  public String name() {
    return CurieWeissSystem.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return CurieWeissSystem.defaultPrior();
  }

  @Override
  public String defaultsResource() {
    return "/org/macronet/systems/curieweiss/defaults.conf";
  }

  @Override
  public CurieWeissSystem create(Prior prior, Settings settings) {
    SpinPriors.check(prior);
    return new CurieWeissSystem(prior, SpinRunSettings.from(CurieWeissSystem.PREFIX, settings));
  }

  @Override
  public Map<String, Object> describe(SimulatedSystem system) {
    return ((CurieWeissSystem) system).settings().describe();
  }
}
