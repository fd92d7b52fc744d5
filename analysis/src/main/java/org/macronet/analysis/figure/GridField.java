package org.macronet.analysis.figure;

/**
 * A scalar field sampled on a regular grid: {@code values[i][j]} is the value at
 * {@code x_j = xMin + j (xMax - xMin) / (nx - 1)}, {@code y_i = yMin + i (yMax - yMin) / (ny - 1)},
 * row i running along y. Between grid points the field is interpolated bilinearly. The array is
 * not copied.
 *
 * @param name what the field is (the colour bar's label)
 * @param values ny rows of nx finite values, nx and ny at least 2
 */
public record GridField(String name, double[][] values, double xMin, double xMax, double yMin, double yMax) {

  public GridField {
    if (name == null) {
      throw new IllegalArgumentException("field name must not be null");
    }
    if (values == null || values.length < 2) {
      throw new IllegalArgumentException("field '" + name + "' needs at least 2 rows, found "
          + (values == null ? "null" : values.length));
    }
    int nx = values[0] == null ? 0 : values[0].length;
    if (nx < 2) {
      throw new IllegalArgumentException("field '" + name + "' needs at least 2 columns, found " + nx);
    }
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null || values[i].length != nx) {
        throw new IllegalArgumentException("field '" + name + "': row " + i + " must have " + nx + " values, found "
            + (values[i] == null ? "null" : values[i].length));
      }
      for (int j = 0; j < nx; j++) {
        if (!Double.isFinite(values[i][j])) {
          throw new IllegalArgumentException(
              "field '" + name + "': values[" + i + "][" + j + "] must be finite, found " + values[i][j]);
        }
      }
    }
    if (!(Double.isFinite(xMin) && Double.isFinite(xMax) && xMin < xMax)) {
      throw new IllegalArgumentException(
          "field '" + name + "': x range must be finite with xMin < xMax, found [" + xMin + ", " + xMax + "]");
    }
    if (!(Double.isFinite(yMin) && Double.isFinite(yMax) && yMin < yMax)) {
      throw new IllegalArgumentException(
          "field '" + name + "': y range must be finite with yMin < yMax, found [" + yMin + ", " + yMax + "]");
    }
  }

  /** The smallest grid value. */
  public double min() {
    double min = Double.POSITIVE_INFINITY;
    for (double[] row : values) {
      for (double v : row) {
        min = Math.min(min, v);
      }
    }
    return min;
  }

  /** The largest grid value. */
  public double max() {
    double max = Double.NEGATIVE_INFINITY;
    for (double[] row : values) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    return max;
  }

  /** The bilinear interpolant at (x, y); points outside the range take the nearest edge value. */
  public double at(double x, double y) {
    int nx = values[0].length;
    int ny = values.length;
    double u = clamp((x - xMin) / (xMax - xMin)) * (nx - 1);
    double v = clamp((y - yMin) / (yMax - yMin)) * (ny - 1);
    int j = Math.min((int) u, nx - 2);
    int i = Math.min((int) v, ny - 2);
    double fu = u - j;
    double fv = v - i;
    double bottom = values[i][j] + fu * (values[i][j + 1] - values[i][j]);
    double top = values[i + 1][j] + fu * (values[i + 1][j + 1] - values[i + 1][j]);
    return bottom + fv * (top - bottom);
  }

  private static double clamp(double t) {
    return Math.max(0, Math.min(1, t));
  }
}
