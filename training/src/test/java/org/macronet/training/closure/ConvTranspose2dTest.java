package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class ConvTranspose2dTest {

  /** y[i][o][iy s - p + ky][ix s - p + kx] += W[c][o][ky][kx] x[i][c][iy][ix] where inside, plus b[o]. */
  static double[] naive(float[] x, int n, int cIn, int cOut, int k, int s, int p, int h, int w, float[] params) {
    int oh = (h - 1) * s - 2 * p + k;
    int ow = (w - 1) * s - 2 * p + k;
    double[] y = new double[n * cOut * oh * ow];
    int bias = cIn * cOut * k * k;
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < cOut; o++) {
        for (int q = 0; q < oh * ow; q++) {
          y[(i * cOut + o) * oh * ow + q] = params[bias + o];
        }
        for (int c = 0; c < cIn; c++) {
          for (int iy = 0; iy < h; iy++) {
            for (int ix = 0; ix < w; ix++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int oy = iy * s - p + ky;
                  int ox = ix * s - p + kx;
                  if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                    y[((i * cOut + o) * oh + oy) * ow + ox] += (double) params[((c * cOut + o) * k + ky) * k + kx]
                        * x[((i * cIn + c) * h + iy) * w + ix];
                  }
                }
              }
            }
          }
        }
      }
    }
    return y;
  }

  /**
   * The strided convolution with the same weights and no bias, the adjoint T' of the transposed one:
   * z[i][c][iy][ix] = sum_{o, ky, kx} W[c][o][ky][kx] y[i][o][iy s - p + ky][ix s - p + kx], 0 outside.
   */
  static double[] stridedConvolution(float[] y, int n, int cIn, int cOut, int k, int s, int p, int h, int w,
      float[] params) {
    int oh = (h - 1) * s - 2 * p + k;
    int ow = (w - 1) * s - 2 * p + k;
    double[] z = new double[n * cIn * h * w];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < cIn; c++) {
        for (int iy = 0; iy < h; iy++) {
          for (int ix = 0; ix < w; ix++) {
            double sum = 0;
            for (int o = 0; o < cOut; o++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  int oy = iy * s - p + ky;
                  int ox = ix * s - p + kx;
                  if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                    sum += (double) params[((c * cOut + o) * k + ky) * k + kx] * y[((i * cOut + o) * oh + oy) * ow + ox];
                  }
                }
              }
            }
            z[((i * cIn + c) * h + iy) * w + ix] = sum;
          }
        }
      }
    }
    return z;
  }

  private static final int[][] GEOMETRIES = {
    // k, stride, padding, h, w
    {4, 2, 1, 3, 5}, {4, 2, 1, 4, 4}, {3, 2, 1, 3, 4}, {3, 1, 1, 4, 3}, {5, 3, 2, 3, 2}, {2, 2, 0, 2, 3}};

  @Test
  void forwardMatchesTheDefinitionForEveryChunking() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 5;
    for (int[] g : GEOMETRIES) {
      for (int columns : new int[] {1, 2 * g[3] * g[4], Conv2d.COLUMNS}) {
        ConvTranspose2d up = new ConvTranspose2d(3, 2, g[0], g[1], g[2], g[3], g[4], columns);
        float[] params = LayerChecks.gaussian(r, up.parameterCount());
        float[] x = LayerChecks.gaussian(r, n * 3 * g[3] * g[4]);
        float[] y = new float[n * 2 * up.outputHeight() * up.outputWidth()];
        up.forward(params, 0, x, n, y, new float[up.workSize()]);
        double[] expected = naive(x, n, 3, 2, g[0], g[1], g[2], g[3], g[4], params);
        assertEquals(expected.length, y.length, "output size");
        for (int q = 0; q < y.length; q++) {
          assertEquals(expected[q], y[q], 1e-4, java.util.Arrays.toString(g) + " columns " + columns + " output " + q);
        }
      }
    }
  }

  @Test
  void doublingLayerDoublesEachSide() {
    ConvTranspose2d up = ConvTranspose2d.doubling(8, 4, 4, 4);
    assertEquals(8, up.outputHeight());
    assertEquals(8, up.outputWidth());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {8, 4, 4, 4}, up.weightShape());
  }

  @Test
  void isTheAdjointOfTheStridedConvolution() {
    SplittableRandom r = new SplittableRandom(2);
    int n = 3;
    for (int[] g : GEOMETRIES) {
      for (int columns : new int[] {2 * g[3] * g[4], Conv2d.COLUMNS}) {
        ConvTranspose2d up = new ConvTranspose2d(3, 4, g[0], g[1], g[2], g[3], g[4], columns);
        float[] params = LayerChecks.gaussian(r, up.parameterCount());
        java.util.Arrays.fill(params, up.biasOffset(), params.length, 0f); // T x without the bias is linear in x
        float[] x = LayerChecks.gaussian(r, n * 3 * g[3] * g[4]);
        int outSize = n * 4 * up.outputHeight() * up.outputWidth();
        float[] y = LayerChecks.gaussian(r, outSize);
        float[] tx = new float[outSize];
        float[] work = new float[up.workSize()];
        up.forward(params, 0, x, n, tx, work);
        double[] tty = stridedConvolution(y, n, 3, 4, g[0], g[1], g[2], g[3], g[4], params);
        // <y, T x> == <T' y, x>
        double left = LayerChecks.dot(y, tx, outSize);
        double right = LayerChecks.dot(tty, LayerChecks.toDouble(x));
        assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), java.util.Arrays.toString(g));
        // and the backward pass's dL/dx for dL/dy = y is T' y
        float[] dx = new float[x.length];
        up.backward(params, 0, x, n, y, dx, new float[params.length], 0, work);
        for (int q = 0; q < dx.length; q++) {
          assertEquals(tty[q], dx[q], 1e-4, java.util.Arrays.toString(g) + " dx " + q);
        }
      }
    }
  }

  @Test
  void gradientsMatchCentralDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 3;
    for (int[] g : new int[][] {GEOMETRIES[0], GEOMETRIES[2], GEOMETRIES[4]}) {
      for (int columns : new int[] {2 * g[3] * g[4], Conv2d.COLUMNS}) {
        ConvTranspose2d up = new ConvTranspose2d(2, 3, g[0], g[1], g[2], g[3], g[4], columns);
        int offset = 5;
        float[] params = LayerChecks.gaussian(r, offset + up.parameterCount());
        float[] x = LayerChecks.gaussian(r, n * 2 * g[3] * g[4]);
        float[] weights = LayerChecks.gaussian(r, n * 3 * up.outputHeight() * up.outputWidth());
        float[] grad = new float[params.length];
        float[] dx = new float[x.length];
        up.backward(params, offset, x, n, weights, dx, grad, offset, new float[up.workSize()]);
        java.util.function.DoubleSupplier loss = () -> {
          float[] y = new float[weights.length];
          up.forward(params, offset, x, n, y, new float[up.workSize()]);
          return LayerChecks.dot(weights, y, y.length);
        };
        String what = java.util.Arrays.toString(g) + " dL/d";
        LayerChecks.assertGradient(x, dx, x.length, loss, what + "x");
        for (int p = 0; p < offset; p++) {
          assertEquals(0f, grad[p], "nothing written before the layer's offset");
        }
        for (int p = offset; p < params.length; p++) {
          FlowChecks.assertClose(FlowChecks.centralDifference(params, p, loss), grad[p], what + "param[" + p + "]");
        }
      }
    }
  }
}
