package org.macronet.analysis.figure;

/**
 * A named set of points {@code (x_i, y_i)} for a scatter figure. The arrays are not copied.
 *
 * @param name the legend label
 * @param x abscissae, finite
 * @param y ordinates, finite, as many as {@code x}, at least one
 */
public record Series(String name, double[] x, double[] y) {

  public Series {
    if (name == null) {
      throw new IllegalArgumentException("series name must not be null");
    }
    if (x == null || y == null) {
      throw new IllegalArgumentException("series '" + name + "': x and y must not be null");
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException("series '" + name + "': x and y must have the same length, found "
          + x.length + " and " + y.length);
    }
    if (x.length == 0) {
      throw new IllegalArgumentException("series '" + name + "' must hold at least one point, found 0");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException("series '" + name + "': point " + i + " must be finite, found ("
            + x[i] + ", " + y[i] + ")");
      }
    }
  }
}
