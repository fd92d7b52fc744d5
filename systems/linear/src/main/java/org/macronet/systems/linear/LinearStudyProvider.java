package org.macronet.systems.linear;

import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;

/** Registers {@link LinearStudy} for {@code system = linear}. */
public final class LinearStudyProvider implements StudyProvider {

  @Override
  public String system() {
    return LinearDynamics.NAME;
  }

  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new LinearStudy(settings);
  }
}
