package org.macronet.training.linalg;

/**
 * The Cholesky factorisation S = L L^T of a small symmetric positive-definite matrix (row-major,
 * double), and what it gives without forming S^-1 explicitly: solves, the log-determinant, and
 * (for gradients of log det S) S^-1 column by column. One instance per thread: it keeps its
 * factor between calls.
 */
public final class Cholesky {
  private final int d;
  private final double[] l;

  public Cholesky(int d) {
    if (d < 1) {
      throw new IllegalArgumentException("dimension must be positive, found " + d);
    }
    this.d = d;
    this.l = new double[d * d];
  }

  public int dimension() {
    return d;
  }

  /**
   * Factors {@code s} (d x d, row-major; only its lower triangle is read).
   *
   * @throws IllegalArgumentException when {@code s} is not positive definite (a pivot <= 0 or NaN)
   */
  public void factor(double[] s) {
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = s[i * d + j];
        for (int k = 0; k < j; k++) {
          sum -= l[i * d + k] * l[j * d + k];
        }
        if (i == j) {
          if (!(sum > 0)) {
            throw new IllegalArgumentException("matrix is not positive definite: pivot " + i + " is " + sum);
          }
          l[i * d + i] = Math.sqrt(sum);
        } else {
          l[i * d + j] = sum / l[j * d + j];
        }
      }
      for (int j = i + 1; j < d; j++) {
        l[i * d + j] = 0;
      }
    }
  }

  /** Solves S y = b for the factored S, writing y into {@code y} (which may be {@code b}). */
  public void solve(double[] b, double[] y) {
    // L w = b, then L^T y = w
    for (int i = 0; i < d; i++) {
      double sum = b[i];
      for (int k = 0; k < i; k++) {
        sum -= l[i * d + k] * y[k];
      }
      y[i] = sum / l[i * d + i];
    }
    for (int i = d - 1; i >= 0; i--) {
      double sum = y[i];
      for (int k = i + 1; k < d; k++) {
        sum -= l[k * d + i] * y[k];
      }
      y[i] = sum / l[i * d + i];
    }
  }

  /** log det S = 2 sum log L_ii. */
  public double logDeterminant() {
    double sum = 0;
    for (int i = 0; i < d; i++) {
      sum += Math.log(l[i * d + i]);
    }
    return 2 * sum;
  }

  /** S^-1 into {@code out} (d x d, row-major), by d solves: needed only for the gradient of log det S. */
  public void inverse(double[] out) {
    double[] e = new double[d];
    for (int j = 0; j < d; j++) {
      java.util.Arrays.fill(e, 0);
      e[j] = 1;
      solve(e, e);
      for (int i = 0; i < d; i++) {
        out[i * d + j] = e[i];
      }
    }
  }

  /** The factor L (row-major, upper triangle zero); a copy. */
  public double[] factorMatrix() {
    return l.clone();
  }
}
