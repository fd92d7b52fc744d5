package org.macronet.experiment;

import java.io.Serializable;

/**
 * A column a study adds to {@code designs.parquet} or {@code targets.parquet}. Values are Java
 * {@code Integer}, {@code Long}, {@code Double}, {@code Boolean}, {@code String} or {@code float[]}
 * by type; null where {@code nullable}.
 *
 * @param shape the logical shape of a FLOAT_ARRAY value (row-major), recorded in the column's
 *     metadata; null when it has none
 */
public record Column(String name, Type type, boolean nullable, int[] shape) implements Serializable {

  public enum Type {
    INT,
    LONG,
    DOUBLE,
    BOOLEAN,
    STRING,
    FLOAT_ARRAY
  }

  public static Column of(String name, Type type) {
    return new Column(name, type, false, null);
  }

  public static Column nullable(String name, Type type) {
    return new Column(name, type, true, null);
  }

  /** A nullable float array with a logical shape. */
  public static Column array(String name, int... shape) {
    return new Column(name, Type.FLOAT_ARRAY, true, shape.length == 0 ? null : shape.clone());
  }
}
