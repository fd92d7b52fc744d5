package org.macronet.bench;

import java.util.Arrays;
import java.util.List;

/** Median and spread of repeated timings (in milliseconds where the benchmarks say so). */
public record Timing(int count, double median, double p10, double p90) {

  static Timing of(List<Double> millis) {
    return of(millis.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public static Timing of(double[] millis) {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no timings");
    }
    double[] s = millis.clone();
    Arrays.sort(s);
    return new Timing(s.length, quantile(s, 0.5), quantile(s, 0.1), quantile(s, 0.9));
  }

  /** The q-quantile of sorted values, interpolating linearly between neighbours. */
  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int i = (int) Math.floor(pos);
    int j = Math.min(i + 1, sorted.length - 1);
    return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
  }

  static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }
}
