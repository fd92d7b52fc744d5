package org.macronet.analysis.stats;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation of paired samples.
 *
 * <p>Spearman's rho is Pearson's r of the ranks, ties getting the average of the ranks they
 * span, so it measures how monotone the relation is: any strictly increasing map of {@code x}
 * has rho = 1, any strictly decreasing one rho = -1.
 */
public final class RankCorrelation {

  private RankCorrelation() {}

  /**
   * Pearson's correlation {@code r = sum (x_i - mx)(y_i - my) / sqrt(sum (x_i - mx)^2 * sum (y_i - my)^2)}.
   *
   * @return r in [-1, 1], or NaN when either sample is constant (the correlation is undefined)
   * @throws IllegalArgumentException when the lengths differ, there are fewer than 2 pairs, or a
   *     value is not finite
   */
  public static double pearson(double[] x, double[] y) {
    checkPairs(x, y);
    checkFinite("x", x);
    checkFinite("y", y);
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    // rounding can push |r| a hair past 1 for exactly linear data
    return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  }

  /**
   * Spearman's rank correlation {@code rho = pearson(ranks(x), ranks(y))}.
   *
   * @return rho in [-1, 1], or NaN when either sample is constant
   * @throws IllegalArgumentException when the lengths differ, there are fewer than 2 pairs, or a
   *     value is NaN
   */
  public static double spearman(double[] x, double[] y) {
    checkPairs(x, y);
    return pearson(ranks("x", x), ranks("y", y));
  }

  /**
   * Ranks 1..n of the values in ascending order; tied values share the average of the ranks they
   * span ({@code {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}}). Infinities rank as the extremes.
   *
   * @throws IllegalArgumentException when a value is NaN (it has no place in the order)
   */
  public static double[] ranks(double[] values) {
    return ranks("values", values);
  }

  private static double[] ranks(String name, double[] values) {
    if (values == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must not be NaN");
      }
    }
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start + 1;
      while (end < n && values[order[end]] == values[order[start]]) {
        end++;
      }
      // positions start..end-1 hold ranks start+1..end; their mean is (start + 1 + end) / 2
      double rank = 0.5 * (start + 1 + end);
      for (int k = start; k < end; k++) {
        ranks[order[k]] = rank;
      }
      start = end;
    }
    return ranks;
  }

  private static void checkPairs(double[] x, double[] y) {
    if (x == null) {
      throw new IllegalArgumentException("x must not be null");
    }
    if (y == null) {
      throw new IllegalArgumentException("y must not be null");
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "x and y must have the same length, found " + x.length + " and " + y.length);
    }
    if (x.length < 2) {
      throw new IllegalArgumentException("correlation needs at least 2 pairs, found " + x.length);
    }
  }

  private static void checkFinite(String name, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, found " + values[i]);
      }
    }
  }
}
