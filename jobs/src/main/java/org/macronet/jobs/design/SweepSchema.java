package org.macronet.jobs.design;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.experiment.Column;
import org.macronet.experiment.DesignStudy;
import org.macronet.jobs.dataset.DatasetSchema;

/** The Spark schemas of a design sweep's files: the common columns, then the study's. */
final class SweepSchema {
  private SweepSchema() {}

  /** designs.parquet: target_id, design_id, target_sample_id, alpha_0 .. alpha_{d-1}, the study's design columns. */
  static StructType designs(int d, DesignStudy study) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("target_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("design_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("target_sample_id", DataTypes.LongType, true));
    alpha(f, d);
    study.designColumns().forEach(c -> f.add(field(c)));
    return DataTypes.createStructType(f);
  }

  /** targets.parquet: target_id, target_sample_id, alpha_0 .. alpha_{d-1}, the study's target columns. */
  static StructType targets(int d, DesignStudy study) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("target_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("target_sample_id", DataTypes.LongType, true));
    alpha(f, d);
    study.targetColumns().forEach(c -> f.add(field(c)));
    return DataTypes.createStructType(f);
  }

  private static void alpha(List<StructField> f, int d) {
    for (int k = 0; k < d; k++) {
      f.add(DataTypes.createStructField("alpha_" + k, DataTypes.DoubleType, false));
    }
  }

  static StructField field(Column c) {
    DataType type = switch (c.type()) {
      case INT -> DataTypes.IntegerType;
      case LONG -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING -> DataTypes.StringType;
      case FLOAT_ARRAY -> DataTypes.createArrayType(DataTypes.FloatType, false);
    };
    Metadata meta = Metadata.empty();
    if (c.shape() != null) {
      long[] shape = new long[c.shape().length];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = c.shape()[i];
      }
      meta = new MetadataBuilder().putLongArray(DatasetSchema.SHAPE_KEY, shape).build();
    }
    return DataTypes.createStructField(c.name(), type, c.nullable(), meta);
  }
}
