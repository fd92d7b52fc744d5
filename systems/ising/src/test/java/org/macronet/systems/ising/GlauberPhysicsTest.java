package org.macronet.systems.ising;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.SpinLattice;

/**
 * Checks the n-fold way against exact results of the 2-D Ising model (Onsager) and against an
 * independent O(N) draw of the same process.
 */
class GlauberPhysicsTest {

  /** Runs {@code sweeps} sweeps and returns the observable after each (m or rho). */
  private static double[] observe(byte[] s, int side, NFoldWay kmc, int sweeps, boolean magnetisation) {
    double[] out = new double[sweeps];
    for (int k = 0; k < sweeps; k++) {
      kmc.run(s.length);
      out[k] = magnetisation ? SpinLattice.magnetisation(s) : SpinLattice.brokenBondFraction(s, side);
    }
    return out;
  }

  /** Mean and the standard error of the mean by batch means (20 batches), robust to autocorrelation. */
  private static double[] meanAndError(double[] x) {
    int batches = 20;
    int per = x.length / batches;
    double[] means = new double[batches];
    for (int b = 0; b < batches; b++) {
      double sum = 0;
      for (int i = b * per; i < (b + 1) * per; i++) {
        sum += x[i];
      }
      means[b] = sum / per;
    }
    double mean = Arrays.stream(means).average().orElseThrow();
    double var = Arrays.stream(means).map(m -> (m - mean) * (m - mean)).sum() / (batches - 1);
    return new double[] {mean, Math.sqrt(var / batches)};
  }

  @Test
  void spontaneousMagnetisationAtTwoIsOnsagers() {
    int side = 64;
    byte[] s = new byte[side * side];
    Arrays.fill(s, (byte) 1);
    NFoldWay kmc = new NFoldWay(s, SpinLattice.torus(side, side), null, new GlauberRates(2.0, 0.0), new SampleRandom(11));
    kmc.run(200L * s.length); // equilibrate
    double[] m = observe(s, side, kmc, 1000, true);
    double absM = Arrays.stream(m).map(Math::abs).average().orElseThrow();
    double onsager = Math.pow(1 - Math.pow(Math.sinh(2 / 2.0), -4), 0.125);
    assertEquals(0.9113, onsager, 1e-4);
    assertEquals(onsager, absM, 0.01, "equilibrium |m| at T = 2");
  }

  @Test
  void energyPerSiteAtThreeIsOnsagers() {
    int side = 64;
    SampleRandom rng = new SampleRandom(5);
    byte[] s = SpinLattice.withMagnetisation(side * side, 0.0, rng);
    NFoldWay kmc = new NFoldWay(s, SpinLattice.torus(side, side), null, new GlauberRates(3.0, 0.0), rng);
    kmc.run(100L * s.length);
    double[] rho = observe(s, side, kmc, 2000, false);
    double[] energy = Arrays.stream(rho).map(r -> -2 * (1 - 2 * r)).toArray();
    double[] est = meanAndError(energy);
    double exact = onsagerEnergy(3.0);
    // the same expression by direct midpoint quadrature of K (400,000 points), on both sides of T_c
    assertEquals(-0.8173096, exact, 1e-6, "u(3)");
    assertEquals(-1.2039745, onsagerEnergy(2.4), 1e-6, "u(2.4)");
    assertEquals(-1.7455646, onsagerEnergy(2.0), 1e-6, "u(2)");
    assertTrue(est[1] < 0.005, "standard error " + est[1] + " too large to test anything");
    assertEquals(exact, est[0], 4 * est[1] + 1e-3, "energy per site at T = 3, +- " + est[1]);
  }

  /**
   * Onsager's internal energy per site of the square-lattice Ising model with J = 1:
   * u = -coth(2 beta) [1 + (2 / pi) (2 tanh^2(2 beta) - 1) K(k)], k = 2 sinh(2 beta) / cosh^2(2 beta),
   * with K the complete elliptic integral of the first kind (by the arithmetic-geometric mean).
   */
  static double onsagerEnergy(double temperature) {
    double b2 = 2 / temperature;
    double k = 2 * Math.sinh(b2) / (Math.cosh(b2) * Math.cosh(b2));
    double a = 1;
    double g = Math.sqrt(1 - k * k);
    for (int i = 0; i < 40; i++) {
      double an = (a + g) / 2;
      g = Math.sqrt(a * g);
      a = an;
    }
    double bigK = Math.PI / (2 * a);
    double t = Math.tanh(b2);
    return -(1 / t) * (1 + (2 / Math.PI) * (2 * t * t - 1) * bigK);
  }

  @Test
  void waitingTimesAreExponentialWithMeanOneOverTheTotalRate() {
    int side = 16;
    SampleRandom rng = new SampleRandom(3);
    byte[] s = SpinLattice.withMagnetisation(side * side, 0.2, rng);
    NFoldWay kmc = new NFoldWay(s, SpinLattice.torus(side, side), null, new GlauberRates(2.5, 0.1), rng);
    int n = 400_000;
    double sum = 0;
    double sumSq = 0;
    for (int k = 0; k < n; k++) {
      double w = kmc.totalRate();
      double scaled = kmc.step() * w; // exponential with mean 1 when tau ~ Exp(W)
      sum += scaled;
      sumSq += scaled * scaled;
    }
    assertEquals(1.0, sum / n, 4 / Math.sqrt(n), "mean of tau W");
    assertEquals(2.0, sumSq / n, 4 * Math.sqrt(20.0 / n), "second moment of tau W");
  }

