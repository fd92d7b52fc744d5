package org.macronet.systems.toy;

import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Registers {@link NoisyMap} as {@code system = noisymap}, with its one setting
 * {@code simulation.noisymap.sigma}, and its design study ({@link NoisyMapStudy}): one provider,
 * one line in {@code META-INF/services/org.macronet.simulation.SystemProvider}.
 */
public final class NoisyMapProvider implements SystemProvider, StudyProvider {

  @Override
  public String name() {
    return NoisyMap.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return NoisyMap.defaultPrior();
  }

  @Override
  public String defaultsResource() {
    return "defaults.conf";
  }

  @Override
  public PairSystem create(Prior prior, Settings settings) {
    double sigma = settings.doubleValue("simulation.noisymap.sigma");
    ConfigException.require(sigma >= 0 && sigma <= 1, "simulation.noisymap.sigma", "must be in [0, 1], found " + sigma);
    return new NoisyMap(prior, sigma);
  }

  @Override
  public String system() {
    return NoisyMap.NAME;
  }

  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new NoisyMapStudy(settings);
  }

  @Override
  public Map<String, Object> describe(SimulatedSystem system) {
    return Map.of("simulation.noisymap.sigma", ((NoisyMap) system).sigma());
  }
}
