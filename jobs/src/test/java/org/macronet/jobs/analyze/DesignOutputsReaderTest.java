package org.macronet.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Values;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.design.DesignJob;

/**
 * Reading a design sweep back for the analysis, on a hand-made Gray-Scott sweep: targets.parquet,
 * designs.parquet and metrics.json written by a real local Spark in a temporary run folder, with
 * 2 x 8 x 8 patterns, read for the Gray-Scott study (8 targets shown, patterns of
 * their first 8 designs).
 */
class DesignOutputsReaderTest {
  private static final int SIZE = 8;
  private static SparkSession spark;

  @TempDir
  static Path dir;
  private static org.apache.hadoop.fs.Path design;
  /** The sweep as read with its own metrics.json. */
  private static DesignOutputs sweep;
  private static DesignStudy study;

  @BeforeAll
  static void writeSweep() throws IOException {
    spark = TestSpark.local("DesignOutputsReaderTest");
    design = new org.apache.hadoop.fs.Path(dir.resolve("run").resolve("design").toString());
    writeSweep(spark, design);
    study = DesignConfig.from(ConfigLoader.load(null, List.of("output.dir=" + dir, "system=grayscott"))).study();
    sweep = DesignOutputsReader.read(spark, design, study, null);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /**
   * Ten targets (0 .. 9), all with a pattern. Target 0 (dataset row 11) has 10 valid designs;
   * target 1 (no dataset row, no parameters) 2 valid ones, one invalid "unstable" and one
   * "no pattern"; target 2 four "unstable" ones; target 9 one valid design; the others none.
   */
  static void writeSweep(SparkSession spark, org.apache.hadoop.fs.Path designDir) throws IOException {
    List<Row> targets = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      boolean fromDataset = t != 1;
      Double median = t == 0 ? Double.valueOf(3) : t == 1 ? Double.valueOf(20) : t == 9 ? Double.valueOf(50) : null;
      int valid = t == 0 ? 10 : t == 1 ? 2 : t == 9 ? 1 : 0;
      targets.add(RowFactory.create(t, fromDataset ? 10L + t : null, fromDataset ? 0.16 : null,
          fromDataset ? 0.08 : null, fromDataset ? 0.03 + 0.001 * t : null, fromDataset ? 0.06 : null, 0.1 * t, -0.1 * t,
          list(pattern(100 + t)), median, valid));
    }
    StructType targetSchema = new StructType(new StructField[] {
        field("target_id", DataTypes.IntegerType, false), field("target_sample_id", DataTypes.LongType, true),
        field("Da", DataTypes.DoubleType, true), field("Db", DataTypes.DoubleType, true),
        field("F", DataTypes.DoubleType, true), field("k", DataTypes.DoubleType, true),
        field("alpha_0", DataTypes.DoubleType, false), field("alpha_1", DataTypes.DoubleType, false),
        field("pattern", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        field("median_percentile", DataTypes.DoubleType, true), field("valid_designs", DataTypes.IntegerType, false)});
    spark.createDataFrame(targets, targetSchema).repartition(3).write()
        .parquet(new org.apache.hadoop.fs.Path(designDir, DesignJob.TARGETS).toString());

    List<Row> designs = new ArrayList<>();
    // shuffled design ids: the reader must order them
    for (int i : new int[] {7, 2, 9, 0, 4, 1, 8, 3, 6, 5}) {
      designs.add(valid(0, i, 0.12 + 0.001 * i, 0.05 + 0.001 * i, 0.02 + 0.001 * i, 0.05 + 0.001 * i,
          pattern(i), i));
    }
    designs.add(valid(1, 0, 0.15, 0.07, 0.04, 0.062, pattern(20), 10));
    designs.add(valid(1, 3, 0.15, 0.07, 0.041, 0.061, pattern(21), 30));
    designs.add(invalid(1, 1, "unstable"));
    designs.add(invalid(1, 2, "no pattern"));
    for (int i = 0; i < 4; i++) {
      designs.add(invalid(2, i, "unstable"));
    }
    designs.add(valid(9, 0, 0.13, 0.06, 0.05, 0.05, pattern(30), 50));
    StructType designSchema = new StructType(new StructField[] {
        field("target_id", DataTypes.IntegerType, false), field("design_id", DataTypes.IntegerType, false),
        field("target_sample_id", DataTypes.LongType, true), field("alpha_0", DataTypes.DoubleType, false),
        field("alpha_1", DataTypes.DoubleType, false), field("Da", DataTypes.DoubleType, false),
        field("Db", DataTypes.DoubleType, false), field("F", DataTypes.DoubleType, false),
        field("k", DataTypes.DoubleType, false), field("seed", DataTypes.LongType, false),
        field("valid", DataTypes.BooleanType, false), field("invalid_reason", DataTypes.StringType, true),
        field("pattern", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        field("distance", DataTypes.DoubleType, true), field("percentile", DataTypes.DoubleType, true)});
    spark.createDataFrame(designs, designSchema).repartition(4).write()
        .parquet(new org.apache.hadoop.fs.Path(designDir, DesignJob.DESIGNS).toString());

    // NaN as a bare token (Python's json), the infinity as a string (Jackson's default)
    Files.writeString(Path.of(designDir.toString(), DesignJob.METRICS), """
        {"system": "grayscott", "targets": 10, "designs_per_target": 4, "designs": 19, "valid": 13,
         "invalid": {"count": 6, "by_reason": {"unstable": 5, "no pattern": 1}},
         "random_reference": 200, "median_percentile": 4.0, "fraction_within_10th_percentile": 0.55,
         "targets_patterned": 4, "median_percentile_patterned": 8.5, "targets_uniform": 6,
         "median_percentile_uniform": 3.0,
         "importance": {"Da": 0.2, "Db": NaN, "F": 3.0, "k": "Infinity"},
         "median_percentile_per_target": [3.0, 20.0, null, null, null, null, null, null, null, 50.0]}
        """);
  }

  private static Row valid(int target, int id, double da, double db, double f, double k, float[] pattern,
      double percentile) {
    return RowFactory.create(target, id, target == 1 ? null : 10L + target, 0.1, 0.2, da, db, f, k, 1000L + id, true,
        null, list(pattern), 0.5, percentile);
  }

  private static Row invalid(int target, int id, String reason) {
    return RowFactory.create(target, id, target == 1 ? null : 10L + target, 0.1, 0.2, Double.NaN, Double.NaN,
        Double.NaN, Double.NaN, 2000L + id, false, reason, null, null, null);
  }

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  /**
   * A distinct 2 x 8 x 8 pattern for each key: a = 1 - b, b a ramp over the cells whose slope and
   * offset depend on the key, within [0, 0.3].
   */
  static float[] pattern(int key) {
    float[] p = new float[2 * SIZE * SIZE];
    for (int i = 0; i < SIZE * SIZE; i++) {
      float b = (float) (0.3 * ((i * (key % 7 + 1) + key) % (SIZE * SIZE)) / (SIZE * SIZE));
      p[i] = 1 - b;
      p[SIZE * SIZE + i] = b;
    }
    return p;
  }

  private static List<Float> list(float[] values) {
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  @Test
  void readsTheCountsAndOnlyTheRowsTheFiguresDraw() {
    DesignOutputs d = sweep;
    assertEquals(4.0, Values.number(d.metrics().get("median_percentile")), 0);
    assertTrue(Double.isNaN(Values.number(((Map<?, ?>) d.metrics().get("importance")).get("Db"))));
    assertEquals(Double.POSITIVE_INFINITY, Values.number(((Map<?, ?>) d.metrics().get("importance")).get("k")), 0);
    assertEquals(10, d.targets());
    assertEquals(19, d.designs());

    // the 8 targets of lowest id, in order, every column; target 9 and its design are not read
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, d.shownTargets().stream()
        .mapToInt(t -> (Integer) t.get("target_id")).toArray());
    Map<String, Object> t0 = d.shownTargets().get(0);
    assertEquals(10L, t0.get("target_sample_id"));
    assertArrayEquals(new double[] {0.16, 0.08, 0.03, 0.06}, Values.numbers(t0, List.of("Da", "Db", "F", "k")), 0);
    assertArrayEquals(pattern(100), Values.floats(t0, "pattern"), 0);
    assertEquals(3.0, t0.get("median_percentile"));
    assertEquals(10, t0.get("valid_designs"));
    Map<String, Object> t1 = d.shownTargets().get(1);
    assertNull(t1.get("target_sample_id"));
    assertNull(t1.get("F"));
    assertNull(d.shownTargets().get(2).get("median_percentile"));

    // every design of a shown target, by design_id; patterns for the first 8 of each target
    List<Map<String, Object>> of0 = d.designsOf(0);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, of0.stream()
        .mapToInt(x -> (Integer) x.get("design_id")).toArray());
    for (Map<String, Object> x : of0) {
      int id = (Integer) x.get("design_id");
      if (id < study.shownDesignArrays()) {
        assertArrayEquals(pattern(id), Values.floats(x, "pattern"), 0, "design " + id);
      } else {
        assertNull(x.get("pattern"), "design " + id);
      }
    }
    assertEquals(0.02 + 0.001 * 7, Values.number(of0.get(7), "F"), 0);
    assertArrayEquals(new int[] {0, 1, 2, 3}, d.designsOf(1).stream().mapToInt(x -> (Integer) x.get("design_id"))
        .toArray());
    assertEquals("unstable", d.designsOf(1).get(1).get("invalid_reason"));
    assertEquals(4, d.designsOf(2).size());
    assertEquals(List.of(), d.designsOf(9));
    assertEquals(18, d.shownDesigns().size());
  }

  @Test
  void metricsGivenByThePipelineAreUsedAsTheyAre() throws IOException {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("median_percentile", 7.5);
    DesignOutputs d = DesignOutputsReader.read(spark, design, study, given);
    assertEquals(given, d.metrics());
    assertEquals(19, d.designs());
  }

  @Test
  void aMissingDesignFolderAsksForTheDesignJob() throws IOException {
    org.apache.hadoop.fs.Path none = new org.apache.hadoop.fs.Path(dir.resolve("empty-run").resolve("design")
        .toString());
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> DesignOutputsReader.read(spark, none, study, null));
    assertTrue(e.getMessage().contains("run 'macronet design' first"), e.getMessage());
    assertTrue(e.getMessage().contains(none.toUri().getPath()), e.getMessage());
    assertTrue(e.getMessage().contains("targets.parquet, designs.parquet, metrics.json"), e.getMessage());
    // the pipeline's metrics stand in for metrics.json, not for the Parquet files
    e = assertThrows(FileNotFoundException.class, () -> DesignOutputsReader.read(spark, none, study, Map.of()));
    assertTrue(e.getMessage().contains("(missing targets.parquet, designs.parquet)"), e.getMessage());
  }
}
