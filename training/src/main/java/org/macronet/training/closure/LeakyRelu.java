package org.macronet.training.closure;

/**
 * PyTorch's {@code LeakyReLU(slope)}: y = x for x > 0, slope x otherwise. With slope > 0 the sign of
 * y is the sign of x, so the backward pass reads the output and the layer works in place.
 */
public final class LeakyRelu {
  private final float slope;

  public LeakyRelu(double slope) {
    if (!(slope > 0 && slope < 1)) {
      throw new IllegalArgumentException("the slope must lie in (0, 1), found " + slope);
    }
    this.slope = (float) slope;
  }

  public double slope() {
    return slope;
  }

  /** x := leaky(x) on {@code count} values from {@code offset}. */
  public void forward(float[] x, int offset, int count) {
    for (int q = offset; q < offset + count; q++) {
      if (!(x[q] > 0)) {
        x[q] *= slope;
      }
    }
  }

  /** d := d .* leaky'(x), read from the output y: 1 where y > 0, the slope elsewhere. */
  public void backward(float[] y, float[] d, int offset, int count) {
    for (int q = offset; q < offset + count; q++) {
      if (!(y[q] > 0)) {
        d[q] *= slope;
      }
    }
  }
}
