package org.macronet.analysis.ensemble;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How a learned SDE's ensemble is judged against direct simulations started from the same state:
 * the relative mean-squared error of the ensemble means, with a bootstrap interval over runs, and
 * the Wasserstein-1 distance of one component's distribution at each time (the mean alone can hide
 * a wrong spread), and the maximum mean discrepancy of the whole state's distribution at each
 * time. Ensembles are {@code paths x times x dimensions} on a common time grid.
 */
public final class EnsembleComparison {
  private EnsembleComparison() {}

  /** The ensemble mean: {@code mean[t][j]} over paths. */
  public static double[][] mean(double[][][] paths) {
    if (paths.length == 0) {
      throw new IllegalArgumentException("an ensemble needs at least one path");
    }
    int times = paths[0].length;
    int d = paths[0][0].length;
    double[][] m = new double[times][d];
    for (double[][] p : paths) {
      if (p.length != times || p[0].length != d) {
        throw new IllegalArgumentException("paths of different lengths or dimensions: " + p.length + " x "
            + p[0].length + " against " + times + " x " + d);
      }
      for (int t = 0; t < times; t++) {
        for (int j = 0; j < d; j++) {
          m[t][j] += p[t][j] / paths.length;
        }
      }
    }
    return m;
  }

  /**
   * The relative MSE of the section-7.5 metric: the mean over times and dimensions of
   * (mean_pred - mean_true)^2, divided by the mean over times and dimensions of mean_true^2.
   */
  public static double relativeMse(double[][][] predicted, double[][][] truth) {
    double[][] p = mean(predicted);
    double[][] q = mean(truth);
    if (p.length != q.length || p[0].length != q[0].length) {
      throw new IllegalArgumentException("the ensembles are on different grids: " + p.length + " x " + p[0].length
          + " against " + q.length + " x " + q[0].length);
    }
    double err = 0;
    double norm = 0;
    for (int t = 0; t < p.length; t++) {
      for (int j = 0; j < p[0].length; j++) {
        err += (p[t][j] - q[t][j]) * (p[t][j] - q[t][j]);
        norm += q[t][j] * q[t][j];
      }
    }
    if (norm == 0) {
      throw new IllegalArgumentException("the true ensemble mean is 0 everywhere: the relative error is undefined");
    }
    return err / norm;
  }

