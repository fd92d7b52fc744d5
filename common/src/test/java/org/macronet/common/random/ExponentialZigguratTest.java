package org.macronet.common.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExponentialZigguratTest {

  @Test
  void theLayersHaveEqualAreasAndCloseAtZero() {
    // the tables follow from R and V: the last layer's top must reach f(0) = 1 (within the constants' rounding)
    double x = ExponentialZiggurat.R;
    for (int i = 2; i < 256; i++) {
      x = -Math.log(ExponentialZiggurat.V / x + Math.exp(-x));
    }
    assertEquals(1.0, Math.exp(-x) + ExponentialZiggurat.V / x, 1e-9);
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
