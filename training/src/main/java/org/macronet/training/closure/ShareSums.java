package org.macronet.training.closure;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one share of a closure-autoencoder minibatch contributes to a step, as sums over its
 * states so that shares of different sizes weigh by their state counts:
 *
 * <ul>
 *   <li>{@code lossSum}: the share's mean binary cross-entropy (over its sites) times its count;
 *   <li>{@code gradientSum}: the share's mean gradient times its count, in the flat layout of the
 *       parameters;
 *   <li>{@code statisticsSum}: the share's batch statistics times its count, in the layout of the
 *       buffers (each batch norm's per-channel mean, then its unbiased variance).
 * </ul>
 *
 * <p>{@link #merge} adds the sums: associative as a sum, with {@link #EMPTY} its exact identity.
 * In floating point the grouping changes the last bits, so the trainer's contract is a left fold in
 * share order, {@code EMPTY.merge(share 0).merge(share 1)...}; a distributed driver that collects
 * the shares and folds them in that order reproduces the single-JVM result bit for bit.
 * Immutable by convention: {@link #merge} returns a new value and never changes its operands.
 */
public record ShareSums(long count, double lossSum, double[] gradientSum, double[] statisticsSum)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** No states: the identity of {@link #merge}. */
  public static final ShareSums EMPTY = new ShareSums(0, 0, new double[0], new double[0]);

  public ShareSums {
    if (count < 0) {
      throw new IllegalArgumentException("a share's state count must not be negative, found " + count);
    }
    if (count == 0 && (lossSum != 0 || gradientSum.length != 0 || statisticsSum.length != 0)) {
      throw new IllegalArgumentException("an empty share holds no sums");
    }
  }

  /**
   * The sums of one share from its means: {@code lossSum = count loss}, {@code gradientSum[q] =
   * count grad[q]}, {@code statisticsSum[q] = count statistics[q]} (each product exact in double for
   * counts below 2^29, so {@link #meanStatistics} gives a single share's statistics back unchanged).
   */
  public static ShareSums of(int count, double meanLoss, float[] meanGradient, float[] statistics) {
    if (count < 1) {
      throw new IllegalArgumentException("a share needs at least one state, found " + count);
    }
    double[] g = new double[meanGradient.length];
    for (int q = 0; q < g.length; q++) {
      g[q] = (double) meanGradient[q] * count;
    }
    double[] b = new double[statistics.length];
    for (int q = 0; q < b.length; q++) {
      b[q] = (double) statistics[q] * count;
    }
    return new ShareSums(count, meanLoss * count, g, b);
  }

  /** The sums of both, {@code this} first: {@code a + b} element by element; {@link #EMPTY} changes nothing. */
  public ShareSums merge(ShareSums other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    if (gradientSum.length != other.gradientSum.length || statisticsSum.length != other.statisticsSum.length) {
      throw new IllegalArgumentException("shares of different models: " + gradientSum.length + " and "
          + other.gradientSum.length + " gradients, " + statisticsSum.length + " and " + other.statisticsSum.length
          + " statistics");
    }
    double[] g = new double[gradientSum.length];
    for (int q = 0; q < g.length; q++) {
      g[q] = gradientSum[q] + other.gradientSum[q];
    }
    double[] b = new double[statisticsSum.length];
    for (int q = 0; q < b.length; q++) {
      b[q] = statisticsSum[q] + other.statisticsSum[q];
    }
    return new ShareSums(count + other.count, lossSum + other.lossSum, g, b);
  }

  /** The count-weighted mean of the merged shares' batch statistics, {@code statisticsSum / count}. */
  public float[] meanStatistics() {
    if (count == 0) {
      throw new IllegalStateException("an empty share has no statistics");
    }
    float[] b = new float[statisticsSum.length];
    for (int q = 0; q < b.length; q++) {
      b[q] = (float) (statisticsSum[q] / count);
    }
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShareSums s && count == s.count && Double.compare(lossSum, s.lossSum) == 0
        && Arrays.equals(gradientSum, s.gradientSum) && Arrays.equals(statisticsSum, s.statisticsSum);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Long.hashCode(count) + Double.hashCode(lossSum)) + Arrays.hashCode(gradientSum))
        + Arrays.hashCode(statisticsSum);
  }

  @Override
  public String toString() {
    return "ShareSums[count=" + count + ", lossSum=" + lossSum + ", " + gradientSum.length + " gradients, "
        + statisticsSum.length + " statistics]";
  }
}
