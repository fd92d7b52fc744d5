package org.macronet.jobs.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.train.TrainJob;

/**
 * The {@code analyze} job on a real, tiny Gray-Scott run (8 x 8 grids, a few training steps) whose
 * design folder holds a hand-made sweep: the job reads it rather than designing, and writes the
 * macrostates, the metrics and the report with its figures.
 */
class AnalyzeJobTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;
  private static String run;

  @BeforeAll
  static void trainTinyRun() throws IOException {
    spark = TestSpark.local("AnalyzeJobTest");
    run = dir.resolve("run").toString();
    ConfigLoader c = loader(run);
    GenerateJob.run(spark, GenerateConfig.from(c), TestSpark.QUIET);
    TrainJob.run(spark, TrainConfig.from(c), TestSpark.QUIET);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static ConfigLoader loader(String out, String... more) {
    List<String> s = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0", "system=grayscott",
        "generate.samples=40", "generate.partitions=2", "simulation.grayscott.size=8",
        "simulation.grayscott.steps=30", "simulation.grayscott.discs=1", "simulation.grayscott.disc-radius=1.5",
        "simulation.grayscott.kernel=java", "simulation.grayscott.batch=8", "simulation.grayscott.threads=1",
        "train.macro-dim=2", "train.couplings=2", "train.hidden=[8]", "train.image.scales=1", "train.image.steps=1",
        "train.image.hidden=[4]", "train.image.head-couplings=1", "train.image.head-hidden=[8]", "train.steps=2",
        "train.batch=8", "train.threads=1", "train.warmup=0", "train.checkpoint-every=0", "train.holdout=0.3",
        "train.mode=jvm"));
    s.addAll(List.of(more));
    return ConfigLoader.load((File) null, s);
  }

  @Test
  void analyzeReadsTheSweepAndWritesTheReport() throws IOException {
    DesignConfig config = DesignConfig.from(loader(run));
    // no design folder yet: the job asks for the design job, and leaves nothing behind
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> AnalyzeJob.run(spark, config, TestSpark.QUIET));
    assertTrue(e.getMessage().contains("run 'macronet design' first") && e.getMessage().contains(run + "/design"),
        e.getMessage());
    assertFalse(Files.exists(Path.of(run, AnalyzeJob.ANALYSIS)));

    DesignOutputsReaderTest.writeSweep(spark, new org.apache.hadoop.fs.Path(run, DesignJob.DESIGN));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    AnalyzeJob.Result r = AnalyzeJob.run(spark, config, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertEquals("grayscott", r.metrics().get("system"));
    assertTrue(r.passed(), r.metrics().toString()); // the sweep's made-up numbers clear the bars
    @SuppressWarnings("unchecked")
    Map<String, Object> design = (Map<String, Object>) r.metrics().get("design");
    assertEquals(4.0, design.get("median_percentile"));
    assertEquals(8.5, design.get("median_percentile_patterned"));
    for (String key : List.of("spearman_macro_v_0_F", "spearman_macro_v_1_k", "spearman_macro_u_v_0", "design_counts")) {
      assertTrue(r.metrics().containsKey(key), key + " missing from " + r.metrics().keySet());
    }
    String out = log.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Invalid designs (counted and reported, never dropped; not a bar): 6 of 19"), out);

    for (String f : List.of("analysis/metrics.json", "report/report.md", "report/design_patterns.png",
        "report/design_parameters_Fk.png", "report/design_parameters_DaDb.png", "report/parameter_importance.png",
        "report/macrostate_v.png")) {
      assertTrue(Files.isRegularFile(Path.of(run, f)), f + " missing");
    }
    String md = Files.readString(Path.of(run, "report/report.md"));
    assertTrue(md.contains("**Bars met: 4 of 4.**"), md);
    assertTrue(md.contains("![design patterns](design_patterns.png)"), md);
    Dataset<Row> macro = spark.read().parquet(run + "/analysis/macrostates.parquet");
    assertTrue(Arrays.asList(macro.columns()).containsAll(List.of("sample_id", "Da", "Db", "F", "k", "pattern",
        "macro_u_0", "macro_u_1", "macro_v_0", "macro_v_1")), Arrays.toString(macro.columns()));
    assertEquals(((Number) r.metrics().get("held_out_rows")).longValue(), macro.count());
  }
}
