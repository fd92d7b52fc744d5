package org.macronet.simulation.ensemble;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One column of an ensemble dataset's snapshot rows.
 *
 * @param name  the column name (docs/data.md lists each system's)
 * @param type  its type; in a row, the value is an {@link Integer}, {@link Long}, {@link Double},
 *              {@code byte[]} or {@code float[]} accordingly
 * @param shape for an array column its logical shape (row-major), otherwise empty
 */
public record Field(String name, Type type, int[] shape) implements Serializable {

  /** Column types, with their Parquet form. */
  public enum Type {
    /** int32. */
    INT,
    /** int64. */
    LONG,
    /** float64. */
    DOUBLE,
    /** list of int8 ({@code array<tinyint>} in Spark). */
    BYTES,
    /** list of float32. */
    FLOATS;

    public boolean isArray() {
      return this == BYTES || this == FLOATS;
    }
  }

  public Field {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a field needs a name");
    }
    shape = shape == null ? new int[0] : shape.clone();
    if (type.isArray() != (shape.length > 0)) {
      throw new IllegalArgumentException(name + ": array columns, and only they, have a shape");
    }
  }

  public static Field scalar(String name, Type type) {
    return new Field(name, type, new int[0]);
  }

  public static Field array(String name, Type type, int... shape) {
    return new Field(name, type, shape);
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** Number of elements of an array column: the product of its shape. */
  public int length() {
    int n = 1;
    for (int s : shape) {
      n = Math.multiplyExact(n, s);
    }
    return n;
  }

  /** Whether {@code value} has this column's Java type (and, for an array, its length). */
  public boolean accepts(Object value) {
    return switch (type) {
      case INT -> value instanceof Integer;
      case LONG -> value instanceof Long;
      case DOUBLE -> value instanceof Double;
      case BYTES -> value instanceof byte[] b && b.length == length();
      case FLOATS -> value instanceof float[] f && f.length == length();
    };
  }

  /**
   * Refuses a row whose values from {@code from} on do not match {@code fields} in number and
   * type: a simulator's or a job's mistake, caught before the row is written.
   *
   * @param where the row, for the message (e.g. {@code "sample 12"})
   */
  public static void checkRow(List<Field> fields, Object[] values, int from, String where) {
    if (values.length - from != fields.size()) {
      throw new IllegalStateException(where + ": a row of " + (values.length - from) + " values for "
          + fields.size() + " columns " + fields);
    }
    for (int i = 0; i < fields.size(); i++) {
      Object v = values[from + i];
      if (!fields.get(i).accepts(v)) {
        throw new IllegalStateException(where + ": column " + fields.get(i) + " got "
            + (v == null ? "null" : v.getClass().getSimpleName()));
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.name.equals(name) && f.type == type && Arrays.equals(f.shape, shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ":" + type + (shape.length == 0 ? "" : Arrays.toString(shape));
  }
}
