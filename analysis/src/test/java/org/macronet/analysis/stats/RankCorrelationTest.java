package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RankCorrelationTest {

  private static final double[] X = {-2, -1, 0, 0.5, 3, 7};

  @Test
  void increasingNonlinearMapHasSpearmanOne() {
    double[] y = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      y[i] = Math.exp(X[i]);
    }
    assertEquals(1.0, RankCorrelation.spearman(X, y), 1e-15);
    assertTrue(RankCorrelation.pearson(X, y) < 0.95, "pearson sees the curvature that spearman ignores");
  }

  @Test
  void decreasingMapHasSpearmanMinusOne() {
    double[] y = new double[X.length];
    for (int i = 0; i < X.length; i++) {
      y[i] = -X[i] * X[i] * X[i];
    }
    assertEquals(-1.0, RankCorrelation.spearman(X, y), 1e-15);
  }

  @Test
  void tiesShareTheAverageOfTheirRanks() {
    assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, RankCorrelation.ranks(new double[] {10, 20, 20, 30}));
    // sorted: 1, 3, 3, 3 -> the three 3s share (2 + 3 + 4) / 3 = 3
    assertArrayEquals(new double[] {3, 1, 3, 3}, RankCorrelation.ranks(new double[] {3, 1, 3, 3}));
    assertArrayEquals(new double[] {2, 3, 1},
        RankCorrelation.ranks(new double[] {0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}));
  }

  @Test
  void smallCaseWithTiesMatchesHandComputation() {
    // Given ranks x = {1, 2.5, 2.5, 4}, y = {1, 3, 2, 4}, both with mean 2.5:
    // deviations {-1.5, 0, 0, 1.5} and {-1.5, 0.5, -0.5, 1.5};
    // sxy = 4.5, sxx = 4.5, syy = 5, rho = 4.5 / sqrt(22.5) = sqrt(0.9)
    double rho = RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {10, 30, 20, 40});
    assertEquals(Math.sqrt(0.9), rho, 1e-15);
  }

  @Test
  void pearsonMatchesHandComputation() {
    // deviations {-1, 0, 1} and {-4/3, -1/3, 5/3}: sxy = 3, sxx = 2, syy = 14/3, r = sqrt(27/28)
    assertEquals(Math.sqrt(27.0 / 28.0), RankCorrelation.pearson(new double[] {1, 2, 3}, new double[] {1, 2, 4}), 1e-15);
  }

  @Test
  void constantSampleHasNoCorrelation() {
    assertTrue(Double.isNaN(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
  }

  @Test
  void nanIsRejectedNamingTheIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("x[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {1, 2, Double.NaN}));
    assertTrue(e.getMessage().contains("y[2]"), e.getMessage());
  }

  @Test
  void mismatchedOrTooShortInputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("3 and 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RankCorrelation.pearson(new double[] {1}, new double[] {1}));
    e = assertThrows(IllegalArgumentException.class,
        () -> RankCorrelation.pearson(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("x[1]"), e.getMessage());
  }
}
