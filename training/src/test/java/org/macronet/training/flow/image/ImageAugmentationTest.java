package org.macronet.training.flow.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;

class ImageAugmentationTest {

  private static float[] ramp(int n, float start) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = start + i;
    }
    return x;
  }

  private static float[] transformed(float[] src, ImageShape shape, int dy, int dx, int g) {
    float[] out = new float[shape.dim()];
    ImageAugmentation.transform(src, 0, out, 0, shape, dy, dx, g);
    return out;
  }

  @Test
  void aShiftRollsEveryChannelPeriodicallyByHand() {
    // channel 0 is [[0 1 2] [3 4 5]], channel 1 the same plus 10
    ImageShape shape = new ImageShape(2, 2, 3);
    float[] src = {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15};
    // out[y][x] = in[(y + 1) % 2][(x + 2) % 3]
    assertArrayEquals(new float[] {5, 3, 4, 2, 0, 1, 15, 13, 14, 12, 10, 11}, transformed(src, shape, 1, 2, 0));
    assertArrayEquals(src, transformed(src, shape, 0, 0, 0));
  }

  @Test
  void thePointOperationsTransposeAndMirrorByHand() {
    ImageShape shape = new ImageShape(1, 3, 3);
    float[] src = ramp(9, 0); // [[0 1 2] [3 4 5] [6 7 8]]
    assertArrayEquals(new float[] {6, 7, 8, 3, 4, 5, 0, 1, 2}, transformed(src, shape, 0, 0, 1), "rows mirrored");
    assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3, 8, 7, 6}, transformed(src, shape, 0, 0, 2), "columns mirrored");
    assertArrayEquals(new float[] {0, 3, 6, 1, 4, 7, 2, 5, 8}, transformed(src, shape, 0, 0, 4), "transposed");
    // transposed, then rows mirrored (out[y][x] = in[2 - x][y]): a quarter turn
    assertArrayEquals(new float[] {6, 3, 0, 7, 4, 1, 8, 5, 2}, transformed(src, shape, 0, 0, 5), "a quarter turn");
    // with a shift (1, 1): out[y][x] = in[(2 - y + 1) % 3][(x + 1) % 3]
    assertArrayEquals(new float[] {1, 2, 0, 7, 8, 6, 4, 5, 3}, transformed(src, shape, 1, 1, 1), "mirrored, shifted");
  }

  @Test
  void everyElementIsAPermutationAndTheElementsAreTheWholeGroupOnce() {
    ImageShape shape = new ImageShape(2, 4, 4);
    float[] src = ramp(shape.dim(), 0);
    float[] sorted = src.clone();
    for (ImageAugmentation.Group group : ImageAugmentation.Group.values()) {
      ImageAugmentation a = new ImageAugmentation(shape, group);
      Set<String> images = new HashSet<>();
      int points = group == ImageAugmentation.Group.LATTICE ? 8 : 1;
      for (int g = 0; g < points; g++) {
        for (int dy = 0; dy < 4; dy++) {
          for (int dx = 0; dx < 4; dx++) {
            float[] out = transformed(src, shape, dy, dx, g);
            // channel 1 moves as channel 0 does
            for (int i = 0; i < 16; i++) {
              assertEquals(out[i] + 16, out[16 + i], "channels move together");
            }
            float[] values = out.clone();
            Arrays.sort(values);
            assertArrayEquals(sorted, values, "a permutation of the pixels");
            images.add(Arrays.toString(out));
          }
        }
      }
      // distinct images from distinct parameters: uniform draws of (dy, dx, g) are uniform over the group
      assertEquals(a.order(), images.size(), group.name());
    }
  }

  @Test
  void applyDrawsTheShiftThenThePointOperationFromTheGivenGenerator() {
    ImageShape shape = new ImageShape(2, 8, 8);
    float[] src = ramp(shape.dim(), 1);
    for (long seed = 0; seed < 20; seed++) {
      SampleRandom draws = new SampleRandom(seed);
      int dy = draws.nextInt(8);
      int dx = draws.nextInt(8);
      int g = draws.nextInt(8);
      float[] got = new float[shape.dim() + 3];
      new ImageAugmentation(shape, ImageAugmentation.Group.LATTICE).apply(src, 0, got, 3, new SampleRandom(seed));
      assertArrayEquals(transformed(src, shape, dy, dx, g), Arrays.copyOfRange(got, 3, got.length), "seed " + seed);
      float[] shifted = new float[shape.dim()];
      new ImageAugmentation(shape, ImageAugmentation.Group.TRANSLATIONS).apply(src, 0, shifted, 0,
          new SampleRandom(seed));
      assertArrayEquals(transformed(src, shape, dy, dx, 0), shifted, "seed " + seed);
    }
  }

  @Test
  void rotationsOfANonSquareImageAndElementsOutOfRangeAreRefused() {
    ImageShape wide = new ImageShape(1, 4, 8);
    assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(wide, ImageAugmentation.Group.LATTICE));
    assertEquals(32, new ImageAugmentation(wide, ImageAugmentation.Group.TRANSLATIONS).order());
    float[] src = new float[32];
    assertThrows(IllegalArgumentException.class, () -> transformed(src, wide, 0, 0, 4));
    assertThrows(IllegalArgumentException.class, () -> transformed(src, wide, 4, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> transformed(src, wide, 0, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> transformed(src, wide, 0, 0, 8));
  }
}
