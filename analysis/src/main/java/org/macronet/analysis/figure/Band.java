package org.macronet.analysis.figure;

/**
 * An ensemble's summary over time for {@link Figures#bands}: the mean, and a lower and upper curve
 * (for example mean -+ one standard deviation), all at the times {@code x}.
 */
public record Band(String name, double[] x, double[] mean, double[] lower, double[] upper) {
  public Band {
    if (name == null || x == null || mean == null || lower == null || upper == null) {
      throw new IllegalArgumentException("a band needs a name, times, a mean and both bounds");
    }
    if (mean.length != x.length || lower.length != x.length || upper.length != x.length) {
      throw new IllegalArgumentException("band '" + name + "': " + x.length + " times for " + mean.length + " means, "
          + lower.length + " lower and " + upper.length + " upper values");
    }
  }
}
