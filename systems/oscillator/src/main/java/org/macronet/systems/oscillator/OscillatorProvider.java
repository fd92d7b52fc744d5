package org.macronet.systems.oscillator;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link HarmonicOscillator} as {@code system = oscillator}; it has no settings besides its prior. */
public final class OscillatorProvider implements SystemProvider, StudyProvider {

  @Override
  public String name() {
    return HarmonicOscillator.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return HarmonicOscillator.defaultPrior();
  }

  @Override
  public PairSystem create(Prior prior, Settings settings) {
    return new HarmonicOscillator(prior);
  }

  @Override
  public String system() {
    return HarmonicOscillator.NAME;
  }

  /** The system's design study: {@link OscillatorStudy}. */
  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new OscillatorStudy(settings);
  }
}
