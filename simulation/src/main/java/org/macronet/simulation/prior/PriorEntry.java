package org.macronet.simulation.prior;

import java.io.Serializable;

/**
 * How one parameter is chosen: a fixed number, a uniform range, or a regular grid
 * (a sweep axis). Every entry consumes exactly one uniform draw per sample, used or
 * not, so fixing or sweeping one parameter never shifts the random numbers of the others.
 */
public sealed interface PriorEntry extends Serializable {

  /** The value for one sample given its uniform draw {@code u} in [0, 1) and, for grids, its index on this axis. */
  double value(double u, int gridIndex);

  /** Smallest value this entry can produce. */
  double min();

  /** Largest value this entry can produce. */
  double max();

  /** Number of grid points on this axis; 1 for entries that are not grids. */
  default int gridCount() {
    return 1;
  }

  /** The entry as a configuration value: {@code 0.16}, {@code [0.12, 0.2]} or {@code {grid: [0.01, 0.06, 11]}}. */
  String render();

  /** A single number. */
  record Fixed(double value) implements PriorEntry {
    public Fixed {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("must be a finite number, found " + value);
      }
    }

    @Override
    public double value(double u, int gridIndex) {
      return value;
    }

    @Override
    public double min() {
      return value;
    }

    @Override
    public double max() {
      return value;
    }

    @Override
    public String render() {
      return Double.toString(value);
    }
  }

  /** Uniform on [lo, hi). */
  record Uniform(double lo, double hi) implements PriorEntry {
    public Uniform {
      if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
        throw new IllegalArgumentException("range bounds must be finite, found [" + lo + ", " + hi + "]");
      }
      if (lo > hi) {
        throw new IllegalArgumentException("lo must not exceed hi, found [" + lo + ", " + hi + "]");
      }
    }

    @Override
    public double value(double u, int gridIndex) {
      return lo + (hi - lo) * u;
    }

    @Override
    public double min() {
      return lo;
    }

    @Override
    public double max() {
      return hi;
    }

    @Override
    public String render() {
      return "[" + lo + ", " + hi + "]";
    }
  }

  /** {@code count} evenly spaced values from lo to hi inclusive (lo alone when count is 1). */
  record Grid(double lo, double hi, int count) implements PriorEntry {
    public Grid {
      if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
        throw new IllegalArgumentException("grid bounds must be finite, found [" + lo + ", " + hi + ", " + count + "]");
      }
      if (lo > hi) {
        throw new IllegalArgumentException("grid lo must not exceed hi, found [" + lo + ", " + hi + ", " + count + "]");
      }
      if (count < 1) {
        throw new IllegalArgumentException("grid count must be at least 1, found " + count);
      }
    }

    @Override
    public double value(double u, int gridIndex) {
      return count == 1 ? lo : lo + (hi - lo) * gridIndex / (count - 1);
    }

    @Override
    public double min() {
      return lo;
    }

    @Override
    public double max() {
      return count == 1 ? lo : hi;
    }

    @Override
    public int gridCount() {
      return count;
    }

    @Override
    public String render() {
      return "{grid: [" + lo + ", " + hi + ", " + count + "]}";
    }
  }
}
