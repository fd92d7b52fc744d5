package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearFitTest {

  @Test
  void exactLinearRelationHasRSquaredOne() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 200;
    double[] a = new double[n];
    double[] b = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-1, 1);
      b[i] = r.nextDouble(-1, 1);
      y[i] = 3 - 2 * a[i] + 0.5 * b[i];
    }
    assertEquals(1, LinearFit.rSquared(new double[][] {a, b}, y), 1e-12);
  }

  @Test
  void matchesTheSignalShareOfANoisyRelation() {
    // y = a + e with var(a) = 1/3 (uniform on [-1, 1]) and var(e) = 1/3: R^2 = 0.5
    SplittableRandom r = new SplittableRandom(2);
    int n = 200_000;
    double[] a = new double[n];
    double[] junk = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextDouble(-1, 1);
      junk[i] = r.nextDouble(-1, 1);
      y[i] = a[i] + r.nextDouble(-1, 1);
    }
    assertEquals(0.5, LinearFit.rSquared(new double[][] {a}, y), 0.01);
    assertEquals(0.5, LinearFit.rSquared(new double[][] {a, junk}, y), 0.01);
    assertTrue(LinearFit.rSquared(new double[][] {junk}, y) < 0.001);
  }

  @Test
  void oneSampleByHand() {
    // x = 0, 1, 2, 3; y = 0, 1, 1, 3: slope 0.9, intercept -0.1; residuals 0.1, 0.2, -0.7, 0.4 -> SS_res 0.7; SS_tot 4.75
    double r2 = LinearFit.rSquared(new double[][] {{0, 1, 2, 3}}, new double[] {0, 1, 1, 3});
    assertEquals(1 - 0.7 / 4.75, r2, 1e-12);
  }

  @Test
  void badInputIsRejected() {
    double[] x = {0, 1, 2, 3};
    assertThrows(IllegalArgumentException.class, () -> LinearFit.rSquared(new double[][] {{1, 1, 1, 1}}, x));
    assertThrows(IllegalArgumentException.class, () -> LinearFit.rSquared(new double[][] {x, {0, 2, 4, 6}},
        new double[] {1, 0, 1, 0}));
    assertThrows(IllegalArgumentException.class, () -> LinearFit.rSquared(new double[][] {{0, 1, 2}}, x));
    assertThrows(IllegalArgumentException.class, () -> LinearFit.rSquared(new double[][] {{0, 1, Double.NaN, 3}}, x));
    assertTrue(Double.isNaN(LinearFit.rSquared(new double[][] {x}, new double[] {2, 2, 2, 2})));
  }
}
