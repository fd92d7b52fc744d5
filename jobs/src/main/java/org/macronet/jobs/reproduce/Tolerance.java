package org.macronet.jobs.reproduce;

/**
 * How far a metric may move from its baseline: it passes when
 * {@code |actual - baseline| <= absolute + relative * |baseline|} (numpy's {@code isclose}
 * rule). Zero for both means exact equality. NaN equals NaN; an infinity equals only itself.
 *
 * @param absolute the absolute part, >= 0
 * @param relative the part proportional to the baseline's magnitude, >= 0
 */
public record Tolerance(double absolute, double relative) {
  public static final Tolerance EXACT = new Tolerance(0, 0);

  public Tolerance {
    if (!(absolute >= 0) || !Double.isFinite(absolute)) {
      throw new IllegalArgumentException("absolute tolerance must be a finite number >= 0, found " + absolute);
    }
    if (!(relative >= 0) || !Double.isFinite(relative)) {
      throw new IllegalArgumentException("relative tolerance must be a finite number >= 0, found " + relative);
    }
  }

  /** The largest difference allowed from {@code baseline}. */
  public double allowed(double baseline) {
    return absolute + relative * Math.abs(baseline);
  }

  public boolean allows(double baseline, double actual) {
    if (Double.isNaN(baseline) || Double.isNaN(actual)) {
      return Double.isNaN(baseline) && Double.isNaN(actual);
    }
    if (baseline == actual) {
      return true; // also equal infinities, whose difference is NaN
    }
    if (Double.isInfinite(baseline) || Double.isInfinite(actual)) {
      return false;
    }
    return Math.abs(actual - baseline) <= allowed(baseline);
  }

  public boolean exact() {
    return absolute == 0 && relative == 0;
  }
}
