package org.macronet.systems.ising;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.SpinDynamics;
import org.macronet.simulation.lattice.SpinEnsemble;
import org.macronet.simulation.lattice.SpinLattice;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The 2-D Ising model with J = 1 on a periodic L x L lattice under continuous-time Glauber
 * dynamics ({@code system = ising}), run by the n-fold way. Rows carry m and rho.
 */
public final class IsingSystem extends SpinEnsemble {
  public static final String NAME = "ising";
  public static final String PREFIX = "simulation.ising.";

  public IsingSystem(Prior prior, SpinRunSettings settings) {
    super(NAME, prior, settings, true);
  }

  /** The reference's setting: T = 2.5, h = 0.1, m0 ~ U(-1, 1). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> p = new LinkedHashMap<>();
    p.put("T", new PriorEntry.Fixed(2.5));
    p.put("h", new PriorEntry.Fixed(0.1));
    p.put("m0", new PriorEntry.Uniform(-1, 1));
    return p;
  }

  @Override
  public SpinDynamics dynamics(byte[] spins, int side, boolean[] frozen, double t, double h, SampleRandom rng) {
    return new NFoldWay(spins, SpinLattice.torus(side, side), frozen, new GlauberRates(t, h), rng);
  }

  @Override
  protected String description() {
    return "Glauber n-fold way (Java)";
  }
}
