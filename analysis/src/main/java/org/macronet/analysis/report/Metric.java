package org.macronet.analysis.report;

/**
 * A measured number and the bar it must clear (docs/systems.md, "Science bars"), e.g.
 * {@code |Spearman rho| >= 0.99}. A NaN value (a metric that could not be computed) fails.
 *
 * @param name what was measured
 * @param value the measurement; may be NaN or infinite
 * @param bar the threshold, finite
 * @param comparison how the value must relate to the bar
 */
public record Metric(String name, double value, double bar, Comparison comparison) {

  /** How a value must relate to its bar. */
  public enum Comparison {
    /** {@code value >= bar} */
    AT_LEAST(">="),
    /** {@code value <= bar} */
    AT_MOST("<=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in a report: {@code >=} or {@code <=}. */
    public String symbol() {
      return symbol;
    }

    /** Whether {@code value (symbol) bar}; false for a NaN value. */
    public boolean holds(double value, double bar) {
      return this == AT_LEAST ? value >= bar : value <= bar;
    }
  }

  public Metric {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("metric name must not be blank, found " + (name == null ? "null" : "'" + name + "'"));
    }
    if (!Double.isFinite(bar)) {
      throw new IllegalArgumentException("metric '" + name + "': bar must be finite, found " + bar);
    }
    if (comparison == null) {
      throw new IllegalArgumentException("metric '" + name + "': comparison must not be null");
    }
  }

  /** A metric that passes when {@code value >= bar}. */
  public static Metric atLeast(String name, double value, double bar) {
    return new Metric(name, value, bar, Comparison.AT_LEAST);
  }

  /** A metric that passes when {@code value <= bar}. */
  public static Metric atMost(String name, double value, double bar) {
    return new Metric(name, value, bar, Comparison.AT_MOST);
  }

  /** Whether the value clears the bar. */
  public boolean passed() {
    return comparison.holds(value, bar);
  }
}
