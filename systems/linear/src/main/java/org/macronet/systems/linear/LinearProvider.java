package org.macronet.systems.linear;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link LinearDynamics} as {@code system = linear}; it has no settings besides its prior. */
public final class LinearProvider implements SystemProvider, StudyProvider {

  @Override
  public String name() {
    return LinearDynamics.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return LinearDynamics.defaultPrior();
  }

  @Override
  public PairSystem create(Prior prior, Settings settings) {
    return new LinearDynamics(prior);
  }

  @Override
  public String system() {
    return LinearDynamics.NAME;
  }

  /** The system's design study: {@link LinearStudy}. */
  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new LinearStudy(settings);
  }
}
