package org.macronet.training.closure;

import java.util.Arrays;

/**
 * PyTorch's {@code BatchNorm2d(c)} (eps 1e-5, momentum 0.1, affine) on {@code [n][c][h][w]}
 * batches: {@code y = gamma (x - mu) / sqrt(var + eps) + beta} per channel. In training mode mu
 * and var are the batch's, over n, h and w (var biased, as PyTorch normalises), and the backward
 * pass goes through them; in inference mode they are the running statistics.
 *
 * <p>Parameters at an offset of a flat array: gamma {@code [c]} (PyTorch's {@code weight}), then
 * beta {@code [c]} ({@code bias}). The running statistics are buffers, not parameters: running
 * mean {@code [c]} then running variance {@code [c]} at an offset of a separate array, updated only
 * by {@link #updateRunning}: {@code r := (1 - momentum) r + momentum b} with the batch's mean and
 * unbiased variance, as PyTorch does.
 */
public final class BatchNorm2d {
  public static final double EPS = 1e-5;
  public static final double MOMENTUM = 0.1;

  private final int channels;
  private final int pixels;

  public BatchNorm2d(int channels, int height, int width) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("batch norm needs positive channels and size, found " + channels + " x "
          + height + " x " + width);
    }
    this.channels = channels;
    this.pixels = height * width;
  }

  public int channels() {
    return channels;
  }

  /** gamma and beta. */
  public int parameterCount() {
    return 2 * channels;
  }

  /** Running mean and running variance. */
  public int bufferCount() {
    return 2 * channels;
  }

  /** gamma 1, beta 0. */
  public void initialise(float[] params, int offset) {
    Arrays.fill(params, offset, offset + channels, 1f);
    Arrays.fill(params, offset + channels, offset + 2 * channels, 0f);
  }

  /** Running mean 0, running variance 1. */
  public void initialiseBuffers(float[] buffers, int offset) {
    Arrays.fill(buffers, offset, offset + channels, 0f);
    Arrays.fill(buffers, offset + channels, offset + 2 * channels, 1f);
  }

  /**
   * Training mode: y := gamma (x - mu_B) / sqrt(var_B + eps) + beta with the batch's statistics.
   * Keeps mu_B and 1 / sqrt(var_B + eps) in {@code saved} (2c values) for {@link #backward} and
   * writes the batch mean and unbiased variance into {@code stats} at {@code statsOffset}, laid out
   * as the buffers. {@code y} may be {@code x}.
   */
  public void forwardTrain(float[] params, int offset, float[] x, int n, float[] y, double[] saved, float[] stats,
      int statsOffset) {
    long count = (long) n * pixels;
    if (count < 2) {
      throw new IllegalArgumentException("training-mode batch norm needs more than one value per channel, found "
          + count);
    }
    for (int c = 0; c < channels; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * pixels;
        for (int q = base; q < base + pixels; q++) {
          sum += x[q];
        }
      }
      double mean = sum / count;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * pixels;
        for (int q = base; q < base + pixels; q++) {
          double e = x[q] - mean;
          squares += e * e;
        }
      }
      double var = squares / count;
      double invStd = 1 / Math.sqrt(var + EPS);
      saved[c] = mean;
      saved[channels + c] = invStd;
      stats[statsOffset + c] = (float) mean;
      stats[statsOffset + channels + c] = (float) (squares / (count - 1));
      normalise(params, offset, x, n, y, c, mean, invStd);
    }
  }

  /** Inference mode: y := gamma (x - r_mean) / sqrt(r_var + eps) + beta; keeps them in {@code saved}. */
  public void forwardInference(float[] params, int offset, float[] buffers, int bufferOffset, float[] x, int n,
      float[] y, double[] saved) {
    for (int c = 0; c < channels; c++) {
      double mean = buffers[bufferOffset + c];
      double invStd = 1 / Math.sqrt(buffers[bufferOffset + channels + c] + EPS);
      saved[c] = mean;
      saved[channels + c] = invStd;
      normalise(params, offset, x, n, y, c, mean, invStd);
    }
  }

  private void normalise(float[] params, int offset, float[] x, int n, float[] y, int c, double mean, double invStd) {
    double scale = params[offset + c] * invStd;
    double shift = params[offset + channels + c] - mean * scale;
    for (int i = 0; i < n; i++) {
      int base = (i * channels + c) * pixels;
      for (int q = base; q < base + pixels; q++) {
        y[q] = (float) (x[q] * scale + shift);
      }
    }
  }

  /**
   * Given dL/dy, adds dL/dgamma and dL/dbeta into {@code grad} and writes dL/dx into {@code dx}
   * (which may be {@code dy}). With xh = (x - mu) s, s = 1 / sqrt(var + eps) and N = n h w:
   * training mode {@code dx = gamma s / N (N dy - sum dy - xh sum(dy xh))} (the batch statistics
   * depend on x), inference mode {@code dx = gamma s dy}.
   *
   * @param saved what the forward pass kept
   */
  public void backward(float[] params, int offset, float[] x, int n, double[] saved, boolean train, float[] dy,
      float[] dx, float[] grad, int gradOffset) {
    long count = (long) n * pixels;
    for (int c = 0; c < channels; c++) {
      double mean = saved[c];
      double invStd = saved[channels + c];
      double sumDy = 0;
      double sumDyXh = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * pixels;
        for (int q = base; q < base + pixels; q++) {
          sumDy += dy[q];
          sumDyXh += dy[q] * (x[q] - mean) * invStd;
        }
      }
      grad[gradOffset + c] += (float) sumDyXh;
      grad[gradOffset + channels + c] += (float) sumDy;
      double scale = params[offset + c] * invStd;
      double meanDy = train ? sumDy / count : 0;
      double meanDyXh = train ? sumDyXh / count : 0;
      for (int i = 0; i < n; i++) {
        int base = (i * channels + c) * pixels;
        for (int q = base; q < base + pixels; q++) {
          double xh = (x[q] - mean) * invStd;
          dx[q] = (float) (scale * (dy[q] - meanDy - xh * meanDyXh));
        }
      }
    }
  }

  /**
   * running := (1 - momentum) running + momentum batch for the mean and the variance, the batch's
   * statistics as {@link #forwardTrain} wrote them (same layout as the buffers).
   */
  public void updateRunning(float[] buffers, int bufferOffset, float[] stats, int statsOffset) {
    for (int q = 0; q < 2 * channels; q++) {
      buffers[bufferOffset + q] = (float) ((1 - MOMENTUM) * buffers[bufferOffset + q]
          + MOMENTUM * stats[statsOffset + q]);
    }
  }
}
