package org.macronet.jobs.dataset;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Computes a dataset's {@link ContentChecksum} on Spark, from the rows as they were written. */
public final class DatasetChecksums {
  private DatasetChecksums() {}

  /** Row count and checksum. */
  public record Result(long rows, String checksum) {}

  public static Result compute(Dataset<Row> rows) {
    StructType schema = rows.schema();
    ContentChecksum sum = rows.javaRDD().treeAggregate(new ContentChecksum(),
        (acc, row) -> acc.addRow(ContentChecksum.canonical(columns(schema, row))),
        ContentChecksum::merge);
    return new Result(sum.rows(), sum.value());
  }

  /** A row's columns as Long, Integer, Double, float[] or byte[] for {@link ContentChecksum#canonical}. */
  static Object[] columns(StructType schema, Row row) {
    StructField[] fields = schema.fields();
    Object[] out = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      DataType t = fields[i].dataType();
      if (t.equals(DataTypes.LongType)) {
        out[i] = row.getLong(i);
      } else if (t.equals(DataTypes.IntegerType)) {
        out[i] = row.getInt(i);
      } else if (t.equals(DataTypes.DoubleType)) {
        out[i] = row.getDouble(i);
      } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.ByteType)) {
        List<Byte> list = row.getList(i);
        byte[] b = new byte[list.size()];
        for (int j = 0; j < b.length; j++) {
          b[j] = list.get(j);
        }
        out[i] = b;
      } else if (t instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) {
        List<Float> list = row.getList(i);
        float[] f = new float[list.size()];
        for (int j = 0; j < f.length; j++) {
          f[j] = list.get(j);
        }
        out[i] = f;
      } else {
        throw new IllegalArgumentException("column " + fields[i].name() + " has unsupported type " + t.simpleString());
      }
    }
    return out;
  }
}
