package org.macronet.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentileRankTest {

  // sorted: 1, 2, 2, 3
  private static final double[] REFERENCE = {3, 2, 1, 2};

  @Test
  void tiesCountHalf() {
    PercentileRank rank = PercentileRank.of(REFERENCE);
    assertEquals(12.5, rank.rank(1), 1e-12); // 100 (0 + 0.5) / 4
    assertEquals(50, rank.rank(2), 1e-12); // 100 (1 + 0.5 * 2) / 4
    assertEquals(75, rank.rank(2.5), 1e-12); // 100 * 3 / 4
    assertEquals(87.5, rank.rank(3), 1e-12); // 100 (3 + 0.5) / 4
    assertEquals(4, rank.size());
  }

  @Test
  void belowAndAboveEveryValue() {
    PercentileRank rank = PercentileRank.of(REFERENCE);
    assertEquals(0, rank.rank(0.5), 0);
    assertEquals(0, rank.rank(Double.NEGATIVE_INFINITY), 0);
    assertEquals(100, rank.rank(3.5), 0);
    assertEquals(100, rank.rank(Double.POSITIVE_INFINITY), 0);
    assertArrayEquals(new double[] {0, 50, 100}, rank.ranks(new double[] {-1, 2, 9}), 1e-12);
  }

  @Test
  void aValueAmongEqualsIsTheMedian() {
    assertEquals(50, PercentileRank.rank(7, new double[] {7, 7, 7}), 0);
    assertEquals(50, PercentileRank.rank(0.0, new double[] {-0.0}), 0, "-0.0 and 0.0 tie");
  }

  @Test
  void theReferenceRankedAgainstItselfAveragesFifty() {
    // sum_i (#less_i + 0.5 #equal_i) = N^2 / 2 for any sample, ties or not
    SplittableRandom random = new SplittableRandom(11);
    double[] sample = new double[501];
    for (int i = 0; i < sample.length; i++) {
      sample[i] = random.nextInt(40); // many ties
    }
    double[] ranks = PercentileRank.of(sample).ranks(sample);
    assertEquals(50, Summary.mean(ranks), 1e-9);
  }

  @Test
  void theReferenceIsNotReordered() {
    double[] reference = REFERENCE.clone();
    PercentileRank rank = PercentileRank.of(reference);
    reference[0] = -100;
    assertArrayEquals(new double[] {-100, 2, 1, 2}, reference);
    assertEquals(87.5, rank.rank(3), 1e-12, "the ranker keeps its own copy");
  }

  @Test
  void emptyReferenceAndNanAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PercentileRank.of(new double[0]));
    assertTrue(e.getMessage().contains("at least one"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PercentileRank.of(null));
    e = assertThrows(IllegalArgumentException.class, () -> PercentileRank.of(new double[] {1, Double.NaN}));
    assertTrue(e.getMessage().contains("reference[1]"), e.getMessage());
    PercentileRank rank = PercentileRank.of(REFERENCE);
    e = assertThrows(IllegalArgumentException.class, () -> rank.rank(Double.NaN));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> rank.ranks(new double[] {1, 2, Double.NaN}));
    assertTrue(e.getMessage().contains("values[2]"), e.getMessage());
  }
}
