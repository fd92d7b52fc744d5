package org.macronet.analysis.ensemble;

/**
 * Trajectories sampled at their own (irregular) times put on one common grid, by linear
 * interpolation between the two samples around each grid time; before the first sample the first
 * value holds, after the last the last. Kinetic Monte Carlo runs store snapshots at random physical
 * times, so runs are compared on such a grid.
 */
public final class TimeGrid {
  private TimeGrid() {}

  /** {@code count} evenly spaced times from 0 to {@code end}, both included. */
  public static double[] uniform(double end, int count) {
    if (count < 2 || !(end > 0)) {
      throw new IllegalArgumentException("need at least 2 grid times and a positive end, found " + count + ", " + end);
    }
    double[] t = new double[count];
    for (int k = 0; k < count; k++) {
      t[k] = end * k / (count - 1);
    }
    return t;
  }

  /**
   * One trajectory on the grid.
   *
   * @param times  the sample times, non-decreasing
   * @param values {@code values[k]} the state (any dimension) at {@code times[k]}
   * @param grid   the grid times
   * @return {@code out[g]} the state at {@code grid[g]}
   */
  public static double[][] interpolate(double[] times, double[][] values, double[] grid) {
    if (times.length == 0 || times.length != values.length) {
      throw new IllegalArgumentException(times.length + " times for " + values.length + " states");
    }
    for (int k = 1; k < times.length; k++) {
      if (!(times[k] >= times[k - 1])) {
        throw new IllegalArgumentException("sample times must not decrease: " + times[k - 1] + " then " + times[k]
            + " at " + k);
      }
    }
    int d = values[0].length;
    double[][] out = new double[grid.length][d];
    int k = 0;
    for (int g = 0; g < grid.length; g++) {
      double t = grid[g];
      while (k + 1 < times.length && times[k + 1] <= t) {
        k++;
      }
      if (t <= times[0]) {
        out[g] = values[0].clone();
      } else if (k + 1 >= times.length) {
        out[g] = values[times.length - 1].clone();
      } else {
        double span = times[k + 1] - times[k];
        double w = span == 0 ? 0 : (t - times[k]) / span;
        for (int j = 0; j < d; j++) {
          out[g][j] = (1 - w) * values[k][j] + w * values[k + 1][j];
        }
      }
    }
    return out;
  }
}
