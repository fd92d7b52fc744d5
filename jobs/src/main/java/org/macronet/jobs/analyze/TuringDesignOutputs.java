package org.macronet.jobs.analyze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.macronet.systems.grayscott.GrayScottSystem;

/**
 * What the Gray-Scott analysis keeps of the design sweep's outputs in {@code <run>/design}
 * ({@code targets.parquet}, {@code designs.parquet}, {@code metrics.json}): the sweep's metrics,
 * design counts by validity and reason (counted on the executors), and the few rows the figures
 * draw — the {@link #SHOWN_TARGETS} targets of lowest {@code target_id} with their patterns, and
 * for each the first {@link #POINTS_PER_TARGET} valid designs (by {@code design_id}) with their
 * parameters, the first {@link #PATTERNS_PER_TARGET} of them with their re-simulated pattern.
 *
 * @param metrics the sweep's metrics, as written to {@code metrics.json}
 * @param targets rows of {@code targets.parquet}
 * @param designs rows of {@code designs.parquet}
 * @param valid designs whose {@code valid} is true
 * @param invalidByReason invalid designs by {@code invalid_reason}, sorted by reason; a null
 *     reason is counted as {@code "unspecified"}
 * @param shown the targets the figures draw, by {@code target_id}
 * @param shownDesigns valid designs of the shown targets, by target then {@code design_id}
 */
