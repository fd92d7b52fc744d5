package org.macronet.experiment;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counts and exact value distributions that merge: the part of a design sweep's metrics
 * that is summed over targets on the executors, so that the driver holds one tally whatever the
 * number of designs. A distribution keeps each distinct value with its count; use it for values
 * from a small set (percentile ranks against a fixed reference take at most 2N + 1 values).
 */
public final class Tally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, Long> counts = new TreeMap<>();
  private final TreeMap<String, TreeMap<Double, Long>> values = new TreeMap<>();

  /** Adds {@code n} to count {@code name}. */
  public Tally count(String name, long n) {
    counts.merge(name, n, Long::sum);
    return this;
  }

  /** Adds one observation of {@code value} (not NaN) to distribution {@code name}. */
  public Tally observe(String name, double value) {
    if (Double.isNaN(value)) {
      throw new IllegalArgumentException(name + ": NaN cannot be tallied");
    }
    values.computeIfAbsent(name, k -> new TreeMap<>()).merge(value == 0 ? 0.0 : value, 1L, Long::sum);
    return this;
  }

  /** This tally with {@code other} added in; returns this. */
  public Tally merge(Tally other) {
    other.counts.forEach((k, v) -> counts.merge(k, v, Long::sum));
    other.values.forEach((k, dist) -> {
      TreeMap<Double, Long> mine = values.computeIfAbsent(k, x -> new TreeMap<>());
      dist.forEach((v, n) -> mine.merge(v, n, Long::sum));
    });
    return this;
  }

  /** Count {@code name}, 0 when never counted. */
  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** The counts whose names start with {@code prefix}, by the rest of the name. */
  public Map<String, Long> countsUnder(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Observations in distribution {@code name}. */
  public long observations(String name) {
    return values.getOrDefault(name, new TreeMap<>()).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The p-quantile of distribution {@code name} by linear interpolation between order statistics
   * (as {@link org.macronet.analysis.stats.Summary#quantile}); NaN when it is empty.
   */
  public double quantile(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], found " + p);
    }
    long n = observations(name);
    if (n == 0) {
      return Double.NaN;
    }
    double h = (n - 1) * p;
    long lo = (long) Math.floor(h);
    double low = orderStatistic(name, lo);
    if (lo >= n - 1) {
      return low;
    }
    return low + (h - lo) * (orderStatistic(name, lo + 1) - low);
  }

  /** The k-th smallest observation (from 0). */
  private double orderStatistic(String name, long k) {
    long seen = 0;
    for (Map.Entry<Double, Long> e : values.get(name).entrySet()) {
      seen += e.getValue();
      if (k < seen) {
        return e.getKey();
      }
    }
    throw new IllegalStateException("order statistic " + k + " past the end of " + name);
  }

  @Override
  public String toString() {
    return "Tally[counts=" + counts + ", distributions=" + values.keySet() + "]";
  }
}
