package org.macronet.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
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
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.jobs.TestSpark;

/**
 * The Gray-Scott analysis on a hand-made design sweep: targets.parquet, designs.parquet and
 * metrics.json written by a real local Spark in a temporary run folder, with 2 x 8 x 8 spot and
 * stripe patterns. No model: the held-out part gets hand-made macrostates.
 */
class TuringAnalysisTest {
  private static final int SIZE = 8;
  private static SparkSession spark;

  @TempDir
  static Path dir;
  private static org.apache.hadoop.fs.Path design;
  /** The sweep as read with its own metrics.json. */
  private static TuringDesignOutputs sweep;

  @BeforeAll
  static void writeSweep() throws IOException {
    spark = TestSpark.local("TuringAnalysisTest");
    design = new org.apache.hadoop.fs.Path(dir.resolve("run").resolve("design").toString());
    writeSweep(spark, design);
    sweep = TuringDesignOutputs.read(spark, design, null);
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
          list(t % 2 == 0 ? spots(2 + t % 3, 0) : stripes(4, t)), median, valid));
    }
    StructType targetSchema = new StructType(new StructField[] {
        field("target_id", DataTypes.IntegerType, false), field("target_sample_id", DataTypes.LongType, true),
        field("Da", DataTypes.DoubleType, true), field("Db", DataTypes.DoubleType, true),
        field("F", DataTypes.DoubleType, true), field("k", DataTypes.DoubleType, true),
        field("alpha_0", DataTypes.DoubleType, false), field("alpha_1", DataTypes.DoubleType, false),
        field("pattern", DataTypes.createArrayType(DataTypes.FloatType, false), true),
        field("median_percentile", DataTypes.DoubleType, true), field("valid_designs", DataTypes.IntegerType, false)});
    spark.createDataFrame(targets, targetSchema).repartition(3).write()
        .parquet(new org.apache.hadoop.fs.Path(designDir, TuringDesignOutputs.TARGETS).toString());

    List<Row> designs = new ArrayList<>();
    // shuffled design ids: the reader must order them
    for (int i : new int[] {7, 2, 9, 0, 4, 1, 8, 3, 6, 5}) {
      designs.add(valid(0, i, 0.12 + 0.001 * i, 0.05 + 0.001 * i, 0.02 + 0.001 * i, 0.05 + 0.001 * i,
          spots(3, i), i));
    }
    designs.add(valid(1, 0, 0.15, 0.07, 0.04, 0.062, stripes(4, 0), 10));
    designs.add(valid(1, 3, 0.15, 0.07, 0.041, 0.061, stripes(4, 1), 30));
    designs.add(invalid(1, 1, "unstable"));
    designs.add(invalid(1, 2, "no pattern"));
    for (int i = 0; i < 4; i++) {
      designs.add(invalid(2, i, "unstable"));
    }
    designs.add(valid(9, 0, 0.13, 0.06, 0.05, 0.05, spots(2, 0), 50));
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
        .parquet(new org.apache.hadoop.fs.Path(designDir, TuringDesignOutputs.DESIGNS).toString());

    // NaN as a bare token (Python's json), the infinity as a string (Jackson's default)
    Files.writeString(Path.of(designDir.toString(), TuringDesignOutputs.METRICS), """
        {"system": "grayscott", "targets": 10, "designs_per_target": 4, "designs": 19, "valid": 13,
         "invalid": {"count": 6, "by_reason": {"unstable": 5, "no pattern": 1}},
         "random_reference": 200, "median_percentile": 4.0, "fraction_within_10th_percentile": 0.55,
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

  /** Spots: b = 0.3 (a = 0.7) on discs of the given radius on a lattice of spacing 4, shifted by {@code shift}. */
  static float[] spots(double radius, int shift) {
    float[] p = new float[2 * SIZE * SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        double di = Math.floorMod(i + shift, 4) - 2;
        double dj = Math.floorMod(j + shift, 4) - 2;
        float b = di * di + dj * dj <= radius * radius / 4 ? 0.3f : 0f;
        p[i * SIZE + j] = 1 - b;
        p[SIZE * SIZE + i * SIZE + j] = b;
      }
    }
    return p;
  }

  /** Stripes along rows: b = 0.125 (1 + sin(2 pi (j + phase) / period)). */
  static float[] stripes(int period, int phase) {
    float[] p = new float[2 * SIZE * SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        float b = (float) (0.125 * (1 + Math.sin(2 * Math.PI * (j + phase) / period)));
        p[i * SIZE + j] = 1 - b;
        p[SIZE * SIZE + i * SIZE + j] = b;
      }
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

  private static BufferedImage image(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "not a PNG");
    return image;
  }

  @Test
  void readsTheCountsAndOnlyTheRowsTheFiguresDraw() {
    TuringDesignOutputs d = sweep;
    assertEquals(4.0, TuringDesignOutputs.number(d.metrics().get("median_percentile")), 0);
    assertTrue(Double.isNaN(TuringDesignOutputs.number(((Map<?, ?>) d.metrics().get("importance")).get("Db"))));
    assertEquals(Double.POSITIVE_INFINITY,
        TuringDesignOutputs.number(((Map<?, ?>) d.metrics().get("importance")).get("k")), 0);
    assertEquals(10, d.targets());
    assertEquals(19, d.designs());
    assertEquals(13, d.valid());
    assertEquals(6, d.invalid());
    assertEquals(Map.of("no pattern", 1L, "unstable", 5L), d.invalidByReason());

    // the 8 targets of lowest id, in order; target 9 and its design are not read
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, d.shown().stream().mapToInt(TuringDesignOutputs.Target::id)
        .toArray());
    TuringDesignOutputs.Target t0 = d.shown().get(0);
    assertEquals(10L, t0.sampleId());
    assertArrayEquals(new double[] {0.16, 0.08, 0.03, 0.06}, t0.parameters(), 0);
    assertArrayEquals(spots(2, 0), t0.pattern(), 0);
    assertEquals(3.0, t0.medianPercentile(), 0);
    assertEquals(10, t0.validDesigns());
    TuringDesignOutputs.Target t1 = d.shown().get(1);
    assertNull(t1.sampleId());
    assertTrue(java.util.Arrays.stream(t1.parameters()).allMatch(Double::isNaN));
    assertTrue(Double.isNaN(d.shown().get(2).medianPercentile()));

    // valid designs only, by design_id; patterns for the first 8 of each target
    List<TuringDesignOutputs.Design> of0 = d.designsOf(0);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, of0.stream()
        .mapToInt(TuringDesignOutputs.Design::designId).toArray());
    for (TuringDesignOutputs.Design x : of0) {
      if (x.designId() < TuringDesignOutputs.PATTERNS_PER_TARGET) {
        assertArrayEquals(spots(3, x.designId()), x.pattern(), 0, "design " + x.designId());
      } else {
        assertNull(x.pattern(), "design " + x.designId());
      }
    }
    assertEquals(0.02 + 0.001 * 7, of0.get(7).parameters()[2], 0);
    assertArrayEquals(new int[] {0, 3}, d.designsOf(1).stream().mapToInt(TuringDesignOutputs.Design::designId)
        .toArray());
    assertEquals(List.of(), d.designsOf(2));
    assertEquals(List.of(), d.designsOf(9));
    assertEquals(12, d.shownDesigns().size());
  }

  @Test
  void metricsGivenByThePipelineAreUsedAsTheyAre() throws IOException {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("median_percentile", 7.5);
    TuringDesignOutputs d = TuringDesignOutputs.read(spark, design, given);
    assertEquals(given, d.metrics());
    assertEquals(19, d.designs());
  }

  @Test
  void aMissingDesignFolderAsksForTheDesignJob() throws IOException {
    org.apache.hadoop.fs.Path none = new org.apache.hadoop.fs.Path(dir.resolve("empty-run").resolve("design")
        .toString());
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> TuringDesignOutputs.read(spark, none, null));
    assertTrue(e.getMessage().contains("run 'macronet design' first"), e.getMessage());
    assertTrue(e.getMessage().contains(none.toUri().getPath()), e.getMessage());
    assertTrue(e.getMessage().contains("targets.parquet, designs.parquet, metrics.json"), e.getMessage());
    // the pipeline's metrics stand in for metrics.json, not for the Parquet files
    e = assertThrows(FileNotFoundException.class, () -> TuringDesignOutputs.read(spark, none, Map.of()));
    assertTrue(e.getMessage().contains("(missing targets.parquet, designs.parquet)"), e.getMessage());
  }

  @Test
  void reportHasTheBarsTheCountsAndTheFigures() throws IOException {
    TuringDesignOutputs d = sweep;
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<Metric> bars = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, byte[]> figures = new LinkedHashMap<>();
    Report report = new Report("Gray-Scott");
    TuringAnalysis.design(d, metrics, bars, notes, figures, report);

    assertEquals(3, bars.size());
    assertEquals(4.0, bars.get(0).value(), 0);
    assertEquals(Metric.Comparison.AT_MOST, bars.get(0).comparison());
    assertEquals(10, bars.get(0).bar(), 0);
    assertEquals(15.0, bars.get(1).value(), 1e-12); // importance(F) / importance(Da) = 3 / 0.2
    assertEquals(Double.POSITIVE_INFINITY, bars.get(2).value(), 0); // k: no spread within targets
    assertTrue(bars.stream().allMatch(Metric::passed), bars.toString());

    @SuppressWarnings("unchecked")
    Map<String, Object> counts = (Map<String, Object>) metrics.get("design_counts");
    assertEquals(19L, counts.get("designs"));
    assertEquals(6L, counts.get("invalid"));
    assertTrue(notes.contains("Invalid designs (counted and reported, never dropped; not a bar): 6 of 19 "
        + "(no pattern: 1, unstable: 5)."), notes.toString());
    assertTrue(notes.contains("importance(Db) is NaN: left out of parameter_importance.png."), notes.toString());
    assertTrue(notes.contains("importance(k) is Infinity: left out of parameter_importance.png."), notes.toString());
    assertFalse(notes.stream().anyMatch(n -> n.startsWith("The design metrics report")), notes.toString());

    assertEquals(List.of(TuringAnalysis.PATTERNS_FIGURE, TuringAnalysis.FK_FIGURE, TuringAnalysis.DADB_FIGURE,
        TuringAnalysis.IMPORTANCE_FIGURE), List.copyOf(figures.keySet()));
    // 6 labelled rows of at most 1 + 8 tiles of 8 x 8 cells at 16 pixels (Figures.patternGrid's sizes)
    BufferedImage grid = image(figures.get(TuringAnalysis.PATTERNS_FIGURE));
    assertEquals(16 + 9 * 128 + 8 * 6 + 110, grid.getWidth());
    assertEquals(16 + 34 + 6 * (128 + 18) + 5 * 10 + 16, grid.getHeight());
    for (String f : List.of(TuringAnalysis.FK_FIGURE, TuringAnalysis.DADB_FIGURE, TuringAnalysis.IMPORTANCE_FIGURE)) {
      BufferedImage image = image(figures.get(f));
      assertEquals(800, image.getWidth(), f);
      assertEquals(600, image.getHeight(), f);
    }

    String md = report.render();
    assertTrue(md.contains("| median percentile | 4 |"), md);
    assertTrue(md.contains("| fraction within the 10th percentile | 0.55 |"), md);
    assertTrue(md.contains("| unstable | 5 |"), md);
    assertTrue(md.contains("| F | 3 |") && md.contains("| Db | NaN |") && md.contains("| k | Infinity |"), md);
    assertTrue(md.contains("| target 0 | sample 10; Da 0.16, Db 0.08, F 0.03, k 0.06; median pct 3.0; 10 valid designs |"),
        md);
    assertTrue(md.contains("| target 2 | sample 12; Da 0.16, Db 0.08, F 0.032, k 0.06; no valid design; 0 valid designs |"),
        md);
  }

  @Test
  void countsThatDisagreeWithTheMetricsAreReported() throws IOException {
    TuringDesignOutputs d = TuringDesignOutputs.read(spark, design, Map.of("designs", 20,
        "invalid", Map.of("count", 6), "median_percentile", "NaN"));
    List<Metric> bars = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    TuringAnalysis.design(d, new LinkedHashMap<>(), bars, notes, new LinkedHashMap<>(), new Report("t"));
    assertTrue(notes.contains("The design metrics report 20 designs, 6 invalid; designs.parquet holds 19, 6 invalid."),
        notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.contains("no finite median percentile")), notes.toString());
    // no importance at all: both ratios NaN, every bar fails
    assertTrue(bars.stream().noneMatch(Metric::passed), bars.toString());
  }

  @Test
  void barsFollowTheMedianAndTheImportanceRatios() {
    List<Metric> b = TuringAnalysis.bars(12, Map.of("Da", 2.0, "Db", 1.0, "F", 1.0, "k", 3.0));
    assertFalse(b.get(0).passed()); // 12 > 10
    assertEquals(0.5, b.get(1).value(), 0);
    assertFalse(b.get(1).passed()); // F below Da
    assertEquals(1.5, b.get(2).value(), 0);
    assertTrue(b.get(2).passed());
    assertTrue(TuringAnalysis.bars(10, Map.of()).get(0).passed()); // at the bar
    assertFalse(TuringAnalysis.bars(Double.NaN, Map.of()).get(0).passed());
    // Da pinned by the target (infinite) beats nothing; F infinite over a finite Da passes
    Map<String, Double> inf = Map.of("Da", Double.POSITIVE_INFINITY, "F", Double.POSITIVE_INFINITY, "k", 4.0);
    assertFalse(TuringAnalysis.bars(1, inf).get(1).passed());
    assertFalse(TuringAnalysis.bars(1, inf).get(2).passed());
    assertTrue(TuringAnalysis.bars(1, Map.of("Da", 0.0, "F", 0.1, "k", Double.POSITIVE_INFINITY)).get(1).passed());
    assertFalse(TuringAnalysis.bars(1, Map.of("Da", 0.0, "F", 0.0, "k", 0.0)).get(2).passed());
    // what the metrics may hold: numbers, their JSON spellings as strings, nothing
    Map<String, Double> parsed = TuringAnalysis.importance(Map.of("Da", 1, "Db", "-Infinity", "F", "x"));
    assertEquals(List.of("Da", "Db", "F", "k"), List.copyOf(parsed.keySet()));
    assertEquals(1.0, parsed.get("Da"), 0);
    assertEquals(Double.NEGATIVE_INFINITY, parsed.get("Db"), 0);
    assertTrue(Double.isNaN(parsed.get("F")) && Double.isNaN(parsed.get("k")));
    assertTrue(TuringAnalysis.importance(null).values().stream().allMatch(v -> v.isNaN()));
  }

  @Test
  void heldOutCorrelationsAndTheMacrostateFigure() throws IOException {
    int n = 40;
    SplittableRandom random = new SplittableRandom(3);
    List<String> columns = List.of("Da", "Db", "F", "k");
    float[] u = new float[4 * n];
    float[] mu = new float[2 * n];
    float[] mv = new float[2 * n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      u[4 * i] = 0.16f; // Da fixed: its correlations are undefined
      u[4 * i + 1] = (float) random.nextDouble(0.05, 0.1);
      u[4 * i + 2] = (float) random.nextDouble(0.01, 0.06);
      u[4 * i + 3] = (float) random.nextDouble(0.045, 0.07);
      mv[2 * i] = (float) Math.exp(20 * u[4 * i + 2]); // increasing in F
      mv[2 * i + 1] = -u[4 * i + 3]; // decreasing in k
      mu[2 * i] = 3 * u[4 * i + 2];
      mu[2 * i + 1] = (float) random.nextGaussian();
      ids[i] = i;
    }
    HeldOutMacrostates held = new HeldOutMacrostates(ids, u, 4, mu, mv, 2);
    Map<String, Object> metrics = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    Map<String, byte[]> figures = new LinkedHashMap<>();
    Report report = new Report("t");
    TuringAnalysis.heldOut(columns, held, metrics, notes, figures, report);
    assertEquals(1.0, (double) metrics.get("spearman_macro_v_0_F"), 1e-12);
    assertEquals(-1.0, (double) metrics.get("spearman_macro_v_1_k"), 1e-12);
    assertTrue(Double.isNaN((double) metrics.get("spearman_macro_v_0_Da")));
    assertEquals(1.0, (double) metrics.get("spearman_macro_u_v_0"), 1e-12);
    assertTrue(Math.abs((double) metrics.get("spearman_macro_u_v_1")) < 0.5, metrics.toString());
    assertEquals(2 * 4 + 2, metrics.size());
    assertTrue(report.render().contains("| macro_v_1 ~ k | -1 |"), report.render());
    assertEquals(List.of(), notes);
    BufferedImage image = image(figures.get(TuringAnalysis.MACROSTATE_FIGURE));
    assertEquals(800, image.getWidth());

    // d = 1: macro_v_0 against F
    figures.clear();
    TuringAnalysis.heldOut(columns, new HeldOutMacrostates(ids, u, 4, new float[n], java.util.Arrays.copyOf(mv, n), 1),
        metrics, notes, figures, new Report("t"));
    assertTrue(figures.containsKey(TuringAnalysis.MACROSTATE_FIGURE));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TuringAnalysis.heldOut(
        List.of("Da", "Db", "feed", "k"), held, metrics, notes, figures, new Report("t")));
    assertTrue(e.getMessage().contains("lack F"), e.getMessage());
  }

  @Test
  void fBinsSplitTheRowsByTheRankOfF() {
    double[] f = {0.5, 0.1, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4, Double.NaN};
    double[] x = {5, 1, 7, 3, 2, 8, 6, 4, 9};
    List<Series> bins = TuringAnalysis.fBins(x, x, f);
    assertEquals(List.of("F in [0.1, 0.2]", "F in [0.3, 0.4]", "F in [0.5, 0.6]", "F in [0.7, 0.8]"),
        bins.stream().map(Series::name).toList());
    assertArrayEquals(new double[] {7, 8}, bins.get(3).x(), 0);
    assertEquals(1, TuringAnalysis.fBins(new double[] {1}, new double[] {1}, new double[] {0.1}).size());
  }
}
