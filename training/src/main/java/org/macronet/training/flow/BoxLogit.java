package org.macronet.training.flow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed bijection from a box onto the whole space, column by column: for a column with bounds
 * (lo, hi), p = (x - lo) / (hi - lo) and y = log(p / (1 - p)); a column whose bounds are infinite
 * passes through unchanged. log|det| = sum over bounded columns of -log p - log(1 - p) - log(hi - lo).
 *
 * <p>A flow with a Gaussian base models a density that ends sharply at the edges of a box (a
 * uniform prior) poorly: it leaks mass outside and pulls samples near the edges inwards. After
 * this block the density to model is smooth and unbounded (a uniform column becomes a logistic
 * one), and the inverse maps every latent point back inside the box. A value on or outside the
 * bounds has no image (y is infinite or NaN, which training reports as divergence), so the bounds
 * should enclose the data with a margin.
 */
public final class BoxLogit implements FlowBlock {
  private final double[] low;
  private final double[] high;

  /**
   * A box: bounds per column, {@code low[j] < high[j]}, or both infinite for a column left as it
   * is. As a value of the architecture it is in the units of the raw columns.
   */
  public record Bounds(double[] low, double[] high) implements java.io.Serializable {
    public Bounds {
      if (low.length != high.length) {
        throw new IllegalArgumentException("low and high bounds differ in length: " + low.length + " vs " + high.length);
      }
      for (int j = 0; j < low.length; j++) {
        boolean free = low[j] == Double.NEGATIVE_INFINITY && high[j] == Double.POSITIVE_INFINITY;
        if (!free && !(Double.isFinite(low[j]) && Double.isFinite(high[j]) && low[j] < high[j])) {
          throw new IllegalArgumentException("column " + j + " needs finite bounds low < high (or both infinite), "
              + "found " + low[j] + ", " + high[j]);
        }
      }
      low = low.clone();
      high = high.clone();
    }

    @Override
    public double[] low() {
      return low.clone();
    }

    @Override
    public double[] high() {
      return high.clone();
    }

    public int dim() {
      return low.length;
    }

    /** The box in the units of {@code s}'s output: (bound - mean) / std per column. */
    public Bounds standardized(Standardization s) {
      float[] mean = s.mean();
      float[] std = s.std();
      if (mean.length != low.length) {
        throw new IllegalArgumentException("a box of " + low.length + " columns and a standardisation of " + mean.length);
      }
      double[] lo = new double[low.length];
      double[] hi = new double[low.length];
      for (int j = 0; j < low.length; j++) {
        lo[j] = Double.isFinite(low[j]) ? (low[j] - mean[j]) / std[j] : low[j];
        hi[j] = Double.isFinite(high[j]) ? (high[j] - mean[j]) / std[j] : high[j];
      }
      return new Bounds(lo, hi);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bounds b && java.util.Arrays.equals(low, b.low) && java.util.Arrays.equals(high, b.high);
    }

    @Override
    public int hashCode() {
      return 31 * java.util.Arrays.hashCode(low) + java.util.Arrays.hashCode(high);
    }

    @Override
    public String toString() {
      return "Bounds[low=" + java.util.Arrays.toString(low) + ", high=" + java.util.Arrays.toString(high) + "]";
    }
  }

  /** The block on {@code bounds}, in the units of its input. */
  public BoxLogit(Bounds bounds) {
    this.low = bounds.low();
    this.high = bounds.high();
  }

  private boolean bounded(int j) {
    return Double.isFinite(low[j]);
  }

  @Override
  public int dim() {
    return low.length;
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    int d = low.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      double ld = 0;
      for (int j = 0; j < d; j++) {
        if (!bounded(j)) {
          y[row + j] = x[row + j];
          continue;
        }
        double w = high[j] - low[j];
        double p = (x[row + j] - low[j]) / w;
        y[row + j] = (float) (Math.log(p) - Math.log1p(-p));
        ld -= Math.log(p) + Math.log1p(-p) + Math.log(w);
      }
      logdet[i] += ld;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    int d = low.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        x[row + j] = bounded(j) ? (float) (low[j] + (high[j] - low[j]) * sigmoid(y[row + j])) : y[row + j];
      }
    }
  }

  /** 1 / (1 + e^-t) without overflow at either end. */
  static double sigmoid(double t) {
    if (t >= 0) {
      return 1 / (1 + Math.exp(-t));
    }
    double e = Math.exp(t);
    return e / (1 + e);
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    int d = low.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        if (!bounded(j)) {
          dx[row + j] = dy[row + j];
          continue;
        }
        double w = high[j] - low[j];
        double p = (x[row + j] - low[j]) / w;
        double q = p * (1 - p) * w;
        // dy/dx = 1 / (p (1 - p) w); d logdet / dx = (2 p - 1) / (p (1 - p) w)
        dx[row + j] = (float) ((dy[row + j] + dLogdet[i] * (2 * p - 1)) / q);
      }
    }
  }

  /** The bounds for JSON, which has no infinities: null for an unbounded column. */
  public static java.util.List<Double> finiteOrNull(double[] bounds) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (double b : bounds) {
      out.add(Double.isFinite(b) ? b : null);
    }
    return out;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "box_logit");
    m.put("low", finiteOrNull(low));
    m.put("high", finiteOrNull(high));
    return m;
  }
}
