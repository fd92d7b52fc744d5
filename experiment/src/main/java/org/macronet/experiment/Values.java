package org.macronet.experiment;

import java.util.List;
import java.util.Map;

/** Reading values from rows and metrics by name, defensively. */
public final class Values {
  private Values() {}

  /**
   * A value as a double: a number as it is; a string as Java parses it ({@code "NaN"},
   * {@code "Infinity"} as JSON writers spell them); anything else (absent, null, malformed) NaN.
   */
  public static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** {@code number(row.get(name))}. */
  public static double number(Map<String, ?> row, String name) {
    return number(row.get(name));
  }

  /** A float array column's value, or null. */
  public static float[] floats(Map<String, ?> row, String name) {
    return (float[]) row.get(name);
  }

  /** The values of {@code names} in {@code row}, NaN where absent. */
  public static double[] numbers(Map<String, ?> row, List<String> names) {
    double[] out = new double[names.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(row.get(names.get(i)));
    }
    return out;
  }

  /** A metrics entry that is a list of objects (per-target tables). */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> table(Map<String, Object> metrics, String name) {
    Object v = metrics.get(name);
    return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
