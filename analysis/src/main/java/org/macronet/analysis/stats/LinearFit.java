package org.macronet.analysis.stats;

/**
 * Ordinary least squares of one response on a few predictors plus an intercept, for asking how
 * much of a known quantity a learned macrostate carries: {@code R^2} of the quantity regressed on
 * the macrostate's coordinates.
 *
 * <p>Solved on centred data through the normal equations with a Cholesky factorisation in double
 * precision, which is accurate for the handful of well-scaled predictors this is meant for.
 */
public final class LinearFit {

  private LinearFit() {}

  /**
   * The coefficient of determination {@code R^2 = 1 - SS_res / SS_tot} of {@code y} fitted by
   * {@code b_0 + sum_j b_j x[j]} in least squares.
   *
   * @param x predictors, {@code x[j][i]} the j-th predictor of sample i
   * @param y responses
   * @return R^2 in [0, 1], or NaN when {@code y} is constant
   * @throws IllegalArgumentException on ragged or non-finite input, fewer samples than
   *     predictors + 2, or predictors that are constant or linearly dependent
   */
  public static double rSquared(double[][] x, double[] y) {
    if (x == null || y == null || x.length == 0) {
      throw new IllegalArgumentException("need at least one predictor and a response");
    }
    int k = x.length;
    int n = y.length;
    if (n < k + 2) {
      throw new IllegalArgumentException("need at least " + (k + 2) + " samples for " + k + " predictor(s), found " + n);
    }
    for (int j = 0; j < k; j++) {
      if (x[j].length != n) {
        throw new IllegalArgumentException("predictor " + j + " has " + x[j].length + " samples, the response " + n);
      }
      checkFinite("x[" + j + "]", x[j]);
    }
    checkFinite("y", y);
    double my = mean(y);
    double[] mx = new double[k];
    for (int j = 0; j < k; j++) {
      mx[j] = mean(x[j]);
    }
    // normal equations of the centred problem: (X^T X) b = X^T y
    double[] a = new double[k * k];
    double[] rhs = new double[k];
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dy = y[i] - my;
      syy += dy * dy;
      for (int p = 0; p < k; p++) {
        double dp = x[p][i] - mx[p];
        rhs[p] += dp * dy;
        for (int q = 0; q <= p; q++) {
          a[p * k + q] += dp * (x[q][i] - mx[q]);
        }
      }
    }
    if (syy == 0) {
      return Double.NaN;
    }
    double[] b = choleskySolve(a, rhs, k);
    double ssRes = 0;
    for (int i = 0; i < n; i++) {
      double fit = my;
      for (int p = 0; p < k; p++) {
        fit += b[p] * (x[p][i] - mx[p]);
      }
      double r = y[i] - fit;
      ssRes += r * r;
    }
    return Math.min(1, Math.max(0, 1 - ssRes / syy));
  }

  /** Solves {@code A b = rhs} for symmetric positive definite A given by its lower triangle. */
  private static double[] choleskySolve(double[] a, double[] rhs, int k) {
    double[] l = new double[k * k];
    for (int p = 0; p < k; p++) {
      for (int q = 0; q <= p; q++) {
        double s = a[p * k + q];
        for (int r = 0; r < q; r++) {
          s -= l[p * k + r] * l[q * k + r];
        }
        if (p == q) {
          // relative pivot test: a (near-)dependent predictor leaves almost nothing of its variance
          if (!(s > 1e-12 * a[p * k + p])) {
            throw new IllegalArgumentException("predictor " + p + " is constant or a linear combination of the others");
          }
          l[p * k + p] = Math.sqrt(s);
        } else {
          l[p * k + q] = s / l[q * k + q];
        }
      }
    }
    double[] z = new double[k];
    for (int p = 0; p < k; p++) {
      double s = rhs[p];
      for (int r = 0; r < p; r++) {
        s -= l[p * k + r] * z[r];
      }
      z[p] = s / l[p * k + p];
    }
    double[] b = new double[k];
    for (int p = k - 1; p >= 0; p--) {
      double s = z[p];
      for (int r = p + 1; r < k; r++) {
        s -= l[r * k + p] * b[r];
      }
      b[p] = s / l[p * k + p];
    }
    return b;
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static void checkFinite(String name, double[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Double.isFinite(v[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, found " + v[i]);
      }
    }
  }
}
