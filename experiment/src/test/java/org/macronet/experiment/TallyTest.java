package org.macronet.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.analysis.stats.Summary;

class TallyTest {

  @Test
  void quantilesOfMergedTalliesEqualThoseOfAllTheValues() {
    SplittableRandom random = new SplittableRandom(7);
    double[] all = new double[301];
    Tally[] parts = {new Tally(), new Tally(), new Tally()};
    for (int i = 0; i < all.length; i++) {
      // values on a grid, as percentile ranks are: many ties
      all[i] = random.nextInt(41) * 2.5;
      parts[i % 3].observe("score", all[i]).count("n", 1);
    }
    Tally merged = new Tally().merge(parts[2]).merge(parts[0]).merge(parts[1]);
    assertEquals(301, merged.count("n"));
    assertEquals(301, merged.observations("score"));
    for (double p : new double[] {0, 0.1, 0.5, 0.77, 1}) {
      assertEquals(Summary.quantile(all, p), merged.quantile("score", p), 1e-12, "p = " + p);
    }
    // an even count interpolates between the two middle values
    Tally even = new Tally().observe("x", 1).observe("x", 4).observe("x", 2).observe("x", 10);
    assertEquals(3.0, even.quantile("x", 0.5), 0);
    assertTrue(Double.isNaN(new Tally().quantile("x", 0.5)));
  }

  @Test
  void countsByPrefixAndRefusals() {
    Tally t = new Tally().count("invalid.unstable", 2).count("invalid.no pattern", 1).count("valid", 5)
        .count("invalid.unstable", 1);
    assertEquals(Map.of("unstable", 3L, "no pattern", 1L), t.countsUnder("invalid."));
    assertEquals(0, t.count("absent"));
    assertThrows(IllegalArgumentException.class, () -> t.observe("x", Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> t.quantile("x", 1.5));
  }
}
