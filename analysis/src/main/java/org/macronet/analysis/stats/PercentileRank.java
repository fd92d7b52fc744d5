package org.macronet.analysis.stats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The percentile rank of a value among a reference sample {@code r_0 .. r_{N-1}}, with ties
 * counted half (the mid-rank):
 *
 * <pre>
 *   rank(v) = 100 (#{i : r_i < v} + 0.5 #{i : r_i = v}) / N
 * </pre>
 *
 * so a value drawn from the reference's own distribution scores 50 on average: a design no better
 * than a random one sits near the 50th percentile, and a small rank means few random designs do as
 * well (for a distance, lower is better). The reference is sorted once; each query is two binary
 * searches, {@code O(log N)}. Infinities are allowed and rank as the extremes; NaN has no place in
 * the order and is rejected.
 */
public final class PercentileRank implements Serializable {

  private static final long serialVersionUID = 1L;

  private final double[] sorted;

  private PercentileRank(double[] sorted) {
    this.sorted = sorted;
  }

  /**
   * Ranks against a copy of {@code reference}, sorted.
   *
   * @throws IllegalArgumentException when the reference is null or empty, or holds a NaN (naming
   *     its index)
   */
  public static PercentileRank of(double[] reference) {
    if (reference == null) {
      throw new IllegalArgumentException("reference must not be null");
    }
    if (reference.length == 0) {
      throw new IllegalArgumentException("reference must hold at least one value, found none");
    }
    for (int i = 0; i < reference.length; i++) {
      if (Double.isNaN(reference[i])) {
        throw new IllegalArgumentException("reference[" + i + "] must not be NaN");
      }
    }
    double[] sorted = reference.clone();
    Arrays.sort(sorted);
    return new PercentileRank(sorted);
  }

  /** {@code of(reference).rank(value)}, for a single query. */
  public static double rank(double value, double[] reference) {
    return of(reference).rank(value);
  }

  /**
   * The percentile rank of {@code value}, in [0, 100]: 0 below every reference value, 100 above
   * every one.
   *
   * @throws IllegalArgumentException when the value is NaN
   */
  public double rank(double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException("value must not be NaN");
    }
    int less = firstNotBelow(value);
    int notAbove = firstAbove(value);
    return 100 * (less + 0.5 * (notAbove - less)) / sorted.length;
  }

  /**
   * The percentile rank of each value.
   *
   * @throws IllegalArgumentException when values is null or holds a NaN (naming its index)
   */
  public double[] ranks(double[] values) {
    if (values == null) {
      throw new IllegalArgumentException("values must not be null");
    }
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        throw new IllegalArgumentException("values[" + i + "] must not be NaN");
      }
      out[i] = rank(values[i]);
    }
    return out;
  }

  /** Number of reference values. */
  public int size() {
    return sorted.length;
  }

  /** The first index whose value is not below v ({@code <} on doubles, so -0.0 equals 0.0). */
  private int firstNotBelow(double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose value is above v. */
  private int firstAbove(double v) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
