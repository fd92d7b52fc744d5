package org.macronet.systems.oscillator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.simulation.prior.Prior;

class HarmonicOscillatorTest {
  private final HarmonicOscillator system = new HarmonicOscillator(new Prior(HarmonicOscillator.defaultPrior()));

  @Test
  void energyIsConservedAndTauStaysInItsPrior() {
    SampleBlock block = system.openSimulator().simulate(new PairSystem.Sampling(7, 1), 0, 1000);
    for (int r = 0; r < block.size(); r++) {
      double x0 = block.scalars()[0][r];
      double p0 = block.scalars()[1][r];
      double xt = block.scalars()[2][r];
      double pt = block.scalars()[3][r];
      double tau = block.scalars()[4][r];
      assertEquals((x0 * x0 + p0 * p0) / 2, (xt * xt + pt * pt) / 2, 1e-12, "energy of row " + r);
      assertTrue(tau >= 0 && tau < 2 * Math.PI);
      assertTrue(Math.abs(x0) <= 1 && Math.abs(p0) <= 1);
    }
  }

  @Test
  void quarterPeriodTurnsPositionIntoMomentum() {
    // x(t) = x0 cos t + p0 sin t: at tau = pi / 2, x = p0 and p = -x0
    var prior = HarmonicOscillator.defaultPrior();
    prior.put("x0", new org.macronet.simulation.prior.PriorEntry.Fixed(0.3));
    prior.put("p0", new org.macronet.simulation.prior.PriorEntry.Fixed(-0.7));
    prior.put("tau", new org.macronet.simulation.prior.PriorEntry.Fixed(Math.PI / 2));
    SampleBlock block = new HarmonicOscillator(new Prior(prior)).openSimulator()
        .simulate(new PairSystem.Sampling(1, 1), 0, 1);
    assertEquals(-0.7, block.scalars()[2][0], 1e-12);
    assertEquals(-0.3, block.scalars()[3][0], 1e-12);
  }

  @Test
  void rowsDependOnlyOnSeedAndIndex() {
    var sim = system.openSimulator();
    SampleBlock whole = sim.simulate(new PairSystem.Sampling(42, 1), 0, 10);
    SampleBlock tail = sim.simulate(new PairSystem.Sampling(42, 1), 6, 4);
    for (int c = 0; c < 5; c++) {
      assertArrayEquals(java.util.Arrays.copyOfRange(whole.scalars()[c], 6, 10), tail.scalars()[c]);
    }
    assertArrayEquals(java.util.Arrays.copyOfRange(whole.seeds(), 6, 10), tail.seeds());
  }
}
