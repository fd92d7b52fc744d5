package org.macronet.simulation.lattice;

import org.macronet.common.config.ConfigException;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Range checks of the spin systems' prior: T > 0, finite h, m0 in [-1, 1]; no grid sweeps. */
public final class SpinPriors {
  private SpinPriors() {}

  public static void check(Prior prior) {
    PriorEntry t = prior.entry("T");
    ConfigException.require(t.min() > 0 && Double.isFinite(t.max()), "prior.T",
        "temperatures must be positive and finite, found " + t.render());
    PriorEntry h = prior.entry("h");
    ConfigException.require(Double.isFinite(h.min()) && Double.isFinite(h.max()), "prior.h",
        "must be finite, found " + h.render());
    PriorEntry m0 = prior.entry("m0");
    ConfigException.require(m0.min() >= -1 && m0.max() <= 1, "prior.m0",
        "initial magnetisations lie in [-1, 1], found " + m0.render());
    for (String name : prior.names()) {
      ConfigException.require(prior.entry(name).gridCount() == 1, "prior." + name,
          "grid sweeps are not supported for ensembles; give a number or a [lo, hi] range");
    }
  }
}
