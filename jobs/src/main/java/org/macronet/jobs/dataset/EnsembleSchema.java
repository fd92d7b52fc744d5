package org.macronet.jobs.dataset;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;

/**
 * The Spark schema of an ensemble dataset (docs/data.md, "Ensemble datasets"): {@code sample_id},
 * {@code seed}, then the system's {@link EnsembleSystem#fields()}; array columns carry their
 * shape in the field metadata, as a pair dataset's array does.
 */
public final class EnsembleSchema {
  private EnsembleSchema() {}

  public static StructType of(EnsembleSystem system) {
    return of(system.fields());
  }

  /** {@code sample_id}, {@code seed}, then {@code fields}. */
  public static StructType of(List<Field> fields) {
    List<StructField> out = new ArrayList<>();
    out.add(DataTypes.createStructField(DatasetSchema.SAMPLE_ID, DataTypes.LongType, false));
    out.add(DataTypes.createStructField(DatasetSchema.SEED, DataTypes.LongType, false));
    for (Field f : fields) {
      Metadata md = Metadata.empty();
      if (f.type().isArray()) {
        long[] shape = java.util.Arrays.stream(f.shape()).asLongStream().toArray();
        md = new MetadataBuilder().putLongArray(DatasetSchema.SHAPE_KEY, shape).build();
      }
      out.add(DataTypes.createStructField(f.name(), sparkType(f.type()), false, md));
    }
    return DataTypes.createStructType(out);
  }

  static DataType sparkType(Field.Type t) {
    return switch (t) {
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BYTES -> DataTypes.createArrayType(DataTypes.ByteType, false);
      case FLOATS -> DataTypes.createArrayType(DataTypes.FloatType, false);
    };
  }

  /** A snapshot row in Spark's internal form; arrays are copied once, unboxed. */
  public static InternalRow internalRow(long sampleId, long seed, Object[] values) {
    Object[] out = new Object[values.length + 2];
    out[0] = sampleId;
    out[1] = seed;
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      out[i + 2] = v instanceof byte[] b ? UnsafeArrayData.fromPrimitiveArray(b)
          : v instanceof float[] f ? UnsafeArrayData.fromPrimitiveArray(f)
          : v;
    }
    return new GenericInternalRow(out);
  }
}
