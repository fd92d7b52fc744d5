package org.macronet.jobs.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.TestFiles.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.analyze.AnalyzeJob;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainJob;

/** train, design, analyze and pipeline on a real local Spark with real Parquet and model files. */
class PipelineTest {
  private static SparkSession spark;
  private static final PrintStream QUIET = TestSpark.QUIET;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("PipelineTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static ConfigLoader loader(String conf, String out, String... sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(List.of(sets));
    return ConfigLoader.load(conf == null ? null : new File("../conf/" + conf), all);
  }

  private static AnalyzeJob.Result pipeline(ConfigLoader c) throws IOException {
    return PipelineJob.run(spark, GenerateConfig.from(c), TrainConfig.from(c), DesignConfig.from(c), QUIET);
  }

  @Test
  void oscillatorDefaultConfigurationMeetsTheBars() throws IOException {
    String out = dir.resolve("sho").toString();
    AnalyzeJob.Result r = pipeline(loader("sho.conf", out));
    assertOscillatorBars(r);
    for (String f : List.of("model/model.safetensors", "model/model.json", "analysis/metrics.json",
        "design/metrics.json", "report/report.md", "report/fig5b_macrostate_vs_energy.png",
        "report/fig5c_designs_at_fixed_macrostates.png", "manifest.json")) {
      assertTrue(Files.isRegularFile(Path.of(out, f)), f + " missing");
    }
    // the default trains 3 restarts and keeps one; the report says which and why
    String report = Files.readString(Path.of(out, "report/report.md"));
    assertTrue(report.contains("## Restarts") && report.contains("| kept |"), report);
    Dataset<Row> macro = spark.read().parquet(out + "/analysis/macrostates.parquet");
    assertTrue(Arrays.asList(macro.columns()).containsAll(List.of("sample_id", "x0", "p0", "xt", "pt", "tau",
        "macro_u_0", "macro_v_0")), Arrays.toString(macro.columns()));
    Dataset<Row> designs = spark.read().parquet(out + "/design/designs.parquet");
    assertEquals(3 * 500, designs.count());
    assertTrue(Arrays.asList(designs.columns()).containsAll(List.of("target_id", "design_id", "target_sample_id",
        "alpha_0", "x0", "p0")));
  }

