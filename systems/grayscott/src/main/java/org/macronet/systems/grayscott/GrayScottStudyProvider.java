package org.macronet.systems.grayscott;

import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;

/** Registers {@link GrayScottStudy} for {@code system = grayscott}. */
public final class GrayScottStudyProvider implements StudyProvider {

  @Override
  public String system() {
    return GrayScottSystem.NAME;
  }

  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new GrayScottStudy((GrayScottSystem) system, settings);
  }
}
