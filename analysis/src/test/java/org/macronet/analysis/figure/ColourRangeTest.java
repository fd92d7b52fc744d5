package org.macronet.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColourRangeTest {

  @Test
  void oneExtremeCornerDoesNotFlattenTheScale() {
    // Given a 101 x 101 field ramping from -1 to 1 whose corner cells reach 56.9 (as a learned
    // macrostate can far outside the data),
    double[][] grid = new double[101][101];
    for (int i = 0; i < 101; i++) {
      for (int j = 0; j < 101; j++) {
        grid[i][j] = -1 + 2.0 * j / 100;
      }
    }
    grid[100][100] = 56.9;
    grid[100][99] = 40;
    // then the colours span the 1st to 99th percentile, close to the ramp's own range,
    ColourRange r = ColourRange.of(grid);
    assertEquals(-0.98, r.low(), 1e-9);
    assertEquals(0.98, r.high(), 1e-9);
    // the ramp's middle sits mid-scale instead of in the first colour,
    assertEquals(0.5, r.position(0), 1e-9);
    // the corners take the end colour, and the description states both ranges.
    assertEquals(1, r.position(56.9));
    assertEquals(0, r.position(-5));
    assertTrue(r.clipped());
    assertEquals(56.9, r.max());
    assertEquals("colours: 1st-99th percentile, -0.980 to 0.980; all values -1.00 to 56.9", r.describe());
  }

  @Test
  void degenerateValuesStillGiveAUsableScale() {
    ColourRange constant = ColourRange.of(new double[] {3, 3, 3, Double.NaN});
    assertEquals(2.5, constant.low());
    assertEquals(3.5, constant.high());
    // mostly one value: the percentiles coincide, so the full range is used
    double[] mostly = new double[1000];
    mostly[999] = 1;
    ColourRange r = ColourRange.of(mostly);
    assertEquals(0, r.low());
    assertEquals(1, r.high());
    assertFalse(r.clipped());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ColourRange.of(new double[] {Double.NaN}));
    assertTrue(e.getMessage().contains("none of 1"), e.getMessage());
  }
}