  @Test
  void totalRateIsTheSumOfEverySitesRate() {
    int side = 8;
    SampleRandom rng = new SampleRandom(9);
    byte[] s = SpinLattice.withMagnetisation(side * side, -0.3, rng);
    int[] nb = SpinLattice.torus(side, side);
    GlauberRates rates = new GlauberRates(2.2, 0.3);
    NFoldWay kmc = new NFoldWay(s, nb, null, rates, rng);
    for (int step = 0; step < 500; step++) {
      double direct = 0;
      for (int i = 0; i < s.length; i++) {
        int sum = s[nb[4 * i]] + s[nb[4 * i + 1]] + s[nb[4 * i + 2]] + s[nb[4 * i + 3]];
        direct += 1 / (1 + Math.exp(2 * s[i] * (sum + 0.3) / 2.2));
      }
      assertEquals(direct, kmc.totalRate(), 1e-12 * direct, "after " + step + " events");
      kmc.step();
    }
  }

  @Test
  void withFrozenSitesTheTotalRateIsTheSumOfTheActiveSitesRates() {
    int side = 8;
    SampleRandom rng = new SampleRandom(13);
    byte[] s = SpinLattice.withMagnetisation(side * side, 0.1, rng);
    int[] nb = SpinLattice.torus(side, side);
    boolean[] frozen = new boolean[s.length];
    for (int i = 0; i < s.length; i++) {
      frozen[i] = i % 3 == 0; // frozen sites scattered through the lattice, neighbours of active ones
    }
    NFoldWay kmc = new NFoldWay(s, nb, frozen, new GlauberRates(2.2, 0.3), rng);
    for (int step = 0; step < 500; step++) {
      double direct = 0;
      for (int i = 0; i < s.length; i++) {
        if (!frozen[i]) {
          int sum = s[nb[4 * i]] + s[nb[4 * i + 1]] + s[nb[4 * i + 2]] + s[nb[4 * i + 3]];
          direct += 1 / (1 + Math.exp(2 * s[i] * (sum + 0.3) / 2.2));
        }
      }
      assertEquals(direct, kmc.totalRate(), 1e-12 * direct, "after " + step + " events");
      kmc.step();
    }
  }

  @Test
  void nFoldWayAndTheOnDrawAgreeInDistribution() {
    double[] nFold = magnetisationsAfter(2.5, 0.1, true, 1500);
    double[] scan = magnetisationsAfter(2.5, 0.1, false, 1500);
    double d = ksStatistic(nFold, scan);
    // Kolmogorov-Smirnov at alpha = 0.001 for two samples of 1500: c(alpha) sqrt(2 / n) = 1.95 * 0.0365
    double critical = 1.95 * Math.sqrt(2.0 / 1500);
    assertTrue(d < critical, "KS statistic " + d + " >= " + critical + ": the two draws differ");
    // the same test tells a different field apart, so it has the power to catch a wrong draw
    double[] otherField = magnetisationsAfter(2.5, 0.3, false, 1500);
    assertTrue(ksStatistic(nFold, otherField) > critical, "the test cannot tell h = 0.1 from h = 0.3");
  }

  /** m of 8 x 8 lattices from m0 = 0 after time 2, one lattice per replica. */
  private static double[] magnetisationsAfter(double temperature, double field, boolean nFold, int replicas) {
    int side = 8;
    int[] nb = SpinLattice.torus(side, side);
    GlauberRates rates = new GlauberRates(temperature, field);
    double[] m = new double[replicas];
    for (int r = 0; r < replicas; r++) {
      byte[] s = SpinLattice.withMagnetisation(side * side, 0.0, new SampleRandom(1000 + r));
      SampleRandom dynamics = new SampleRandom((nFold ? 7_000_000L : 9_000_000L) + r);
      if (nFold) {
        new NFoldWay(s, nb, null, rates, dynamics).runFor(2.0);
      } else {
        new ScanGlauber(s, nb, rates, dynamics).runFor(2.0);
      }
      m[r] = SpinLattice.magnetisation(s);
    }
    return m;
  }

  /** The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs. */
  static double ksStatistic(double[] a, double[] b) {
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < x.length && j < y.length) {
      double v = Math.min(x[i], y[j]);
      while (i < x.length && x[i] <= v) {
        i++;
      }
      while (j < y.length && y[j] <= v) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return d;
  }

  @Test
  void frozenSitesNeverFlipButCountAsNeighbours() {
    int side = 6;
    SampleRandom rng = new SampleRandom(21);
    byte[] s = SpinLattice.withMagnetisation(side * side, 0.0, rng);
    boolean[] frozen = new boolean[s.length];
    for (int i = 0; i < s.length; i++) {
      int x = i % side;
      int y = i / side;
      frozen[i] = x == 0 || y == 0 || x == side - 1 || y == side - 1;
    }
    byte[] before = s.clone();
    NFoldWay kmc = new NFoldWay(s, SpinLattice.torus(side, side), frozen, new GlauberRates(2.5, 0.0), rng);
    kmc.run(5000);
    boolean interiorChanged = false;
    for (int i = 0; i < s.length; i++) {
      if (frozen[i]) {
        assertEquals(before[i], s[i], "frozen site " + i + " flipped");
      } else {
        interiorChanged |= before[i] != s[i];
      }
    }
    assertTrue(interiorChanged);
  }
}
