package org.macronet.jobs.design;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Map;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.analyze.AnalyzeJob;
import org.macronet.jobs.pipeline.PipelineJob;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainJob;
import org.macronet.systems.grayscott.GrayScottStudy;

/**
 * The design job on a real local Spark, with the Gray-Scott study (the one with a reference and a
 * kernel on the executors): a tiny dataset (16 x 16 grids), a tiny image flow trained for a few
 * steps, then sweeps whose files, counts and invariances are checked.
 */
class DesignSweepTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;

  private static final List<String> BASE = List.of("system=grayscott", "progress.interval=0",
      "generate.samples=120", "generate.partitions=3", "simulation.grayscott.size=16",
      "simulation.grayscott.steps=300", "simulation.grayscott.discs=2", "simulation.grayscott.disc-radius=2.0",
      "simulation.grayscott.kernel=java", "simulation.grayscott.batch=8", "train.mode=jvm", "train.holdout=0.25",
      "train.steps=20", "train.batch=16", "train.warmup=2", "train.couplings=2", "train.hidden=[16]",
      "train.checkpoint-every=0", "train.image.scales=2", "train.image.steps=1", "train.image.hidden=[4, 4]",
      "train.image.head-couplings=1", "train.image.head-hidden=[16]", "design.targets=4", "design.samples=6",
      "design.random-samples=20", "design.partitions=3");

  private static ConfigLoader loader(String out, String... sets) {
    List<String> all = new ArrayList<>(BASE);
    all.add("output.dir=" + out);
    all.addAll(List.of(sets));
    return ConfigLoader.load(null, all);
  }

  private static String run(String name) throws IOException {
    Path target = dir.resolve(name);
    copy(dir.resolve("base"), target);
    return target.toString();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  @BeforeAll
  static void trainTinyModel() throws IOException {
    spark = TestSpark.local("DesignSweepTest");
    ConfigLoader c = loader(dir.resolve("base").toString());
    GenerateJob.run(spark, GenerateConfig.from(c), TestSpark.QUIET);
    TrainJob.run(spark, TrainConfig.from(c), TestSpark.QUIET);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static List<Row> designs(String out) {
    return spark.read().parquet(out + "/design/designs.parquet").orderBy("target_id", "design_id").collectAsList();
  }

  private static JsonNode metrics(String out) throws IOException {
    return ModelArtifact.json().readTree(new File(out, "design/metrics.json"));
  }

  @Test
  void sweepWritesEveryDesignScoredAgainstTheRandomReference() throws IOException {
    String out = run("sweep");
    DesignJob.run(spark, DesignConfig.from(loader(out)), TestSpark.QUIET);
    List<Row> rows = designs(out);
    assertEquals(4 * 6, rows.size());
    int valid = 0;
    for (Row r : rows) {
      if (r.getBoolean(r.fieldIndex("valid"))) {
        valid++;
        assertEquals(2 * 16 * 16, r.getList(r.fieldIndex("pattern")).size());
        double pct = r.getDouble(r.fieldIndex("percentile"));
        assertTrue(pct >= 0 && pct <= 100, "percentile " + pct);
        assertTrue(r.getDouble(r.fieldIndex("distance")) >= 0);
      }
      assertNotNull(r.get(r.fieldIndex("target_sample_id")), "held-out targets keep their dataset row");
    }
    JsonNode m = metrics(out);
    assertEquals(24, m.path("designs").asInt());
    assertEquals(valid, m.path("valid").asInt());
    assertEquals(20, m.path("random_reference").asInt());
    assertEquals(4, m.path("median_percentile_per_target").size());
    assertTrue(m.path("importance").has("Da") && m.path("importance").has("k"));
    List<Row> targets = spark.read().parquet(out + "/design/targets.parquet").orderBy("target_id").collectAsList();
    assertEquals(4, targets.size());
    // the targets are the first held-out rows in sample_id order, and carry their own parameters
    org.macronet.jobs.train.TrainedRun trained = org.macronet.jobs.train.TrainedRun.of(spark,
        new org.apache.hadoop.fs.Path(out), ModelArtifact.read(org.apache.hadoop.fs.FileSystem.getLocal(
            new org.apache.hadoop.conf.Configuration()), new org.apache.hadoop.fs.Path(out, TrainJob.MODEL)));
    List<Long> firstHeldOut = spark.read().parquet(out + "/dataset").select("sample_id").collectAsList().stream()
        .map(r -> r.getLong(0))
        .filter(id -> org.macronet.jobs.train.PairDatasets.heldOut(trained.trainSeed(), id, trained.holdout()))
        .sorted().limit(4).toList();
    List<Long> targetIds = targets.stream().map(r -> r.getLong(r.fieldIndex("target_sample_id"))).toList();
    assertEquals(firstHeldOut, targetIds);
    assertNotNull(targets.get(0).get(targets.get(0).fieldIndex("F")));
    // each design row carries its target's macrostate
    assertEquals(targets.get(2).getDouble(targets.get(2).fieldIndex("alpha_1")),
        rows.get(2 * 6 + 3).getDouble(rows.get(2 * 6 + 3).fieldIndex("alpha_1")));
  }

  @Test
  void theSameSweepOnOnePartitionGivesTheSameDesigns() throws IOException {
    String a = run("partitions-3");
    String b = run("partitions-1");
    DesignJob.run(spark, DesignConfig.from(loader(a)), TestSpark.QUIET);
    DesignJob.run(spark, DesignConfig.from(loader(b, "design.partitions=1")), TestSpark.QUIET);
    List<Row> x = designs(a);
    List<Row> y = designs(b);
    assertEquals(x.size(), y.size());
    for (int i = 0; i < x.size(); i++) {
      assertEquals(x.get(i), y.get(i), "design row " + i);
    }
  }

  @Test
  void invalidDesignsAreCountedAndKeptWithTheirReason() throws IOException {
    // A temperature of 10 spreads the designs far outside the prior: negative rates, unstable Da
    String out = run("hot");
    DesignJob.run(spark, DesignConfig.from(loader(out, "design.temperature=10")), TestSpark.QUIET);
    List<Row> rows = designs(out);
    assertEquals(24, rows.size(), "invalid designs are kept, not dropped");
    int invalid = 0;
    for (Row r : rows) {
      if (!r.getBoolean(r.fieldIndex("valid"))) {
        invalid++;
        assertNotNull(r.getString(r.fieldIndex("invalid_reason")));
        assertNull(r.get(r.fieldIndex("pattern")));
        assertNull(r.get(r.fieldIndex("percentile")));
        double da = r.getDouble(r.fieldIndex("Da"));
        double db = r.getDouble(r.fieldIndex("Db"));
        String reason = r.getString(r.fieldIndex("invalid_reason"));
        String expected = GrayScottStudy.invalidReason(new double[] {da, db, r.getDouble(r.fieldIndex("F")),
            r.getDouble(r.fieldIndex("k"))}, 1.0);
        // simulable parameters can still blow up (a huge feed rate): then the pattern is what was refused
        assertEquals(expected == null ? GrayScottStudy.DIVERGED : expected, reason,
            "the parameters are written as designed, not clamped");
      }
    }
    assertTrue(invalid > 0, "a temperature of 10 gives invalid designs");
    JsonNode m = metrics(out);
    assertEquals(invalid, m.path("invalid").path("count").asInt());
    int byReason = 0;
    for (JsonNode n : m.path("invalid").path("by_reason")) {
      byReason += n.asInt();
    }
    assertEquals(invalid, byReason);
  }

  @Test
  void targetsFromAParquetFileOfPatterns() throws IOException {
    String out = run("from-file");
    String file = dir.resolve("targets-file").toString();
    spark.read().parquet(dir.resolve("base/dataset").toString()).select("sample_id", "pattern").orderBy("sample_id")
        .limit(3).write().parquet(file);
    DesignJob.run(spark, DesignConfig.from(loader(out, "design.targets-path=" + file)), TestSpark.QUIET);
    List<Row> targets = spark.read().parquet(out + "/design/targets.parquet").orderBy("target_id").collectAsList();
    assertEquals(3, targets.size());
    assertNull(targets.get(0).get(targets.get(0).fieldIndex("F")), "a file of patterns has no parameters");
    assertEquals(3 * 6, designs(out).size());

    String bad = dir.resolve("no-pattern").toString();
    spark.read().parquet(dir.resolve("base/dataset").toString()).select("sample_id", "F").write().parquet(bad);
    String out2 = run("bad-file");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DesignJob.run(spark, DesignConfig.from(loader(out2, "design.targets-path=" + bad)), TestSpark.QUIET));
    assertTrue(e.getMessage().startsWith("design.targets-path: " + bad + " has no column pattern (the model's observation)"), e.getMessage());
    assertTrue(!Files.exists(Path.of(out2, "design")), "a failed sweep leaves no design folder");

    // the ids of a targets file number its rows: a repeated one is refused, naming it
    String twice = dir.resolve("twice").toString();
    Dataset<Row> one = spark.read().parquet(file).limit(1);
    one.union(one).write().parquet(twice);
    String out3 = run("twice-file");
    e = assertThrows(IllegalArgumentException.class,
        () -> DesignJob.run(spark, DesignConfig.from(loader(out3, "design.targets-path=" + twice)), TestSpark.QUIET));
    assertTrue(e.getMessage().contains("design.targets-path: " + twice + ": sample_id ")
        && e.getMessage().contains(" appears 2 times"), e.getMessage());
  }

  @Test
  void pipelineRunsTheSweepAndReportsItsBars() throws IOException {
    String out = dir.resolve("pipeline").toString();
    ConfigLoader c = loader(out);
    AnalyzeJob.Result r = PipelineJob.run(spark, GenerateConfig.from(c), TrainConfig.from(c), DesignConfig.from(c),
        TestSpark.QUIET);
    for (String f : List.of("design/designs.parquet", "design/targets.parquet", "design/metrics.json",
        "analysis/macrostates.parquet", "analysis/metrics.json", "report/report.md", "report/design_patterns.png",
        "report/design_parameters_Fk.png", "report/parameter_importance.png", "manifest.json")) {
      assertTrue(Files.exists(Path.of(out, f)), f + " missing");
    }
    JsonNode design = metrics(out);
    @SuppressWarnings("unchecked")
    Map<String, Object> fromAnalysis = (Map<String, Object>) r.metrics().get("design");
    assertEquals(design.path("median_percentile").asDouble(), ((Number) fromAnalysis.get("median_percentile"))
        .doubleValue(), "analyze reports the sweep's own median");
    String report = Files.readString(Path.of(out, "report/report.md"));
    assertTrue(report.contains("importance(F) / importance(Da)"), report);
  }
}
