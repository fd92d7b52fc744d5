package org.macronet.jobs.dataset;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;

/**
 * The Spark schema of a system's dataset (docs/data.md, "Datasets"): {@code sample_id},
 * {@code seed}, one double column per scalar, then the array observation as
 * {@code array<float>} with its shape in the field metadata.
 */
public final class DatasetSchema {
  public static final String SAMPLE_ID = "sample_id";
  public static final String SEED = "seed";
  public static final String SHAPE_KEY = "shape";

  private DatasetSchema() {}

  public static StructType of(PairSystem system) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(SAMPLE_ID, DataTypes.LongType, false));
    fields.add(DataTypes.createStructField(SEED, DataTypes.LongType, false));
    for (String c : system.scalarColumns()) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, false));
    }
    system.arrayColumn().ifPresent(a -> {
      long[] shape = new long[a.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = a.shape()[i];
      }
      Metadata md = new MetadataBuilder().putLongArray(SHAPE_KEY, shape).build();
      fields.add(DataTypes.createStructField(a.name(), DataTypes.createArrayType(DataTypes.FloatType, false), false, md));
    });
    return DataTypes.createStructType(fields);
  }

  /**
   * Row {@code r} of a simulated block in Spark's internal form, in schema order: the array
   * is copied once into an {@link UnsafeArrayData}, with no per-element boxing.
   */
  public static InternalRow internalRow(SampleBlock block, int r) {
    int scalars = block.scalars().length;
    boolean array = block.arrays() != null;
    Object[] values = new Object[2 + scalars + (array ? 1 : 0)];
    values[0] = block.sampleIds()[r];
    values[1] = block.seeds()[r];
    for (int c = 0; c < scalars; c++) {
      values[2 + c] = block.scalars()[c][r];
    }
    if (array) {
      values[values.length - 1] = UnsafeArrayData.fromPrimitiveArray(block.arrays()[r]);
    }
    return new GenericInternalRow(values);
  }
}
