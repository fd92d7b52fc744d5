package org.macronet.systems.toy;

import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link NoisyMap} as {@code system = noisymap}, with its one setting {@code simulation.noisymap.sigma}. */
public final class NoisyMapProvider implements SystemProvider {

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
  public Map<String, Object> describe(PairSystem system) {
    return Map.of("simulation.noisymap.sigma", ((NoisyMap) system).sigma());
  }
}
