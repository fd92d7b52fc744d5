package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class Conv2dTest {

  /** y[i][o][y][x] = b[o] + sum_{c, ky, kx} W[o][c][ky][kx] x[i][c][y + ky - k/2][x + kx - k/2], 0 outside. */
  static double[] naive(float[] x, int n, int cIn, int cOut, int k, int h, int w, float[] params) {
    double[] y = new double[n * cOut * h * w];
    int r = k / 2;
    int bias = cOut * cIn * k * k;
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < cOut; o++) {
        for (int yy = 0; yy < h; yy++) {
          for (int xx = 0; xx < w; xx++) {
            double s = params[bias + o];
            for (int c = 0; c < cIn; c++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int sy = yy + ky - r;
                  int sx = xx + kx - r;
                  if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                    s += (double) params[((o * cIn + c) * k + ky) * k + kx] * x[((i * cIn + c) * h + sy) * w + sx];
                  }
                }
              }
            }
            y[((i * cOut + o) * h + yy) * w + xx] = s;
          }
        }
      }
    }
    return y;
  }

  @Test
  void forwardIsAZeroPaddedConvolutionForEveryChunking() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 5;
    int h = 4;
    int w = 6;
    for (int k : new int[] {1, 3, 5}) {
      // chunks of 1, 2 (the last one short) and all 5 images
      for (int columns : new int[] {1, 2 * h * w, Conv2d.COLUMNS}) {
        Conv2d conv = new Conv2d(3, 2, k, h, w, columns);
        float[] params = LayerChecks.gaussian(r, conv.parameterCount());
        float[] x = LayerChecks.gaussian(r, n * 3 * h * w);
        float[] y = new float[n * 2 * h * w];
        conv.forward(params, 0, x, n, y, new float[conv.workSize()]);
        double[] expected = naive(x, n, 3, 2, k, h, w, params);
        for (int q = 0; q < y.length; q++) {
          assertEquals(expected[q], y[q], 1e-4, "k " + k + ", columns " + columns + ", output " + q);
        }
      }
    }
  }

  @Test
  void gradientsMatchCentralDifferences() {
    SplittableRandom r = new SplittableRandom(2);
    int n = 3;
    int h = 5;
    int w = 4;
    for (int k : new int[] {3, 5}) {
      for (int columns : new int[] {2 * h * w, Conv2d.COLUMNS}) {
        Conv2d conv = new Conv2d(2, 3, k, h, w, columns);
        int offset = 7; // a view into a larger flat array
        float[] params = LayerChecks.gaussian(r, offset + conv.parameterCount());
        float[] x = LayerChecks.gaussian(r, n * 2 * h * w);
        float[] weights = LayerChecks.gaussian(r, n * 3 * h * w);
        float[] work = new float[conv.workSize()];
        float[] grad = new float[params.length];
        float[] dx = new float[x.length];
        conv.backward(params, offset, x, n, weights, dx, grad, offset, work);
        java.util.function.DoubleSupplier loss = () -> {
          float[] y = new float[weights.length];
          conv.forward(params, offset, x, n, y, new float[conv.workSize()]);
          return LayerChecks.dot(weights, y, y.length);
        };
        LayerChecks.assertGradient(x, dx, x.length, loss, "k " + k + " dL/dx");
        for (int p = 0; p < offset; p++) {
          assertEquals(0f, grad[p], "nothing written before the layer's offset");
        }
        for (int p = offset; p < params.length; p++) {
          FlowChecks.assertClose(FlowChecks.centralDifference(params, p, loss), grad[p], "k " + k + " dL/dparam[" + p + "]");
        }
      }
    }
  }

  @Test
  void gradientsAreAddedIntoTheirSlot() {
    Conv2d conv = new Conv2d(1, 1, 3, 2, 2);
    float[] params = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
    float[] grad = new float[10];
    java.util.Arrays.fill(grad, 5f);
    float[] x = {1, 2, 3, 4};
    conv.backward(params, 0, x, 1, new float[] {1, 0, 0, 0}, null, grad, 0, new float[conv.workSize()]);
    // dy at (0, 0): dW[ky][kx] = x[ky - 1][kx - 1], inside for ky, kx >= 1
    float[] expected = {5, 5, 5, 5, 6, 7, 5, 8, 9, 6};
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, grad);
  }

  @Test
  void rejectsEvenKernels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(1, 2, 2, 4, 4));
    assertEquals("the kernel must be odd, found 2", e.getMessage());
  }
}
