package org.macronet.training.closure;

import java.util.Arrays;

/**
 * PyTorch's {@code MaxPool2d(2)} on {@code [n][c][h][w]} batches, h and w even: each output is
 * the largest of its 2 x 2 window. The forward pass remembers where the maximum was (the first in
 * row-major order on ties, as PyTorch's CPU kernel), and the backward pass sends the gradient
 * there.
 */
public final class MaxPool2d {
  private final int channels;
  private final int height;
  private final int width;

  public MaxPool2d(int channels, int height, int width) {
    if (channels < 1 || height < 2 || width < 2 || height % 2 != 0 || width % 2 != 0) {
      throw new IllegalArgumentException("2 x 2 max pooling needs even sides, found " + channels + " x " + height
          + " x " + width);
    }
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  /** Values per output image, c (h/2) (w/2). */
  public int outputSize() {
    return channels * (height / 2) * (width / 2);
  }

  /** y[i][c][oy][ox] := max of x over the window; {@code argmax} the index in x of each maximum. */
  public void forward(float[] x, int n, float[] y, int[] argmax) {
    int ow = width / 2;
    int oh = height / 2;
    int out = 0;
    for (int plane = 0; plane < n * channels; plane++) {
      int base = plane * height * width;
      for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
          int top = base + 2 * oy * width + 2 * ox;
          // row-major order: a later value wins only if strictly larger (or NaN), as in PyTorch
          int best = pick(x, top, top + 1);
          best = pick(x, best, top + width);
          best = pick(x, best, top + width + 1);
          y[out] = x[best];
          argmax[out] = best;
          out++;
        }
      }
    }
  }

  private static int pick(float[] x, int best, int candidate) {
    float v = x[candidate];
    return v > x[best] || Float.isNaN(v) && !Float.isNaN(x[best]) ? candidate : best;
  }

  /** dx := 0, then dx[argmax] += dy. */
  public void backward(float[] dy, int n, int[] argmax, float[] dx) {
    Arrays.fill(dx, 0, n * channels * height * width, 0f);
    int count = n * outputSize();
    for (int q = 0; q < count; q++) {
      dx[argmax[q]] += dy[q];
    }
  }
}
