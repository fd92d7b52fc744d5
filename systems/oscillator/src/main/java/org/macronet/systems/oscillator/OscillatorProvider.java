package org.macronet.systems.oscillator;

import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link HarmonicOscillator} as {@code system = oscillator}; it has no settings besides its prior. */
public final class OscillatorProvider implements SystemProvider {

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
}
