package org.macronet.analysis.stats;

import java.util.Arrays;

/**
 * Summary statistics of a sample {@code x_0 .. x_{n-1}}. Every method rejects a null or empty
 * sample and a non-finite value, naming its index.
 */
public final class Summary {

  private Summary() {}

  /** The mean {@code m = (1/n) sum x_i}. */
  public static double mean(double[] x) {
    check(x);
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    return sum / x.length;
  }

  /**
   * The population standard deviation {@code sqrt((1/n) sum (x_i - m)^2)} (numpy's default,
   * {@code ddof = 0}); 0 for a single value.
   */
  public static double populationStd(double[] x) {
    return Math.sqrt(sumOfSquares(x) / x.length);
  }

  /**
   * The sample standard deviation {@code sqrt((1/(n-1)) sum (x_i - m)^2)} (Bessel's correction,
   * {@code ddof = 1}).
   *
   * @throws IllegalArgumentException for fewer than 2 values
   */
  public static double sampleStd(double[] x) {
    check(x);
    if (x.length < 2) {
      throw new IllegalArgumentException("sample std needs at least 2 values, found " + x.length);
    }
    return Math.sqrt(sumOfSquares(x) / (x.length - 1));
  }

  /** The median: {@code quantile(x, 0.5)}, the mean of the two middle values when n is even. */
  public static double median(double[] x) {
    return quantile(x, 0.5);
  }

  /**
   * The p-quantile by linear interpolation between order statistics (Hyndman and Fan type 7,
   * numpy's default): with the sorted values {@code s_0 <= .. <= s_{n-1}}, {@code h = (n - 1) p},
   * {@code quantile = s_floor(h) + (h - floor(h)) (s_floor(h)+1 - s_floor(h))}. So p = 0 is the
   * minimum and p = 1 the maximum.
   *
   * @throws IllegalArgumentException when p is outside [0, 1]
   */
  public static double quantile(double[] x, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], found " + p);
    }
    check(x);
    double[] s = x.clone();
    Arrays.sort(s);
    double h = (s.length - 1) * p;
    int lo = (int) Math.floor(h);
    if (lo >= s.length - 1) {
      return s[s.length - 1];
    }
    return s[lo] + (h - lo) * (s[lo + 1] - s[lo]);
  }

  /**
   * The coefficient of variation {@code populationStd(x) / mean(x)}: the spread relative to the
   * size, e.g. {@code std(r) / mean(r)} of radii on a circle.
   *
   * @throws IllegalArgumentException when the mean is 0 (the ratio is undefined)
   */
  public static double coefficientOfVariation(double[] x) {
    double mean = mean(x);
    if (mean == 0) {
      throw new IllegalArgumentException("coefficient of variation needs a non-zero mean, found mean 0");
    }
    return populationStd(x) / mean;
  }

  private static double sumOfSquares(double[] x) {
    double mean = mean(x);
    double sum = 0;
    for (double v : x) {
      double d = v - mean;
      sum += d * d;
    }
    return sum;
  }

  private static void check(double[] x) {
    if (x == null) {
      throw new IllegalArgumentException("x must not be null");
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("x must not be empty, found length 0");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException("x[" + i + "] must be finite, found " + x[i]);
      }
    }
  }
}
