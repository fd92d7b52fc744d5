package org.macronet.common.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExponentialZigguratTest {

  @Test
  void theLayersHaveEqualAreasAndCloseAtZero() {
    double[] x = ExponentialZiggurat.X;
    double[] f = ExponentialZiggurat.F;
    double v = ExponentialZiggurat.V;
    assertEquals(ExponentialZiggurat.R, x[1]);
    assertEquals(0.0, x[256]);
    // the base strip (rectangle under f(R) plus the tail beyond R) has area V
    assertEquals(v, x[1] * f[1] + Math.exp(-x[1]), 1e-15);
    assertEquals(v, x[0] * f[1], 1e-15);
    for (int i = 1; i < 255; i++) {
      assertTrue(x[i + 1] < x[i], "edges decrease at " + i);
      assertEquals(Math.exp(-x[i]), f[i], 1e-15 * f[i]);
      assertEquals(v, x[i] * (f[i + 1] - f[i]), 1e-12, "layer " + i + " has area V");
    }
    // the top layer closes at f(0) = 1 (to the constants' rounding)
    assertEquals(1.0, f[255] + v / x[255], 1e-9);
  }

  @Test
  void variatesFollowTheExponentialDistribution() {
    SampleRandom rng = new SampleRandom(42);
    int n = 1_000_000;
    double[] x = new double[n];
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      x[i] = rng.nextExponential();
      assertTrue(x[i] >= 0 && Double.isFinite(x[i]));
      sum += x[i];
      sumSq += x[i] * x[i];
    }
    assertEquals(1.0, sum / n, 4 / Math.sqrt(n), "mean");
    assertEquals(2.0, sumSq / n, 4 * Math.sqrt(20.0 / n), "second moment");
    // Kolmogorov-Smirnov against 1 - exp(-x), alpha = 0.001: 1.95 / sqrt(n)
    Arrays.sort(x);
    double d = 0;
    for (int i = 0; i < n; i++) {
      double cdf = 1 - Math.exp(-x[i]);
      d = Math.max(d, Math.max((i + 1.0) / n - cdf, cdf - (double) i / n));
    }
    assertTrue(d < 1.95 / Math.sqrt(n), "KS statistic " + d);
    // the tail beyond the base strip (R = 7.7) is drawn too: P(X > 7.7) = 4.5e-4
    long tail = Arrays.stream(x).filter(v -> v > ExponentialZiggurat.R).count();
    assertEquals(n * Math.exp(-ExponentialZiggurat.R), tail, 5 * Math.sqrt(n * Math.exp(-ExponentialZiggurat.R)));
  }

  @Test
  void theSameSeedGivesTheSameVariates() {
    SampleRandom a = new SampleRandom(7);
    SampleRandom b = new SampleRandom(7);
    for (int i = 0; i < 1000; i++) {
      assertEquals(Double.doubleToRawLongBits(a.nextExponential()), Double.doubleToRawLongBits(b.nextExponential()));
    }
  }
}
