package org.macronet.training.linalg;

/**
 * LU decomposition with partial pivoting of a small dense n x n matrix in double precision, for
 * the log-determinant and inverse of an image flow's channel-mixing matrix (n is the channel
 * count, tens at most, so O(n^3) per call is negligible next to the convolutions).
 */
public final class SmallLu {
  private final int n;
  private final double[] lu;
  private final int[] pivot;
  private final double logAbsDet;

  /** Decomposes the row-major n x n matrix {@code a[offset ..]} (not modified). */
  public SmallLu(float[] a, int offset, int n) {
    this.n = n;
    lu = new double[n * n];
    for (int i = 0; i < n * n; i++) {
      lu[i] = a[offset + i];
    }
    pivot = new int[n];
    double logdet = 0;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(lu[r * n + c]) > Math.abs(lu[p * n + c])) {
          p = r;
        }
      }
      pivot[c] = p;
      if (p != c) {
        for (int k = 0; k < n; k++) {
          double t = lu[c * n + k];
          lu[c * n + k] = lu[p * n + k];
          lu[p * n + k] = t;
        }
      }
      double d = lu[c * n + c];
      logdet += Math.log(Math.abs(d));
      for (int r = c + 1; r < n; r++) {
        double f = lu[r * n + c] / d;
        lu[r * n + c] = f;
        for (int k = c + 1; k < n; k++) {
          lu[r * n + k] -= f * lu[c * n + k];
        }
      }
    }
    logAbsDet = logdet;
  }

  /** log|det A|; -infinity for a singular matrix. */
  public double logAbsDet() {
    return logAbsDet;
  }

  /** A^{-1}, row-major, in double. */
  public double[] inverse() {
    double[] inv = new double[n * n];
    double[] col = new double[n];
    for (int j = 0; j < n; j++) {
      java.util.Arrays.fill(col, 0);
      col[j] = 1;
      // P A = L U: apply the row swaps to e_j, then solve L y = P e_j and U x = y
      for (int c = 0; c < n; c++) {
        int p = pivot[c];
        double t = col[c];
        col[c] = col[p];
        col[p] = t;
      }
      for (int r = 0; r < n; r++) {
        double s = col[r];
        for (int k = 0; k < r; k++) {
          s -= lu[r * n + k] * col[k];
        }
        col[r] = s;
      }
      for (int r = n - 1; r >= 0; r--) {
        double s = col[r];
        for (int k = r + 1; k < n; k++) {
          s -= lu[r * n + k] * col[k];
        }
        col[r] = s / lu[r * n + r];
      }
      for (int r = 0; r < n; r++) {
        inv[r * n + j] = col[r];
      }
    }
    return inv;
  }
}
