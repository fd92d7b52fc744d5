package org.macronet.analysis.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MagnetisationMomentsTest {

  @Test
  void handComputedMoments() {
    MagnetisationMoments m = new MagnetisationMoments();
    for (double x : new double[] {0.5, -0.5, 1.0, 0.0}) {
      m.add(x);
    }
    assertEquals(4, m.count());
    assertEquals(0.25, m.mean(), 1e-15);
    assertEquals(0.5, m.meanAbs(), 1e-15);
    assertEquals((0.25 + 0.25 + 1) / 4, m.second(), 1e-15);
    assertEquals((0.0625 + 0.0625 + 1) / 4, m.fourth(), 1e-15);
    // 16 sites at T = 2: chi = 16 (0.375 - 0.25) / 2, chi' = 16 * 0.375 / 2
    assertEquals(1.0, m.susceptibility(16, 2.0), 1e-14);
    assertEquals(3.0, m.susceptibilityOfSecondMoment(16, 2.0), 1e-14);
    assertEquals(1 - 0.28125 / (3 * 0.375 * 0.375), m.binderCumulant(), 1e-15);
  }

  @Test
  void theBinderCumulantsLimits() {
    // two ordered states +-a: U = 2/3 and no fluctuation of |m|
    MagnetisationMoments ordered = new MagnetisationMoments();
    for (int i = 0; i < 100; i++) {
      ordered.add(i % 2 == 0 ? 0.7 : -0.7);
    }
    assertEquals(2.0 / 3, ordered.binderCumulant(), 1e-14);
    assertEquals(0.0, ordered.susceptibility(64, 2.27), 1e-12);
    // a Gaussian m: <m^4> = 3 <m^2>^2, U = 0; chi = N sigma^2 (1 - 2 / pi) / T
    MagnetisationMoments gaussian = new MagnetisationMoments();
    SplittableRandom r = new SplittableRandom(3);
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      double u1 = 1 - r.nextDouble();
      double u2 = r.nextDouble();
      gaussian.add(0.1 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    assertEquals(0.0, gaussian.binderCumulant(), 0.01);
    assertEquals(100 * 0.01 * (1 - 2 / Math.PI), gaussian.susceptibility(100, 1.0), 0.01);
  }

  @Test
  void mergedBlocksEqualOneAccumulation() {
    SplittableRandom r = new SplittableRandom(9);
    double[] x = new double[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * r.nextDouble() - 1;
    }
    MagnetisationMoments whole = new MagnetisationMoments();
    for (double v : x) {
      whole.add(v);
    }
    MagnetisationMoments merged = new MagnetisationMoments();
    for (int block = 0; block < 10; block++) {
      MagnetisationMoments part = new MagnetisationMoments();
      for (int i = block * 100; i < block * 100 + 100; i++) {
        part.add(x[i]);
      }
      merged.merge(part);
    }
    assertEquals(whole.count(), merged.count());
    assertEquals(whole.second(), merged.second(), 1e-15);
    assertEquals(whole.binderCumulant(), merged.binderCumulant(), 1e-14);
    assertEquals(whole.susceptibility(256, 2.27), merged.susceptibility(256, 2.27), 1e-12);
  }

  @Test
  void noSamplesIsAnError() {
    assertThrows(IllegalStateException.class, () -> new MagnetisationMoments().binderCumulant());
  }
}