  /**
   * A bootstrap interval of {@link #relativeMse}: both ensembles resampled (paths, with
   * replacement) {@code resamples} times from {@code seed}; returns {lower, upper} at
   * {@code level} (e.g. 0.95). The squared error of resampled means is biased upwards by their
   * extra variance (a percentile interval can miss the estimate altogether), so this is the basic
   * bootstrap interval, [2 e - q_hi, 2 e - q_lo] for the estimate e and the resamples' quantiles,
   * with its lower end kept at 0 or above.
   */
  public static double[] bootstrapInterval(double[][][] predicted, double[][][] truth, int resamples, double level,
                                           long seed) {
    if (resamples < 10 || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException("need at least 10 resamples and a level in (0, 1), found " + resamples
          + ", " + level);
    }
    SplittableRandom r = new SplittableRandom(seed);
    double[] values = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      values[b] = relativeMse(resample(predicted, r), resample(truth, r));
    }
    Arrays.sort(values);
    double tail = (1 - level) / 2;
    double estimate = relativeMse(predicted, truth);
    return new double[] {Math.max(0, 2 * estimate - quantile(values, 1 - tail)),
        2 * estimate - quantile(values, tail)};
  }

  /**
   * What {@link #relativeMse} would be from the ensembles' finite sizes alone, were both means
   * right: sum over times and dimensions of (var_pred / n_pred + var_true / n_true), over the sum of
   * mean_true^2 (variances with n - 1). A relative MSE near it is at the limit of what the ensembles
   * can resolve.
   */
  public static double noiseFloor(double[][][] predicted, double[][][] truth) {
    double[][] vp = variance(predicted);
    double[][] vt = variance(truth);
    double[][] q = mean(truth);
    double noise = 0;
    double norm = 0;
    for (int t = 0; t < q.length; t++) {
      for (int j = 0; j < q[0].length; j++) {
        noise += vp[t][j] / predicted.length + vt[t][j] / truth.length;
        norm += q[t][j] * q[t][j];
      }
    }
    return noise / norm;
  }

  private static double[][] variance(double[][][] paths) {
    double[][] m = mean(paths);
    double[][] v = new double[m.length][m[0].length];
    if (paths.length < 2) {
      return v;
    }
    for (double[][] p : paths) {
      for (int t = 0; t < m.length; t++) {
        for (int j = 0; j < m[0].length; j++) {
          v[t][j] += (p[t][j] - m[t][j]) * (p[t][j] - m[t][j]) / (paths.length - 1);
        }
      }
    }
    return v;
  }

  private static double[][][] resample(double[][][] paths, SplittableRandom r) {
    double[][][] out = new double[paths.length][][];
    for (int i = 0; i < paths.length; i++) {
      out[i] = paths[r.nextInt(paths.length)];
    }
    return out;
  }

  /** Linear-interpolation quantile (numpy's default) of sorted values. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * The Wasserstein-1 distance between two empirical distributions (equal weights within each;
   * the sizes may differ): the integral over q in (0, 1) of |F_a^-1(q) - F_b^-1(q)|, exactly.
   */
  public static double wasserstein1(double[] a, double[] b) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("both samples need at least one value");
    }
    double[] x = a.clone();
    double[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    // walk the merged breakpoints of the two quantile functions (i / n and j / m)
    int i = 0;
    int j = 0;
    double q = 0;
    double sum = 0;
    while (i < x.length && j < y.length) {
      double nextA = (i + 1.0) / x.length;
      double nextB = (j + 1.0) / y.length;
      double next = Math.min(nextA, nextB);
      sum += (next - q) * Math.abs(x[i] - y[j]);
      q = next;
      if (nextA <= next) {
        i++;
      }
      if (nextB <= next) {
        j++;
      }
    }
    return sum;
  }

  /** {@link #wasserstein1} of component {@code j} at each time. */
  public static double[] wasserstein1PerTime(double[][][] predicted, double[][][] truth, int j) {
    int times = predicted[0].length;
    double[] out = new double[times];
    for (int t = 0; t < times; t++) {
      double[] a = new double[predicted.length];
      double[] b = new double[truth.length];
      for (int p = 0; p < a.length; p++) {
        a[p] = predicted[p][t][j];
      }
      for (int p = 0; p < b.length; p++) {
        b[p] = truth[p][t][j];
      }
      out[t] = wasserstein1(a, b);
    }
    return out;
  }

  /** The bandwidths of {@link #mmd}'s kernels by default: the reference's six, 0.25 to 8. */
  public static final double[] MMD_BANDWIDTHS = {0.25, 0.5, 1, 2, 4, 8};

  /**
   * The squared maximum mean discrepancy between two samples of points in R^d, averaged over
   * Gaussian kernels k(x, y) = exp(-|x - y|^2 / (2 s^2)), one per bandwidth s:
   * mean_xx' k + mean_yy' k - 2 mean_xy k, the biased (V-statistic) estimate whose sums include
   * each point with itself, so it is 0 for identical samples and never negative.
   */
  public static double mmd(double[][] a, double[][] b, double[] bandwidths) {
    if (a.length == 0 || b.length == 0) {
      throw new IllegalArgumentException("both samples need points, found " + a.length + " and " + b.length);
    }
    double[] inv = new double[bandwidths.length];
    for (int s = 0; s < inv.length; s++) {
      inv[s] = 1.0 / (2 * bandwidths[s] * bandwidths[s]);
    }
    double[] aa = kernelMeans(a, a, inv);
    double[] bb = kernelMeans(b, b, inv);
    double[] ab = kernelMeans(a, b, inv);
    double sum = 0;
    for (int s = 0; s < inv.length; s++) {
      sum += aa[s] + bb[s] - 2 * ab[s];
    }
    return Math.max(0, sum / inv.length);
  }

  private static double[] kernelMeans(double[][] a, double[][] b, double[] inv) {
    double[] out = new double[inv.length];
    for (double[] x : a) {
      for (double[] y : b) {
        double d2 = 0;
        for (int j = 0; j < x.length; j++) {
          double d = x[j] - y[j];
          d2 += d * d;
        }
        for (int s = 0; s < inv.length; s++) {
          out[s] += Math.exp(-d2 * inv[s]);
        }
      }
    }
    double n = (double) a.length * b.length;
    for (int s = 0; s < inv.length; s++) {
      out[s] /= n;
    }
    return out;
  }

  /**
   * {@link #mmd} of the two ensembles' states at each time, each component j first standardised
   * as (z_j - center_j) / scale_j (the same for both ensembles).
   */
  public static double[] mmdPerTime(double[][][] predicted, double[][][] truth, double[] center, double[] scale,
                                    double[] bandwidths) {
    int times = predicted[0].length;
    int d = center.length;
    double[] out = new double[times];
    for (int t = 0; t < times; t++) {
      out[t] = mmd(standardised(predicted, t, center, scale, d), standardised(truth, t, center, scale, d), bandwidths);
    }
    return out;
  }

  private static double[][] standardised(double[][][] paths, int t, double[] center, double[] scale, int d) {
    double[][] out = new double[paths.length][d];
    for (int p = 0; p < paths.length; p++) {
      for (int j = 0; j < d; j++) {
        out[p][j] = (paths[p][t][j] - center[j]) / scale[j];
      }
    }
    return out;
  }
}
