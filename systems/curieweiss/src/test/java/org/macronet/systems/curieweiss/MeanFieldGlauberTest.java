package org.macronet.systems.curieweiss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.SpinLattice;

/** The mean-field dynamics against the Curie-Weiss self-consistency m = tanh((m + h) / T). */
class MeanFieldGlauberTest {

  /** The solution of m = tanh((m + h) / T) reached by iteration from {@code start}. */
  static double selfConsistent(double t, double h, double start) {
    double m = start;
    for (int i = 0; i < 100_000; i++) {
      m = Math.tanh((m + h) / t);
    }
    return m;
  }

  /** The equilibrium mean of m (after burn-in) and its standard error by 20 batch means. */
  private static double[] equilibrium(double t, double h, double m0, long seed) {
    int n = 64 * 64;
    SampleRandom rng = new SampleRandom(seed);
    byte[] s = SpinLattice.withMagnetisation(n, m0, rng);
    MeanFieldGlauber kmc = new MeanFieldGlauber(s, t, h, rng);
    kmc.run(200L * n);
    int sweeps = 4000;
    double[] m = new double[sweeps];
    for (int k = 0; k < sweeps; k++) {
      kmc.run(n);
      m[k] = kmc.magnetisation();
      if (k % 1000 == 0) {
        assertEquals(SpinLattice.magnetisation(s), m[k], 1e-15, "the tracked m is the spins' mean");
      }
    }
    double[] means = new double[20];
    for (int b = 0; b < 20; b++) {
      means[b] = Arrays.stream(m, b * sweeps / 20, (b + 1) * sweeps / 20).average().orElseThrow();
    }
    double mean = Arrays.stream(means).average().orElseThrow();
    double var = Arrays.stream(means).map(x -> (x - mean) * (x - mean)).sum() / 19;
    return new double[] {mean, Math.sqrt(var / 20)};
  }

  @Test
  void equilibriumSolvesTheSelfConsistencyAtTheReferenceSetting() {
    double exact = selfConsistent(1.1, 0.1, 0.5);
    assertEquals(exact, Math.tanh((exact + 0.1) / 1.1), 1e-12);
    double[] est = equilibrium(1.1, 0.1, -0.5, 3);
    assertTrue(est[1] < 0.004, "standard error " + est[1] + " too large to test anything");
    assertEquals(exact, est[0], 4 * est[1] + 2e-3, "T = 1.1, h = 0.1: m = " + est[0] + " +- " + est[1]);
  }

  @Test
  void belowTheCriticalTemperatureTheOrderedBranchHolds() {
    double exact = selfConsistent(0.8, 0.0, 1.0);
    assertTrue(exact > 0.6, "a spontaneous magnetisation at T = 0.8: " + exact);
    double[] est = equilibrium(0.8, 0.0, 1.0, 4);
    assertEquals(exact, est[0], 4 * est[1] + 2e-3, "T = 0.8, h = 0: m = " + est[0] + " +- " + est[1]);
  }

  @Test
  void waitingTimesHaveMeanOneOverTheTotalRate() {
    SampleRandom rng = new SampleRandom(8);
    byte[] s = SpinLattice.withMagnetisation(256, 0.3, rng);
    MeanFieldGlauber kmc = new MeanFieldGlauber(s, 1.1, 0.1, rng);
    int n = 400_000;
    double sum = 0;
    for (int k = 0; k < n; k++) {
      double w = kmc.totalRate();
      sum += kmc.step() * w;
    }
    assertEquals(1.0, sum / n, 4 / Math.sqrt(n));
  }

  @Test
  void totalRateIsTheSumOfEverySitesRate() {
    SampleRandom rng = new SampleRandom(2);
    byte[] s = SpinLattice.withMagnetisation(100, -0.2, rng);
    MeanFieldGlauber kmc = new MeanFieldGlauber(s, 1.3, 0.2, rng);
    for (int step = 0; step < 300; step++) {
      double m = SpinLattice.magnetisation(s);
      double direct = 0;
      for (byte b : s) {
        direct += 1 / (1 + Math.exp(2 * b * (m + 0.2) / 1.3));
      }
      assertEquals(direct, kmc.totalRate(), 1e-12 * direct, "after " + step + " events");
      kmc.step();
    }
  }
}
