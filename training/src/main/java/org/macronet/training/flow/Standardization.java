package org.macronet.training.flow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed input standardisation {@code y = (x - mean) / std} fitted on training data and saved
 * with the model; log-det = -sum log std. It has no trainable parameters.
 */
public final class Standardization implements FlowBlock {
  private final float[] mean;
  private final float[] std;
  private final double logdet;

  public Standardization(float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException("mean and std differ in length: " + mean.length + " vs " + std.length);
    }
    double ld = 0;
    for (int j = 0; j < std.length; j++) {
      if (!(std[j] > 0) || !Float.isFinite(std[j]) || !Float.isFinite(mean[j])) {
        throw new IllegalArgumentException("standardisation of column " + j + " needs a finite mean and std > 0, found mean "
            + mean[j] + ", std " + std[j]);
      }
      ld -= Math.log(std[j]);
    }
    this.mean = mean.clone();
    this.std = std.clone();
    this.logdet = ld;
  }

  /**
   * Per-column mean and standard deviation of n rows of x (dim columns), in double precision; a
   * constant column gets std 1 so that it passes through shifted only.
   */
  public static Standardization fit(float[] x, int n, int dim) {
    if (n < 2) {
      throw new IllegalArgumentException("standardisation needs at least 2 rows, found " + n);
    }
    double[] sum = new double[dim];
    addColumnSums(x, n, dim, sum);
    double[] mean = new double[dim];
    for (int j = 0; j < dim; j++) {
      mean[j] = sum[j] / n;
    }
    double[] squares = new double[dim];
    addSquaredDeviations(x, n, dim, mean, squares);
    return of(mean, squares, n);
  }

  /**
   * {@code acc[j] += sum_i x[i dim + j]} over rows i = 0..n-1 in order: the first pass of
   * {@link #fit}, which data split across workers can run per block (rows in the same order within
   * a block) and add up.
   */
  public static void addColumnSums(float[] x, int n, int dim, double[] acc) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        acc[j] += x[i * dim + j];
      }
    }
  }

  /** {@code acc[j] += sum_i (x[i dim + j] - mean[j])^2} over rows i = 0..n-1 in order: the second pass of {@link #fit}. */
  public static void addSquaredDeviations(float[] x, int n, int dim, double[] mean, double[] acc) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        double d = x[i * dim + j] - mean[j];
        acc[j] += d * d;
      }
    }
  }

  /**
   * The standardisation with the given column means and sums of squared deviations over n rows:
   * std = sqrt(squares / n), and 1 for a constant column.
   */
  public static Standardization of(double[] mean, double[] squares, long n) {
    if (n < 2) {
      throw new IllegalArgumentException("standardisation needs at least 2 rows, found " + n);
    }
    float[] m = new float[mean.length];
    float[] std = new float[mean.length];
    for (int j = 0; j < mean.length; j++) {
      double sd = Math.sqrt(squares[j] / n);
      m[j] = (float) mean[j];
      std[j] = sd > 1e-12 ? (float) sd : 1f;
    }
    return new Standardization(m, std);
  }

  public float[] mean() {
    return mean.clone();
  }

  public float[] std() {
    return std.clone();
  }

  @Override
  public int dim() {
    return mean.length;
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    int d = mean.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        y[row + j] = (x[row + j] - mean[j]) / std[j];
      }
      logdet[i] += this.logdet;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    int d = mean.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        x[row + j] = y[row + j] * std[j] + mean[j];
      }
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    int d = mean.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        dx[row + j] = dy[row + j] / std[j];
      }
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "standardization");
    m.put("mean", mean.clone());
    m.put("std", std.clone());
    return m;
  }
}
