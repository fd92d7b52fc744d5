package org.macronet.systems.toy;

import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;

/** Registers {@link NoisyMapStudy} for {@code system = noisymap}. */
public final class NoisyMapStudyProvider implements StudyProvider {

  @Override
  public String system() {
    return NoisyMap.NAME;
  }

  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new NoisyMapStudy(settings);
  }
}
