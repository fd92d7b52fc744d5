package org.macronet.systems.curieweiss;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.SpinDynamics;
import org.macronet.simulation.lattice.SpinEnsemble;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The Curie-Weiss model ({@code system = curie-weiss}): N = L^2 spins, each coupled to the mean
 * spin, under Glauber dynamics. The spins are stored as an L x L array like the Ising model's so
 * that the same patch and closure machinery applies; the model itself has no geometry, so rows
 * carry m only.
 */
public final class CurieWeissSystem extends SpinEnsemble {
  public static final String NAME = "curie-weiss";
  public static final String PREFIX = "simulation.curie-weiss.";

  public CurieWeissSystem(Prior prior, SpinRunSettings settings) {
    super(NAME, prior, settings, false);
  }

  /** The reference's setting: T = 1.1, h = 0.1, m0 ~ U(-1, 1). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> p = new LinkedHashMap<>();
    p.put("T", new PriorEntry.Fixed(1.1));
    p.put("h", new PriorEntry.Fixed(0.1));
    p.put("m0", new PriorEntry.Uniform(-1, 1));
    return p;
  }

  @Override
  public SpinDynamics dynamics(byte[] spins, int side, boolean[] frozen, double t, double h, SampleRandom rng) {
    return new MeanFieldGlauber(spins, frozen, t, h, rng);
  }

  @Override
  protected String description() {
    return "mean-field Glauber, two rate classes (Java)";
  }
}
