package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ParameterImportance#ofSummaries}: the importance from per-target means and variances. */
class ParameterImportanceSummariesTest {

  @Test
  void handComputedSummariesGiveTheImportanceOfTheValues() {
    // {0, 1, 2}, {1, 3}, {4, 6, 8}: means 1, 2, 6 and sample variances 1, 2, 4 (sqrt(3), see ParameterImportanceTest)
    double[][] values = {{0, 1, 2}, {1, 3}, {4, 6, 8}};
    double fromSummaries = ParameterImportance.ofSummaries(new double[] {1, 2, 6}, new double[] {1, 2, 4});
    assertEquals(Math.sqrt(3), fromSummaries, 1e-12);
    assertEquals(ParameterImportance.of(values), fromSummaries, 1e-12);
  }

  @Test
  void equalsOfOnRandomTargetsOfUnequalSizes() {
    SplittableRandom random = new SplittableRandom(11);
    double[][] values = new double[5][];
    double[] means = new double[5];
    double[] variances = new double[5];
    for (int t = 0; t < values.length; t++) {
      values[t] = new double[2 + t * 3];
      for (int i = 0; i < values[t].length; i++) {
        values[t][i] = 0.02 + 0.005 * t + random.nextDouble(-0.01, 0.01);
      }
      means[t] = Summary.mean(values[t]);
      double std = Summary.sampleStd(values[t]);
      variances[t] = std * std;
    }
    double expected = ParameterImportance.of(values);
    assertEquals(expected, ParameterImportance.ofSummaries(means, variances), 1e-12 * expected);
  }

  @Test
  void noSpreadWithinGivesInfinityOrNanAsOfDoes() {
    assertEquals(Double.POSITIVE_INFINITY, ParameterImportance.ofSummaries(new double[] {1, 2}, new double[] {0, 0}), 0);
    assertTrue(Double.isNaN(ParameterImportance.ofSummaries(new double[] {0.1, 0.1, 0.1}, new double[] {0, 0, 0})));
    assertEquals(0, ParameterImportance.ofSummaries(new double[] {3, 3}, new double[] {1, 4}), 0);
  }

  @Test
  void badSummariesAreRejectedNamingTheTarget() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.ofSummaries(new double[] {1, 2}, new double[] {1, -1}));
    assertTrue(e.getMessage().contains("variances[1] (target 1)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.ofSummaries(new double[] {Double.NaN, 2}, new double[] {1, 1}));
    assertTrue(e.getMessage().contains("means[0] (target 0)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.ofSummaries(new double[] {1, 2}, new double[] {1, Double.NaN}));
    assertTrue(e.getMessage().contains("variances[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.ofSummaries(new double[] {1, 2, 3}, new double[] {1, 1}));
    assertTrue(e.getMessage().contains("found 3 and 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ParameterImportance.ofSummaries(new double[] {1}, new double[] {1}));
    assertTrue(e.getMessage().contains("at least 2 targets"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ParameterImportance.ofSummaries(null, new double[] {1, 1}));
  }
}