public record TuringDesignOutputs(Map<String, Object> metrics, long targets, long designs, long valid,
    Map<String, Long> invalidByReason, List<Target> shown, List<Design> shownDesigns) {

  public static final String TARGETS = "targets.parquet";
  public static final String DESIGNS = "designs.parquet";
  public static final String METRICS = "metrics.json";
  /** Targets whose designs the parameter figures draw (one colour each). */
  public static final int SHOWN_TARGETS = 8;
  /** Designs per shown target whose parameters are read (the scatter's points). */
  public static final int POINTS_PER_TARGET = 1000;
  /** Designs per shown target whose pattern is read (the pattern grid's tiles). */
  public static final int PATTERNS_PER_TARGET = 8;

  /** Reads NaN and the infinities also when written as bare tokens (Python's json does). */
  private static final ObjectMapper LENIENT = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  /** The Gray-Scott parameters, the u columns of both files. */
  static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  /**
   * A target of the sweep.
   *
   * @param id {@code target_id}
   * @param sampleId the dataset row it came from, or null
   * @param parameters its own (Da, Db, F, k), NaN where unknown
   * @param pattern its pattern (channel a then b), or null
   * @param medianPercentile the median percentile of its designs, NaN when it has no valid design
   * @param validDesigns its valid designs
   */
  public record Target(int id, Long sampleId, double[] parameters, float[] pattern, double medianPercentile,
      int validDesigns) {}

  /**
   * A valid design of a shown target.
   *
   * @param pattern the re-simulated pattern, or null when it is not among the target's first
   *     {@link #PATTERNS_PER_TARGET}
   */
  public record Design(int targetId, int designId, double[] parameters, float[] pattern) {}

  public TuringDesignOutputs {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    invalidByReason = Collections.unmodifiableMap(new TreeMap<>(invalidByReason));
    shown = List.copyOf(shown);
    shownDesigns = List.copyOf(shownDesigns);
  }

  /** Invalid designs of every reason. */
  public long invalid() {
    return designs - valid;
  }

  /** The shown target's valid designs, in {@code design_id} order. */
  public List<Design> designsOf(int targetId) {
    return shownDesigns.stream().filter(d -> d.targetId() == targetId).toList();
  }

  /**
   * Reads the sweep's outputs from {@code designDir}.
   *
   * @param metrics the sweep's metrics when the caller has them (the pipeline), else null: then
   *     they are read from {@code metrics.json}
   * @throws FileNotFoundException when a file is missing, naming the folder and the files and
   *     asking for the design job to be run first
   */
  public static TuringDesignOutputs read(SparkSession spark, Path designDir, Map<String, Object> metrics)
      throws IOException {
    FileSystem fs = designDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> missing = new ArrayList<>();
    for (String f : metrics == null ? List.of(TARGETS, DESIGNS, METRICS) : List.of(TARGETS, DESIGNS)) {
      if (!fs.exists(new Path(designDir, f))) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new FileNotFoundException("no Gray-Scott design outputs in " + fs.makeQualified(designDir) + " (missing "
          + String.join(", ", missing) + "): run 'macronet design' first");
    }
    Map<String, Object> m = metrics != null ? metrics : readMetrics(fs, new Path(designDir, METRICS));

    Dataset<Row> targetRows = spark.read().parquet(new Path(designDir, TARGETS).toString());
    long targetCount = targetRows.count();
    List<Target> shown = new ArrayList<>();
    for (Row r : targetRows.select(typed("target_id", "int"), typed("target_sample_id", "long"),
        typed("Da", "double"), typed("Db", "double"), typed("F", "double"), typed("k", "double"),
        col("pattern"), typed("median_percentile", "double"), typed("valid_designs", "int"))
        .orderBy("target_id").limit(SHOWN_TARGETS).collectAsList()) {
      shown.add(new Target(r.getInt(0), r.isNullAt(1) ? null : r.getLong(1), doubles(r, 2, PARAMETERS.size()),
          floats(r, 6), r.isNullAt(7) ? Double.NaN : r.getDouble(7), r.isNullAt(8) ? 0 : r.getInt(8)));
    }

    Dataset<Row> designRows = spark.read().parquet(new Path(designDir, DESIGNS).toString());
    long designCount = 0;
    long validCount = 0;
    Map<String, Long> invalid = new TreeMap<>();
    for (Row r : designRows.groupBy(col("valid"), col("invalid_reason")).count().collectAsList()) {
      long n = r.getLong(2);
      designCount += n;
      if (!r.isNullAt(0) && r.getBoolean(0)) {
        validCount += n;
      } else {
        invalid.merge(r.isNullAt(1) ? "unspecified" : r.getString(1), n, Long::sum);
      }
    }

    List<Design> designs = new ArrayList<>();
    if (!shown.isEmpty()) {
      Object[] ids = shown.stream().map(t -> (Object) t.id()).toArray();
      Column rank = row_number().over(Window.partitionBy("target_id").orderBy("design_id"));
      List<Row> rows = designRows.filter(col("target_id").isin(ids).and(col("valid")))
          .withColumn("rank", rank).filter(col("rank").leq(POINTS_PER_TARGET))
          .select(typed("target_id", "int"), typed("design_id", "int"), typed("Da", "double"),
              typed("Db", "double"), typed("F", "double"), typed("k", "double"),
              when(col("rank").leq(PATTERNS_PER_TARGET), col("pattern")).as("pattern"))
          .orderBy("target_id", "design_id").collectAsList();
      for (Row r : rows) {
        designs.add(new Design(r.getInt(0), r.getInt(1), doubles(r, 2, PARAMETERS.size()), floats(r, 6)));
      }
    }
    return new TuringDesignOutputs(m, targetCount, designCount, validCount, invalid, shown, designs);
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

  /**
   * A metric as a double, defensively: a number as it is; a string as Java parses it
   * ({@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} as JSON writers spell them); anything
   * else (absent, null, a malformed string) as NaN.
   */
  static double number(Object value) {
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

  /** The column cast to the type the reader expects (an int written as a long reads the same), keeping its name. */
  private static Column typed(String name, String type) {
    return col(name).cast(type).as(name);
  }

  private static double[] doubles(Row r, int from, int count) {
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = r.isNullAt(from + i) ? Double.NaN : ((Number) r.get(from + i)).doubleValue();
    }
    return out;
  }

  private static float[] floats(Row r, int index) {
    if (r.isNullAt(index)) {
      return null;
    }
    List<Object> list = r.getList(index);
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      Object x = list.get(i);
      out[i] = x == null ? Float.NaN : ((Number) x).floatValue();
    }
    return out;
  }

  @Override
  public String toString() {
    return "TuringDesignOutputs[targets=" + targets + ", designs=" + designs + ", valid=" + valid + ", invalid="
        + invalidByReason + ", shown=" + Arrays.toString(shown.stream().mapToInt(Target::id).toArray()) + "]";
  }
}
