package org.macronet.systems.oscillator;

import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;

/** Registers {@link OscillatorStudy} for {@code system = oscillator}. */
public final class OscillatorStudyProvider implements StudyProvider {

  @Override
  public String system() {
    return HarmonicOscillator.NAME;
  }

  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new OscillatorStudy(settings);
  }
}
