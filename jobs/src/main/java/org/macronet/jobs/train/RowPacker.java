package org.macronet.jobs.train;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Packs the u and v columns of Spark SQL's internal rows into floats, in column order (scalars as
 * one value, arrays flattened), as {@link PairDatasets#pairs} packs external rows; the arrays are
 * copied straight out of the row, with no boxed values. A null, a non-finite value or an array of
 * the wrong length is refused, naming the sample id and the column.
 */
final class RowPacker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One column: its name, its position in the row, and whether it is an array of doubles or floats. */
  private record Field(String name, int ordinal, DataType type) implements Serializable {}

  private final Field[] u;
  private final Field[] v;
  private final int uDim;
  private final int vDim;

  private RowPacker(Field[] u, int uDim, Field[] v, int vDim) {
    this.u = u;
    this.v = v;
    this.uDim = uDim;
    this.vDim = vDim;
  }

  /** A packer for rows of {@code schema}, with the u and v columns and widths given. */
  static RowPacker of(StructType schema, List<String> uColumns, int uDim, List<String> vColumns, int vDim) {
    return new RowPacker(fields(schema, uColumns), uDim, fields(schema, vColumns), vDim);
  }

  private static Field[] fields(StructType schema, List<String> columns) {
    Field[] out = new Field[columns.size()];
    for (int i = 0; i < out.length; i++) {
      String c = columns.get(i);
      int ordinal = schema.fieldIndex(c);
      DataType t = schema.fields()[ordinal].dataType();
      DataType element = t instanceof ArrayType a ? a.elementType() : t;
      if (!(element.equals(DataTypes.DoubleType) || element.equals(DataTypes.FloatType)
          || element.equals(DataTypes.IntegerType) || element.equals(DataTypes.LongType)
          || element.equals(DataTypes.ShortType) || element.equals(DataTypes.ByteType))) {
        throw new IllegalArgumentException("column " + c + " is " + t.simpleString() + "; a numeric column or array "
            + "of numbers is needed for training");
      }
      out[i] = new Field(c, ordinal, t);
    }
    return out;
  }

  float[] packU(InternalRow row, long sampleId) {
    return pack(row, u, uDim, sampleId);
  }

  float[] packV(InternalRow row, long sampleId) {
    return pack(row, v, vDim, sampleId);
  }

  private static float[] pack(InternalRow row, Field[] fields, int width, long sampleId) {
    float[] out = new float[width];
    int k = 0;
    for (Field f : fields) {
      if (row.isNullAt(f.ordinal())) {
        throw new IllegalArgumentException("sample_id " + sampleId + ": " + f.name() + " is null");
      }
      int start = k;
      if (f.type() instanceof ArrayType a) {
        ArrayData array = row.getArray(f.ordinal());
        int n = array.numElements();
        if (k + n > width) {
          throw widthMismatch(sampleId, fields, k + n, width);
        }
        DataType e = a.elementType();
        for (int i = 0; i < n; i++) {
          if (array.isNullAt(i)) {
            throw new IllegalArgumentException("sample_id " + sampleId + ": " + f.name() + "[" + i + "] is null");
          }
          out[k++] = e.equals(DataTypes.FloatType) ? array.getFloat(i) : e.equals(DataTypes.DoubleType)
              ? (float) array.getDouble(i) : (float) numberAt(array, i, e);
        }
      } else {
        if (k + 1 > width) {
          throw widthMismatch(sampleId, fields, k + 1, width);
        }
        DataType t = f.type();
        out[k++] = t.equals(DataTypes.DoubleType) ? (float) row.getDouble(f.ordinal())
            : t.equals(DataTypes.FloatType) ? row.getFloat(f.ordinal()) : (float) number(row, f.ordinal(), t);
      }
      for (int j = start; j < k; j++) {
        if (!Float.isFinite(out[j])) {
          throw new IllegalArgumentException("sample_id " + sampleId + ": " + f.name()
              + (f.type() instanceof ArrayType ? "[" + (j - start) + "]" : "") + " is " + out[j]);
        }
      }
    }
    if (k != width) {
      throw widthMismatch(sampleId, fields, k, width);
    }
    return out;
  }

  private static long number(InternalRow row, int ordinal, DataType t) {
    return t.equals(DataTypes.LongType) ? row.getLong(ordinal) : t.equals(DataTypes.IntegerType) ? row.getInt(ordinal)
        : t.equals(DataTypes.ShortType) ? row.getShort(ordinal) : row.getByte(ordinal);
  }

  private static long numberAt(ArrayData array, int i, DataType t) {
    return t.equals(DataTypes.LongType) ? array.getLong(i) : t.equals(DataTypes.IntegerType) ? array.getInt(i)
        : t.equals(DataTypes.ShortType) ? array.getShort(i) : array.getByte(i);
  }

  private static IllegalArgumentException widthMismatch(long sampleId, Field[] fields, int found, int width) {
    StringBuilder names = new StringBuilder();
    for (Field f : fields) {
      names.append(names.isEmpty() ? "" : ", ").append(f.name());
    }
    return new IllegalArgumentException("sample_id " + sampleId + ": [" + names + "] hold " + (found > width
        ? "more than " + width : String.valueOf(found)) + " values, other rows " + width);
  }
}
