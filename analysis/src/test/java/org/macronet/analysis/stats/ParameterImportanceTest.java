package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParameterImportanceTest {

  @Test
  void smallCaseMatchesHandComputation() {
    // means 2 and 6: sample std sqrt(((2 - 4)^2 + (6 - 4)^2) / 1) = sqrt(8);
    // sample variances 2 and 2: within = sqrt(2); importance = sqrt(8) / sqrt(2) = 2
    assertEquals(2, ParameterImportance.of(new double[][] {{1, 3}, {5, 7}}), 1e-12);
    // means 1, 2, 6 (mean 3): between = sqrt((4 + 1 + 9) / 2) = sqrt(7);
    // sample variances 1, 2, 4 (rows of unequal length weigh the same): within = sqrt(7 / 3);
    // importance = sqrt(7) / sqrt(7 / 3) = sqrt(3)
    assertEquals(Math.sqrt(3), ParameterImportance.of(new double[][] {{0, 1, 2}, {1, 3}, {4, 6, 8}}), 1e-12);
  }

  @Test
  void equalMeansHaveNoImportance() {
    assertEquals(0, ParameterImportance.of(new double[][] {{0, 2, 4}, {1, 3}}), 0);
  }

  @Test
  void aParameterTheTargetFixesOutranksOneItIgnores() {
    // F-like: the target moves the mean; Da-like: the same prior-wide spread for every target
    SplittableRandom random = new SplittableRandom(5);
    int targets = 6;
    int designs = 50;
    double[][] f = new double[targets][designs];
    double[][] da = new double[targets][designs];
    for (int t = 0; t < targets; t++) {
      for (int i = 0; i < designs; i++) {
        f[t][i] = 0.015 + 0.007 * t + random.nextDouble(-0.002, 0.002);
        da[t][i] = random.nextDouble(0.12, 0.20);
      }
    }
    double importanceF = ParameterImportance.of(f);
    double importanceDa = ParameterImportance.of(da);
    assertTrue(importanceF > 5, "F: " + importanceF);
    assertTrue(importanceDa < 0.5, "Da: about 1 / sqrt(50) when it carries nothing, found " + importanceDa);
    assertTrue(importanceF > 20 * importanceDa, importanceF + " against " + importanceDa);
  }

  @Test
  void constantRowsGiveInfinityOrNan() {
    assertEquals(Double.POSITIVE_INFINITY, ParameterImportance.of(new double[][] {{1, 1}, {2, 2}}), 0);
    // a parameter fixed in the prior: no spread anywhere, even though the mean of 0.1s is not 0.1 exactly
    assertTrue(Double.isNaN(ParameterImportance.of(new double[][] {{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}})));
  }

  @Test
  void badInputIsRejectedNamingTheTarget() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.of(new double[][] {{1, 2}, {3, Double.NaN}}));
    assertTrue(e.getMessage().contains("target 1") && e.getMessage().contains("values[1][1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ParameterImportance.of(new double[][] {{1, 2}, {3}}));
    assertTrue(e.getMessage().contains("target 1 needs at least 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ParameterImportance.of(new double[][] {{1, 2}}));
    assertTrue(e.getMessage().contains("at least 2 targets"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ParameterImportance.of(new double[][] {{1, 2}, null}));
    assertTrue(e.getMessage().contains("target 1"), e.getMessage());
  }
}