  @Test
  void oscillatorTrainedOnSparkPartitionsMeetsTheBarsOfTheSingleJvm() throws IOException {
    // The default configuration with its gradient sums from four partitions of a local[2] Spark.
    String out = dir.resolve("sho-spark").toString();
    ConfigLoader c = loader("sho.conf", out, "train.mode=spark", "train.partitions=4", "train.restarts=1");
    AnalyzeJob.Result r = pipeline(c);
    assertOscillatorBars(r);
    ModelArtifact m = ModelArtifact.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out, "model"));
    JsonNode training = m.description().path("training");
    assertEquals("spark", training.path("train.mode").asText(), training.toString());
    assertEquals(4, training.path("train.partitions").asInt(), training.toString());
    assertEquals(TrainConfig.from(c).steps(), m.description().path("result").path("steps").asLong());
  }

  /** The oscillator's bars (docs/systems.md, "Science bars") on the held-out rows, read from the analysis metrics. */
  private static void assertOscillatorBars(AnalyzeJob.Result r) {
    double rho = Math.abs(((Number) r.metrics().get("spearman_macro_u_energy")).doubleValue());
    double rhoV = Math.abs(((Number) r.metrics().get("spearman_macro_v_energy")).doubleValue());
    @SuppressWarnings("unchecked")
    double cv = ((Number) ((java.util.Map<String, Object>) r.metrics().get("design")).get("max_std_r_over_mean_r"))
        .doubleValue();
    assertTrue(rho >= 0.99, "|Spearman(m_u, energy)| = " + rho);
    assertTrue(rhoV >= 0.99, "|Spearman(m_v, energy)| = " + rhoV);
    assertTrue(cv <= 0.1, "std(r)/mean(r) = " + cv);
    assertTrue(r.passed(), r.metrics().toString());
  }

  @Test
  void linearPipelineWritesEveryArtifact() throws IOException {
    String out = dir.resolve("lds").toString();
    AnalyzeJob.Result r = pipeline(loader("lds.conf", out, "generate.samples=3000", "train.steps=150",
        "train.checkpoint-every=0", "design.samples=50", "design.targets=2"));
    assertTrue(r.metrics().containsKey("design"));
    for (String f : List.of("report/fig4c_anticlockwise_designed_matrices.png",
        "report/fig4d_clockwise_designed_trajectories.png", "report/report.md", "manifest.json")) {
      assertTrue(Files.isRegularFile(Path.of(out, f)), f + " missing");
    }
    Dataset<Row> designs = spark.read().parquet(out + "/design/designs.parquet");
    assertEquals(2 * 2 * 2 * 50, designs.count()); // 2 senses x 2 targets x (matrices + trajectories) x 50
    assertTrue(Arrays.asList(designs.columns()).containsAll(List.of("alpha_0", "alpha_1", "m11", "m22", "traj", "sense",
        "kind")));
    // the bar is stated per example, so it is judged per example: each sense's value is its worst
    // example's, the run passes only when every example does, and the report lists every example
    @SuppressWarnings("unchecked")
    Map<String, Object> dm = (Map<String, Object>) r.metrics().get("design");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> targets = (List<Map<String, Object>>) dm.get("targets");
    assertEquals(4, targets.size());
    for (String sense : List.of("anticlockwise", "clockwise")) {
      for (String kind : List.of("matrices", "trajectories")) {
        double worst = targets.stream().filter(t -> sense.equals(t.get("sense")))
            .mapToDouble(t -> ((Number) t.get(kind + "_same_sense")).doubleValue()).min().orElseThrow();
        assertEquals(worst, ((Number) dm.get(sense + "_worst_example_" + kind + "_same_sense")).doubleValue(), sense);
      }
    }
    boolean everyExample = targets.stream().allMatch(t -> ((Number) t.get("matrices_same_sense")).doubleValue() >= 0.95
        && ((Number) t.get("trajectories_same_sense")).doubleValue() >= 0.95);
    assertEquals(everyExample, r.passed());
    assertEquals(everyExample, r.metrics().get("bars_passed"));
    String report = Files.readString(Path.of(out, "report", "report.md"));
    assertTrue(report.contains("## Designs per example"), report);
    for (Map<String, Object> t : targets) {
      assertTrue(report.contains("| " + t.get("target_id") + " | " + t.get("target_sample_id") + " | " + t.get("sense")
          + " |"), "example " + t.get("target_id") + " missing from the report:\n" + report);
    }
    // the model on disk reads back to the same network and weights
    FileSystem fs = FileSystem.getLocal(new Configuration());
    ModelArtifact m = ModelArtifact.read(fs, new org.apache.hadoop.fs.Path(out, "model"));
    assertEquals(4, m.net().uDim());
    assertEquals(16, m.net().vDim());
    JsonNode manifest = ModelArtifact.json().readTree(new File(out, "manifest.json"));
    assertEquals(manifest.path("checksums").path("dataset").asText(),
        m.description().path("provenance").path("dataset_checksum").asText());
    assertFalse(m.description().path("loss").path("normalisation").asText().isEmpty());
  }

  @Test
  void resumedTrainingEndsWithTheWeightsOfAnUninterruptedRun() throws Exception {
    String a = dir.resolve("resume-a").toString();
    String b = dir.resolve("resume-b").toString();
    String[] sets = {"generate.samples=1500", "train.steps=120", "train.checkpoint-every=40", "train.log-every=1000",
        "train.restarts=1"};
    for (String out : List.of(a, b)) {
      GenerateJob.run(spark, GenerateConfig.from(loader("sho.conf", out, sets)), QUIET);
    }
    TrainJob.Result full = TrainJob.run(spark, TrainConfig.from(loader("sho.conf", a, sets)), QUIET);
    TrainJob.run(spark, TrainConfig.from(loader("sho.conf", b, sets)), QUIET);
    // Interrupt b after step 40: only its step-40 checkpoint survives, the model was never written;
    // its training log was written at step 80, just before the checkpoint there (which is lost).
    Path checkpoints = Path.of(b, "checkpoints");
    try (var s = Files.list(checkpoints)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!name.equals("step-0000000040") && !name.equals(TrainJob.TRAINING_LOG)) {
          deleteTree(p);
        }
      }
    }
    assertTrue(Files.readString(checkpoints.resolve(TrainJob.TRAINING_LOG)).contains("\n80,"),
        "the log runs past the surviving checkpoint");
    deleteTree(Path.of(b, "model"));
    String[] resume = Arrays.copyOf(sets, sets.length + 1);
    resume[sets.length] = "train.resume=true";
    TrainJob.Result resumed = TrainJob.run(spark, TrainConfig.from(loader("sho.conf", b, resume)), QUIET);
    assertEquals(80, resumed.stepsRun());
    assertArrayEquals(full.model().params(), resumed.model().params());
    // the training log too: cut back to step 40, then continued
    assertEquals(Files.readString(Path.of(a, "model", TrainJob.TRAINING_LOG)),
        Files.readString(Path.of(b, "model", TrainJob.TRAINING_LOG)));
  }

  @Test
  void badInputsAreRefusedNamingTheKeyOrFile() {
    String out = dir.resolve("empty").toString();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainJob.run(spark, TrainConfig.from(loader("sho.conf", out)), QUIET));
    assertTrue(e.getMessage().contains("_macronet.json"), e.getMessage());
    ConfigException c = assertThrows(ConfigException.class, () -> TrainConfig.from(loader("sho.conf", out,
        "train.learning-rate=-1")));
    assertTrue(c.getMessage().contains("train.learning-rate"), c.getMessage());
    c = assertThrows(ConfigException.class, () -> TrainConfig.from(loader("sho.conf", out, "train.activation=gelu")));
    assertTrue(c.getMessage().contains("train.activation"), c.getMessage());
  }
}
