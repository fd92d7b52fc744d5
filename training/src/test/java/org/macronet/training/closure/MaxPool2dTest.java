package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaxPool2dTest {

  @Test
  void forwardIsTheWindowMaximumAndBackwardRoutesToIt() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 2;
    int c = 3;
    int h = 4;
    int w = 6;
    MaxPool2d pool = new MaxPool2d(c, h, w);
    float[] x = LayerChecks.gaussian(r, n * c * h * w);
    float[] y = new float[n * pool.outputSize()];
    int[] argmax = new int[y.length];
    pool.forward(x, n, y, argmax);
    assertEquals(c * 2 * 3, pool.outputSize());
    for (int plane = 0; plane < n * c; plane++) {
      for (int oy = 0; oy < h / 2; oy++) {
        for (int ox = 0; ox < w / 2; ox++) {
          double best = Double.NEGATIVE_INFINITY;
          for (int dy = 0; dy < 2; dy++) {
            for (int dx = 0; dx < 2; dx++) {
              best = Math.max(best, x[plane * h * w + (2 * oy + dy) * w + 2 * ox + dx]);
            }
          }
          assertEquals(best, y[plane * (h / 2) * (w / 2) + oy * (w / 2) + ox], "plane " + plane + " (" + oy + ", " + ox
              + ")");
        }
      }
    }
    // the gradient against central differences of L = sum w .* y (distinct values, so no ties)
    float[] weights = LayerChecks.gaussian(r, y.length);
    float[] dx = new float[x.length];
    java.util.Arrays.fill(dx, 7f); // written, not added
    pool.backward(weights, n, argmax, dx);
    LayerChecks.assertGradient(x, dx, x.length, () -> {
      float[] out = new float[y.length];
      pool.forward(x, n, out, new int[y.length]);
      return LayerChecks.dot(weights, out, out.length);
    }, "dL/dx");
  }

  @Test
  void tiesGoToTheFirstInRowMajorOrder() {
    MaxPool2d pool = new MaxPool2d(1, 2, 4);
    // window 0: all equal -> (0, 0); window 1: the bottom two tie -> (1, 0) of the window
    float[] x = {5, 5, 1, 2,
                 5, 5, 9, 9};
    float[] y = new float[2];
    int[] argmax = new int[2];
    pool.forward(x, 1, y, argmax);
    assertArrayEquals(new float[] {5, 9}, y);
    assertArrayEquals(new int[] {0, 6}, argmax);
    float[] dx = new float[8];
    pool.backward(new float[] {1.5f, -2f}, 1, argmax, dx);
    assertArrayEquals(new float[] {1.5f, 0, 0, 0, 0, 0, -2f, 0}, dx);
  }

  @Test
  void refusesOddSides() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new MaxPool2d(1, 3, 4));
    assertEquals("2 x 2 max pooling needs even sides, found 1 x 3 x 4", e.getMessage());
  }
}
