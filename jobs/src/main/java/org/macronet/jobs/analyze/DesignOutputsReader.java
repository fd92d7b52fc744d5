package org.macronet.jobs.analyze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.DesignStudy;
import org.macronet.jobs.design.DesignJob;

/**
 * Reads what the analysis needs of a design sweep in {@code <run>/design}: {@code metrics.json},
 * the row counts, and the few rows the figures draw: the targets the study picks
 * ({@link DesignStudy#shownTargetIds}, from every target's scalar columns) with every column, and of
 * each its designs of lowest design_id, arrays only for the first
 * {@link DesignStudy#shownDesignArrays()}.
 */
public final class DesignOutputsReader {
  /** Reads NaN and the infinities also when written as bare tokens (Python's json does). */
  private static final ObjectMapper LENIENT = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private DesignOutputsReader() {}

  /**
   * @param metrics the sweep's metrics when the caller has them (the pipeline), else null: then
   *     they are read from {@code metrics.json}
   * @throws FileNotFoundException when a file is missing, naming the folder and the files and
   *     asking for the design job to be run first
   */
  public static DesignOutputs read(SparkSession spark, Path designDir, DesignStudy study, Map<String, Object> metrics)
      throws IOException {
    FileSystem fs = designDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> missing = new ArrayList<>();
    for (String f : metrics == null ? List.of(DesignJob.TARGETS, DesignJob.DESIGNS, DesignJob.METRICS)
        : List.of(DesignJob.TARGETS, DesignJob.DESIGNS)) {
      if (!fs.exists(new Path(designDir, f))) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new FileNotFoundException("no design outputs in " + fs.makeQualified(designDir) + " (missing "
          + String.join(", ", missing) + "): run 'macronet design' first");
    }
    Map<String, Object> m = metrics != null ? metrics : readMetrics(fs, new Path(designDir, DesignJob.METRICS));

    Dataset<Row> targets = spark.read().parquet(new Path(designDir, DesignJob.TARGETS).toString());
    // every target's scalar columns (bounded by design.targets), for the study to pick the shown ones
    Column[] scalars = java.util.Arrays.stream(targets.schema().fields())
        .filter(f -> !(f.dataType() instanceof ArrayType)).map(f -> col(f.name())).toArray(Column[]::new);
    List<Integer> picked = study.shownTargetIds(maps(targets.select(scalars).orderBy("target_id").collectAsList()));
    List<Map<String, Object>> shown = picked.isEmpty() ? List.of()
        : maps(targets.filter(col("target_id").isin(picked.toArray())).orderBy("target_id").collectAsList());
    Dataset<Row> designs = spark.read().parquet(new Path(designDir, DesignJob.DESIGNS).toString());
    List<Map<String, Object>> shownDesigns = List.of();
    if (!shown.isEmpty() && study.shownDesigns() > 0) {
      Object[] ids = shown.stream().map(t -> t.get("target_id")).toArray();
      List<Column> select = new ArrayList<>();
      for (StructField f : designs.schema().fields()) {
        select.add(f.dataType() instanceof ArrayType
            ? when(col("design_id").lt(study.shownDesignArrays()), col(f.name())).otherwise(lit(null))
                .cast(f.dataType()).as(f.name())
            : col(f.name()));
      }
      shownDesigns = maps(designs.filter(col("target_id").isin(ids).and(col("design_id").lt(study.shownDesigns())))
          .select(select.toArray(Column[]::new)).orderBy("target_id", "design_id").collectAsList());
    }
    return new DesignOutputs(m, targets.count(), designs.count(), shown, shownDesigns);
  }

  /** Rows as maps by column name, float arrays as {@code float[]}. */
  static List<Map<String, Object>> maps(List<Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      StructField[] fields = r.schema().fields();
      for (int i = 0; i < fields.length; i++) {
        Object v = r.isNullAt(i) ? null : r.get(i);
        if (v != null && fields[i].dataType() instanceof ArrayType) {
          List<Object> list = r.getList(i);
          float[] f = new float[list.size()];
          for (int k = 0; k < f.length; k++) {
            Object x = list.get(k);
            f[k] = x == null ? Float.NaN : ((Number) x).floatValue();
          }
          v = f;
        }
        m.put(fields[i].name(), v);
      }
      out.add(m);
    }
    return out;
  }

  /** {@code metrics.json} as a map, in the file's order. */
  static Map<String, Object> readMetrics(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      Object value = LENIENT.readValue(in, Object.class);
      if (!(value instanceof Map<?, ?> map)) {
        throw new IOException(file + ": expected a JSON object, found " + (value == null ? "null" : value.getClass()
            .getSimpleName()));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), v));
      return out;
    }
  }
}
