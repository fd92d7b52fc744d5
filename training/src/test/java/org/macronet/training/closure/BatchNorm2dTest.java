package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNorm2dTest {
  private static final int N = 3;
  private static final int C = 2;
  private static final int H = 3;
  private static final int W = 2;
  private static final int PIXELS = H * W;

  /**
   * The batch norm in double, as the definition reads: per channel mu and the biased var over
   * n, h, w (train) or the running ones, then gamma (x - mu) / sqrt(var + eps) + beta.
   */
  private static double[] reference(double[] x, double[] gammaBeta, double[] running, boolean train) {
    double[] y = new double[x.length];
    for (int c = 0; c < C; c++) {
      double mean;
      double var;
      if (train) {
        double s = 0;
        for (int i = 0; i < N; i++) {
          for (int q = 0; q < PIXELS; q++) {
            s += x[(i * C + c) * PIXELS + q];
          }
        }
        mean = s / (N * PIXELS);
        double v = 0;
        for (int i = 0; i < N; i++) {
          for (int q = 0; q < PIXELS; q++) {
            double e = x[(i * C + c) * PIXELS + q] - mean;
            v += e * e;
          }
        }
        var = v / (N * PIXELS);
      } else {
        mean = running[c];
        var = running[C + c];
      }
      for (int i = 0; i < N; i++) {
        for (int q = 0; q < PIXELS; q++) {
          int at = (i * C + c) * PIXELS + q;
          y[at] = gammaBeta[c] * (x[at] - mean) / Math.sqrt(var + 1e-5) + gammaBeta[C + c];
        }
      }
    }
    return y;
  }

  /** d(sum w .* reference)/d(a[i]) by central differences in double, h = 1e-6. */
  private static double centralDifference(double[] a, int i, java.util.function.DoubleSupplier loss) {
    double keep = a[i];
    double h = 1e-6;
    a[i] = keep + h;
    double up = loss.getAsDouble();
    a[i] = keep - h;
    double down = loss.getAsDouble();
    a[i] = keep;
    return (up - down) / (2 * h);
  }

  private static void assertNear(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-4 * (1 + Math.abs(expected)), what);
  }

  @Test
  void gradientsMatchCentralDifferencesOfTheDefinitionInBothModes() {
    SplittableRandom r = new SplittableRandom(1);
    BatchNorm2d bn = new BatchNorm2d(C, H, W);
    for (boolean train : new boolean[] {true, false}) {
      int offset = 3;
      float[] params = LayerChecks.gaussian(r, offset + bn.parameterCount());
      float[] buffers = new float[1 + bn.bufferCount()];
      for (int c = 0; c < C; c++) {
        buffers[1 + c] = (float) r.nextGaussian();
        buffers[1 + C + c] = (float) (0.5 + r.nextDouble());
      }
      float[] x = LayerChecks.gaussian(r, N * C * PIXELS);
      for (int q = 0; q < x.length; q++) {
        x[q] = 2 * x[q] + 1; // not already normalised
      }
      float[] weights = LayerChecks.gaussian(r, x.length);
      float[] y = new float[x.length];
      double[] saved = new double[2 * C];
      float[] stats = new float[bn.bufferCount()];
      if (train) {
        bn.forwardTrain(params, offset, x, N, y, saved, stats, 0);
      } else {
        bn.forwardInference(params, offset, buffers, 1, x, N, y, saved);
      }
      double[] xd = LayerChecks.toDouble(x);
      double[] gb = LayerChecks.toDouble(java.util.Arrays.copyOfRange(params, offset, params.length));
      double[] running = LayerChecks.toDouble(java.util.Arrays.copyOfRange(buffers, 1, buffers.length));
      double[] expectedY = reference(xd, gb, running, train);
      for (int q = 0; q < y.length; q++) {
        assertNear(expectedY[q], y[q], "train " + train + " y[" + q + "]");
      }
      // backward, dx written over dy (in place, as the autoencoder uses it)
      float[] grad = new float[params.length];
      float[] d = weights.clone();
      bn.backward(params, offset, x, N, saved, train, d, d, grad, offset);
      double[] w = LayerChecks.toDouble(weights);
      java.util.function.DoubleSupplier loss = () -> LayerChecks.dot(w, reference(xd, gb, running, train));
      for (int q = 0; q < x.length; q++) {
        assertNear(centralDifference(xd, q, loss), d[q], "train " + train + " dL/dx[" + q + "]");
      }
      for (int p = 0; p < gb.length; p++) {
        assertNear(centralDifference(gb, p, loss), grad[offset + p], "train " + train + " dL/d(gamma, beta)[" + p + "]");
      }
    }
  }

  @Test
  void trainingModeWritesTheBatchMeanAndUnbiasedVarianceAndTheRunningUpdateIsPyTorchs() {
    // Given one channel of 4 values 1, 2, 3, 6: mean 3, biased variance 3.5, unbiased 14 / 3
    BatchNorm2d bn = new BatchNorm2d(1, 2, 2);
    float[] params = {1f, 0f};
    float[] x = {1, 2, 3, 6};
    float[] y = new float[4];
    float[] stats = new float[2];
    bn.forwardTrain(params, 0, x, 1, y, new double[2], stats, 0);
    assertEquals(3f, stats[0], 1e-6);
    assertEquals(14f / 3f, stats[1], 1e-6);
    // normalised with the biased variance
    assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-5), y[0], 1e-6);
    // When the running statistics (0.5, 2) are updated with momentum 0.1
    float[] buffers = {0.5f, 2f};
    bn.updateRunning(buffers, 0, stats, 0);
    // Then r = 0.9 r + 0.1 b
    assertEquals(0.9 * 0.5 + 0.1 * 3, buffers[0], 1e-6);
    assertEquals(0.9 * 2 + 0.1 * 14.0 / 3, buffers[1], 1e-6);
  }

  @Test
  void initialisationIsPyTorchs() {
    BatchNorm2d bn = new BatchNorm2d(3, 2, 2);
    float[] params = new float[6];
    bn.initialise(params, 0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, params);
    float[] buffers = new float[6];
    bn.initialiseBuffers(buffers, 0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, buffers);
  }

  @Test
  void trainingModeRefusesASingleValuePerChannel() {
    BatchNorm2d bn = new BatchNorm2d(1, 1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> bn.forwardTrain(new float[] {1, 0}, 0, new float[] {1}, 1, new float[1], new double[2], new float[2], 0));
    assertEquals("training-mode batch norm needs more than one value per channel, found 1", e.getMessage());
  }
}
