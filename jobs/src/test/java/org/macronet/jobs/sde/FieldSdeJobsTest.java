package org.macronet.jobs.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.macronet.analysis.ensemble.EnsembleComparison;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.lattice.EvolveJob;
import org.macronet.jobs.lattice.UpsampleJob;

/**
 * The learned-SDE method for a field system on a real local Spark, from real predator-prey data:
 * 20-cell trajectories resampled onto 40 cells, pairs from one of 5 patches of 8 cells advanced one
 * step with a halo, both SDEs (standardised), direct 40-cell runs from a 2 x 1 grid of (m, k),
 * rollouts and the analysis with its MMD.
 */
class FieldSdeJobsTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;
  private static Path run;
  private static JsonNode metrics;

  @BeforeAll
  static void pipeline() throws IOException {
    spark = TestSpark.local("FieldSdeJobsTest");
    run = dir.resolve("run");
    ConfigLoader c = conf(run.toString());
    metrics = LatticePipeline.run(spark, GenerateConfig.from(c), UpsampleConfig.from(c), EvolveConfig.from(c),
        SdeConfig.from(c), TestSpark.QUIET);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static ConfigLoader conf(String out, String... more) {
    List<String> s = new ArrayList<>(List.of("system=predator-prey", "output.dir=" + out, "progress.interval=0",
        "generate.samples=12", "generate.partitions=3", "simulation.predator-prey.cells=20",
        "simulation.predator-prey.reference-cells=20", "simulation.predator-prey.steps=60",
        "simulation.predator-prey.snapshot-every=10", "upsample.size=40", "evolve.patch=8", "evolve.boundary=halo",
        "sde.steps=60", "sde.batch=32", "sde.hidden=[8, 8]", "sde.partitions=3", "sde.standardise=true",
        "sde.eps=1e-6", "direct.runs=6", "direct.steps=60", "direct.snapshot-every=10", "direct.grid.m=[0.45, 0.55]",
        "direct.grid.k=[0.1]", "direct.partitions=3", "rollout.paths=40", "rollout.partitions=3",
        "rollout.substeps=10", "evaluate.points=7", "evaluate.bootstrap=50"));
    s.addAll(List.of(more));
    return ConfigLoader.load(null, s);
  }

  private static float[] floats(Row r, String column) {
    List<Float> xs = r.getList(r.fieldIndex(column));
    float[] out = new float[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
    }
    return out;
  }

  private static double mean(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v;
    }
    return s / x.length;
  }

  @Test
  void upsampledStatesAndPairsHoldWhatThePatchDid() {
    Dataset<Row> states = spark.read().parquet(run.resolve("upsampled").toString());
    // 12 trajectories x 7 snapshots, each resampled onto 40 cells
    assertEquals(84, states.count());
    for (Row r : states.limit(5).collectAsList()) {
      assertEquals(40, floats(r, "u").length);
      assertEquals(mean(floats(r, "u")), r.getDouble(r.fieldIndex("u_mean")), 1e-12);
    }
    Dataset<Row> pairs = spark.read().parquet(run.resolve("pairs").toString());
    assertEquals(84, pairs.count());
    for (Row r : pairs.collectAsList()) {
      int patch = r.getInt(r.fieldIndex("patch"));
      assertEquals(5, r.getInt(r.fieldIndex("patches")));
      assertEquals(0.01, r.getDouble(r.fieldIndex("dt")), 1e-15);
      float[] u = floats(r, "u");
      float[] before = floats(r, "patch_u_0");
      for (int j = 0; j < 8; j++) {
        assertEquals(u[8 * patch + j], before[j], 0f, "patch_u_0 is x0's patch");
      }
      for (String o : List.of("u", "v")) {
        double z0 = r.getDouble(r.fieldIndex(o + "_mean"));
        double z1 = r.getDouble(r.fieldIndex(o + "_mean_1"));
        double p0 = r.getDouble(r.fieldIndex("patch_" + o + "_mean_0"));
        double p1 = r.getDouble(r.fieldIndex("patch_" + o + "_mean_1"));
        assertEquals(p1 - p0, z1 - z0, 1e-12, "the line's change is the patch's own");
        assertEquals(mean(floats(r, "patch_" + o + "_1")), p1, 1e-12);
        assertTrue(p1 != p0, "the patch moved");
      }
    }
  }

  @Test
  void pairsDoNotDependOnHowTheDatasetWasSplit() throws IOException {
    Path other = dir.resolve("split");
    ConfigLoader c = conf(other.toString(), "generate.partitions=2");
    GenerateJob.run(spark, GenerateConfig.from(c), TestSpark.QUIET);
    UpsampleJob.run(spark, UpsampleConfig.from(c), TestSpark.QUIET);
    String pairs = EvolveJob.run(spark, EvolveConfig.from(c), TestSpark.QUIET).checksum();
    JsonNode manifest = new ObjectMapper().readTree(run.resolve("manifest.json").toFile());
    assertEquals(manifest.path("checksums").path("pairs").asText(), pairs);
  }

  @Test
  void directRunsStartFromTheGridAndTheAnalysisNamesTheStarts() throws IOException {
    Dataset<Row> direct = spark.read().parquet(run.resolve("direct").toString());
    // 2 starts x 6 runs x 7 snapshots on 40 cells
    assertEquals(84, direct.count());
    for (Row r : direct.where("step = 0").collectAsList()) {
      int start = r.getInt(r.fieldIndex("start"));
      assertEquals(start == 0 ? 0.45 : 0.55, r.getDouble(r.fieldIndex("m")), 0.0);
      assertEquals(0.1, r.getDouble(r.fieldIndex("k")), 0.0);
      assertEquals(40, floats(r, "v").length);
    }
    Dataset<Row> t = spark.read().parquet(run.resolve("analysis/trajectories.parquet").toString());
    // a parameter k would clash with the grid index k: the start's columns are start_m, start_k
    assertEquals(List.of("source", "start", "start_m", "start_k", "path", "k", "t", "z_0", "z_1"),
        List.of(t.columns()));
    // every path starts at its direct run's initial state, through the standardisation and back
    Dataset<Row> first = t.where("k = 0");
    for (Row r : first.collectAsList()) {
      assertEquals(r.getDouble(2), r.getDouble(7), 1e-12, "u_mean starts at m: " + r);
    }
    JsonNode m = metrics.path("starts").path("m");
    assertEquals(List.of(0.45, 0.55), List.of(m.get(0).asDouble(), m.get(1).asDouble()));
    assertEquals(0.1, metrics.path("sources").path("sde").path("per_start").get(1).path("start").path("k").asDouble());
    assertTrue(Files.exists(run.resolve("analysis/u_mean_m_0.45_k_0.1.png")));
    String page = Files.readString(run.resolve("analysis/index.html"));
    assertTrue(page.contains("from m = 0.45, k = 0.1 against time"), "captions name the start");
    JsonNode model = new ObjectMapper().readTree(run.resolve("sde/model.json").toFile());
    assertEquals(2, model.path("standardisation").path("sd").size());
  }

  @Test
  void theMmdOfEachStartIsRecomputedFromTheTrajectories() {
    Dataset<Row> t = spark.read().parquet(run.resolve("analysis/trajectories.parquet").toString());
    double[] center = new double[2];
    double[] scale = new double[2];
    for (int j = 0; j < 2; j++) {
      center[j] = metrics.path("mmd_standardisation").path("mean").get(j).asDouble();
      scale[j] = metrics.path("mmd_standardisation").path("sd").get(j).asDouble();
    }
    for (String source : List.of("sde", "sde-naive")) {
      double overStarts = 0;
      for (int start = 0; start < 2; start++) {
        double overTime = 0;
        for (int k = 0; k < 7; k++) {
          double[][] a = states(t, source, start, k, center, scale);
          double[][] b = states(t, "direct", start, k, center, scale);
          overTime += EnsembleComparison.mmd(a, b, new double[] {0.25, 0.5, 1, 2, 4, 8}) / 7;
        }
        JsonNode one = metrics.path("sources").path(source).path("per_start").get(start);
        assertEquals(overTime, one.path("mmd_mean_over_time").asDouble(), 1e-12);
        overStarts += overTime / 2;
      }
      assertEquals(overStarts, metrics.path("sources").path(source).path("mmd_mean_over_time").asDouble(), 1e-12);
    }
  }

  private static double[][] states(Dataset<Row> t, String source, int start, int k, double[] center, double[] scale) {
    List<Row> rows = t.where("source = '" + source + "' and start = " + start + " and k = " + k).orderBy("path")
        .collectAsList();
    double[][] out = new double[rows.size()][2];
    for (int p = 0; p < out.length; p++) {
      for (int j = 0; j < 2; j++) {
        out[p][j] = (rows.get(p).getDouble(7 + j) - center[j]) / scale[j];
      }
    }
    return out;
  }

  @Test
  void badFieldSettingsAreRefusedByName() {
    String out = dir.resolve("bad").toString();
    assertEquals("direct.steps", assertThrows(ConfigException.class,
        () -> SdeConfig.from(conf(out, "direct.steps=0"))).key());
    assertEquals("direct.snapshot-every", assertThrows(ConfigException.class,
        () -> SdeConfig.from(conf(out, "direct.snapshot-every=7"))).key());
    assertEquals("evolve.patch", assertThrows(ConfigException.class,
        () -> EvolveJob.run(spark, EvolveConfig.from(conf(run.toString(), "evolve.patch=7",
            "output.overwrite=true")), TestSpark.QUIET)).key());
    assertEquals("upsample.random-states", assertThrows(ConfigException.class,
        () -> UpsampleJob.run(spark, UpsampleConfig.from(conf(run.toString(), "upsample.random-states=5",
            "output.overwrite=true")), TestSpark.QUIET)).key());
    // a grid too fine for the step under the consistent discretisation: refused on the driver,
    // naming the step's key and where the cells came from
    ConfigException fine = assertThrows(ConfigException.class, () -> UpsampleJob.run(spark,
        UpsampleConfig.from(conf(run.toString(), "simulation.predator-prey.discretisation=consistent",
            "upsample.size=400", "output.overwrite=true")), TestSpark.QUIET));
    assertEquals("simulation.predator-prey.dt", fine.key());
    assertTrue(fine.getMessage().contains("on 400 cells (upsample.size)"), fine.getMessage());
    // nothing was lost: the run's pairs and states are still there
    assertTrue(Files.exists(run.resolve("pairs/_macronet.json")) && Files.exists(run.resolve("upsampled/_macronet.json")));
  }

  @Test
  void aRunawayModelIsCutSoThatTheDirectBandStaysReadable() {
    double[] x = {0, 1};
    org.macronet.analysis.figure.Band direct = new org.macronet.analysis.figure.Band("direct (5)", x,
        new double[] {1, 1}, new double[] {0.9, 0.8}, new double[] {1.1, 1.2});
    org.macronet.analysis.figure.Band close = new org.macronet.analysis.figure.Band("sde (5)", x,
        new double[] {1, 1.5}, new double[] {0.9, 0.2}, new double[] {1.1, 2.3});
    org.macronet.analysis.figure.Band away = new org.macronet.analysis.figure.Band("sde-naive (5)", x,
        new double[] {1, 40}, new double[] {0.9, 30}, new double[] {1.1, 50});
    // within three widths (0.4) of the direct band [0.8, 1.2]: fitted to every band
    assertEquals(null, SdeAnalyzeJob.shownRange(List.of(close, direct)));
    // beyond: the direct band widened by its width on each side
    assertArrayEquals(new double[] {0.4, 1.6}, SdeAnalyzeJob.shownRange(List.of(direct, close, away)), 1e-12);
  }

  @Test
  void theStandardisationIsExactWhateverThePartitioning() {
    Dataset<Row> pairs = spark.read().parquet(run.resolve("pairs").toString());
    List<String> cols = List.of("u_mean", "v_mean");
    Standardisation one = Standardisation.of(pairs.repartition(1), cols);
    Standardisation seven = Standardisation.of(pairs.repartition(7), cols);
    assertArrayEquals(one.mean(), seven.mean(), 0.0);
    assertArrayEquals(one.sd(), seven.sd(), 0.0);
    // against plain loops: mean and population sd, to 4 significant digits
    List<Row> rows = pairs.select("u_mean", "v_mean").collectAsList();
    for (int j = 0; j < 2; j++) {
      double sum = 0;
      for (Row r : rows) {
        sum += r.getDouble(j);
      }
      double mean = sum / rows.size();
      double ss = 0;
      for (Row r : rows) {
        ss += (r.getDouble(j) - mean) * (r.getDouble(j) - mean);
      }
      assertEquals(Standardisation.round4(mean), one.mean()[j], 0.0);
      assertEquals(Standardisation.round4(Math.sqrt(ss / rows.size())), one.sd()[j], 1e-4 * one.sd()[j]);
    }
  }
}
