package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {

  // squared deviations from the mean 5: 9, 1, 1, 1, 0, 0, 4, 16, summing to 32
  private static final double[] X = {2, 4, 4, 4, 5, 5, 7, 9};

  @Test
  void meanAndBothStandardDeviations() {
    assertEquals(5, Summary.mean(X), 0);
    assertEquals(2, Summary.populationStd(X), 1e-15); // sqrt(32 / 8)
    assertEquals(Math.sqrt(32.0 / 7), Summary.sampleStd(X), 1e-15);
    assertEquals(0, Summary.populationStd(new double[] {3}), 0);
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertEquals(4.5, Summary.median(X), 0);
    assertEquals(3, Summary.median(new double[] {9, 3, 1}), 0);
  }

  @Test
  void quantileInterpolatesLinearlyBetweenOrderStatistics() {
    double[] x = {8, 1, 4, 2}; // sorted 1, 2, 4, 8
    assertEquals(1, Summary.quantile(x, 0), 0);
    assertEquals(8, Summary.quantile(x, 1), 0);
    assertEquals(3, Summary.quantile(x, 0.5), 1e-15); // h = 1.5: 2 + 0.5 * (4 - 2)
    assertEquals(6.8, Summary.quantile(x, 0.9), 1e-12); // h = 2.7: 4 + 0.7 * (8 - 4)
    assertEquals(1.5, Summary.quantile(x, 1.0 / 6), 1e-12); // h = 0.5
    assertEquals(8, x[0], 0, "the input is not reordered");
  }

  @Test
  void coefficientOfVariationIsPopulationStdOverMean() {
    assertEquals(0.4, Summary.coefficientOfVariation(X), 1e-15);
    double[] radii = new double[16];
    for (int i = 0; i < radii.length; i++) {
      double angle = 2 * Math.PI * i / radii.length;
      radii[i] = Math.hypot(3 * Math.cos(angle), 3 * Math.sin(angle));
    }
    assertEquals(0, Summary.coefficientOfVariation(radii), 1e-15);
  }

  @Test
  void badInputIsRejectedWithTheValueFound() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summary.quantile(X, 1.5));
    assertTrue(e.getMessage().contains("p") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Summary.mean(new double[] {1, 2, Double.NaN}));
    assertTrue(e.getMessage().contains("x[2]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Summary.median(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> Summary.sampleStd(new double[] {1}));
    e = assertThrows(IllegalArgumentException.class, () -> Summary.coefficientOfVariation(new double[] {-1, 1}));
    assertTrue(e.getMessage().contains("mean 0"), e.getMessage());
  }
}
