package org.macronet.analysis.figure;

import java.util.Arrays;
import java.util.Locale;
import org.macronet.analysis.stats.Summary;

/**
 * The values a figure's colour scale spans: the 1st to the 99th percentile of the drawn values, so
 * that a few extreme values (a corner of a learned field far outside the data) do not flatten
 * everything else into one colour. Values outside take the end colours; {@link #describe()} states
 * both ranges for a label or a note.
 *
 * @param low  the value drawn in the first colour (the 1st percentile)
 * @param high the value drawn in the last colour (the 99th percentile), above {@code low}
 * @param min  the smallest drawn value
 * @param max  the largest drawn value
 */
public record ColourRange(double low, double high, double min, double max) {
  public static final double LOW_QUANTILE = 0.01;
  public static final double HIGH_QUANTILE = 0.99;

  public ColourRange {
    if (!(Double.isFinite(low) && Double.isFinite(high) && low < high && min <= low && high <= max)) {
      throw new IllegalArgumentException("colour range needs finite min <= low < high <= max, found low " + low
          + ", high " + high + ", min " + min + ", max " + max);
    }
  }

  /**
   * The range of {@code values} (non-finite ones ignored). Where the percentiles coincide (mostly
   * one value) the full range is used; where that is a single value, a unit span around it.
   *
   * @throws IllegalArgumentException when no value is finite
   */
  public static ColourRange of(double[] values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
    if (v.length == 0) {
      throw new IllegalArgumentException("a colour range needs at least one finite value, found none of "
          + values.length);
    }
    double min = Arrays.stream(v).min().getAsDouble();
    double max = Arrays.stream(v).max().getAsDouble();
    double low = Summary.quantile(v, LOW_QUANTILE);
    double high = Summary.quantile(v, HIGH_QUANTILE);
    if (!(low < high)) {
      low = min;
      high = max;
    }
    if (!(low < high)) {
      return new ColourRange(min - 0.5, max + 0.5, min - 0.5, max + 0.5);
    }
    return new ColourRange(low, high, min, max);
  }

  /** Every value of a grid, row by row. */
  public static ColourRange of(double[][] grid) {
    return of(Arrays.stream(grid).flatMapToDouble(Arrays::stream).toArray());
  }

  /** Whether some drawn values lie outside [low, high] (then drawn in the end colours). */
  public boolean clipped() {
    return min < low || high < max;
  }

  /** {@code value}'s place on the scale, 0 at {@link #low} and 1 at {@link #high}, clamped to [0, 1]. */
  public double position(double value) {
    return Math.max(0, Math.min(1, (value - low) / (high - low)));
  }

  /** E.g. {@code colours: 1st-99th percentile, -0.82 to 1.7; all values -0.91 to 56.9}. */
  public String describe() {
    if (!clipped()) {
      return String.format(Locale.ROOT, "colours: %.3g to %.3g, all values", low, high);
    }
    return String.format(Locale.ROOT, "colours: 1st-99th percentile, %.3g to %.3g; all values %.3g to %.3g", low, high,
        min, max);
  }
}
