package org.macronet.jobs.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.Python;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.config.StationaryConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.lattice.EvolveJob;
import org.macronet.jobs.lattice.UpsampleJob;
import org.macronet.jobs.model.Checkpoints;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.optim.Adam;
import org.macronet.training.sde.SdeModel;
import org.macronet.training.sde.SdeTrainer;

/**
 * The learned-SDE method's jobs on a real local Spark, from real Ising data: 8 x 8 trajectories
 * upsampled to 16 x 16, pairs from 8 x 8 patches (K = 4), both SDEs, direct 16 x 16 runs from two
 * starts, rollouts and the analysis.
 */
class SdeJobsTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;
  private static Path run;
  private static JsonNode metrics;

  @BeforeAll
  static void pipeline() throws IOException {
    spark = TestSpark.local("SdeJobsTest");
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
    List<String> s = new ArrayList<>(List.of("system=ising", "output.dir=" + out, "progress.interval=0",
        "generate.samples=16", "generate.partitions=2", "simulation.ising.size=8", "simulation.ising.sweeps=10",
        "upsample.size=16", "upsample.window=8", "upsample.stride=4", "upsample.events=64",
        "upsample.random-states=40", "evolve.patch=8", "sde.steps=60", "sde.batch=32", "sde.hidden=[8, 8]",
        "sde.partitions=3", "direct.runs=6", "direct.starts=[0, 0.5]", "direct.sweeps=12", "direct.partitions=3",
        "rollout.paths=40", "rollout.partitions=3", "evaluate.points=13", "evaluate.bootstrap=50"));
    s.addAll(List.of(more));
    return ConfigLoader.load(null, s);
  }

  @Test
  void theAnalysisWritesEveryTrajectoryAndMetricsThatItsRowsReproduce() throws IOException {
    Dataset<Row> t = spark.read().parquet(run.resolve("analysis/trajectories.parquet").toString());
    assertEquals(List.of("source", "start", "m0", "path", "k", "t", "z_0", "z_1"), List.of(t.columns()));
    // 2 starts x 13 grid times: 6 direct runs, 40 paths of each model (3 batches of paths)
    assertEquals(2L * 13 * 6, t.where("source = 'direct'").count());
    assertEquals(2L * 13 * 40, t.where("source = 'sde'").count());
    assertEquals(2L * 13 * 40, t.where("source = 'sde-naive'").count());
    // every path starts at its direct run's initial state: m exactly m0
    for (Row r : t.where("k = 0").collectAsList()) {
      assertEquals(r.getDouble(2), r.getDouble(6), 1e-12, r.toString());
    }
    // the relative MSE of each start recomputed from the rows with plain loops
    for (String source : List.of("sde", "sde-naive")) {
      double mean = 0;
      for (int start = 0; start < 2; start++) {
        double[][] pred = means(t, source, start);
        double[][] truth = means(t, "direct", start);
        double num = 0;
        double den = 0;
        for (int k = 0; k < 13; k++) {
          for (int j = 0; j < 2; j++) {
            num += (pred[k][j] - truth[k][j]) * (pred[k][j] - truth[k][j]);
            den += truth[k][j] * truth[k][j];
          }
        }
        JsonNode one = metrics.path("sources").path(source).path("per_start").get(start);
        assertEquals(num / den, one.path("relative_mse").asDouble(), 1e-12 * (num / den));
        mean += num / den / 2;
      }
      assertEquals(mean, metrics.path("sources").path(source).path("relative_mse").asDouble(), 1e-12 * mean);
    }
    assertTrue(Files.exists(run.resolve("analysis/report.md")));
    String page = Files.readString(run.resolve("analysis/index.html"));
    assertTrue(page.contains("<img") && !page.contains("src=\"http"), "the band figures inline");
    assertTrue(page.contains("<figcaption>m (an average over the lattice or line, dimensionless) from m0 = +0.50"), "captioned");
    assertTrue(Files.exists(run.resolve("analysis/m_m0_+0.50.png")));
    assertTrue(Files.exists(run.resolve("manifest.json")));
  }

  @Test
  void pandasRecomputesTheMetricFromTheTrajectoriesAlone() throws Exception {
    Python.requirePandas();
    String out = Python.run("""
        import json, pandas as pd
        t = pd.read_parquet('%s')
        m = t.groupby(['source', 'start', 'k'])[['z_0', 'z_1']].mean()
        r = []
        for s in range(2):
            p = m.loc['sde'].loc[s].values
            q = m.loc['direct'].loc[s].values
            r.append(((p - q) ** 2).mean() / (q ** 2).mean())
        print(sum(r) / len(r))
        """.formatted(run.resolve("analysis/trajectories.parquet")));
    assertEquals(metrics.path("sources").path("sde").path("relative_mse").asDouble(), Double.parseDouble(out.strip()),
        1e-9);
  }

  private static double[][] means(Dataset<Row> t, String source, int start) {
    double[][] sum = new double[13][2];
    int[] n = new int[13];
    for (Row r : t.where("source = '" + source + "' and start = " + start).collectAsList()) {
      int k = r.getInt(4);
      sum[k][0] += r.getDouble(6);
      sum[k][1] += r.getDouble(7);
      n[k]++;
    }
    for (int k = 0; k < 13; k++) {
      sum[k][0] /= n[k];
      sum[k][1] /= n[k];
    }
    return sum;
  }

  @Test
  void directRunsAndRolloutsAreTheSameOnAnyPartitioning() throws IOException {
    Path other = dir.resolve("other");
    Files.createDirectories(other);
    // the direct runs with 1 partition instead of 3: the same checksum
    SdeConfig one = SdeConfig.from(conf(other.toString(), "direct.partitions=1", "rollout.partitions=1"));
    String again = DirectJob.run(spark, one, TestSpark.QUIET).checksum();
    JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.resolve("manifest.json").toFile());
    assertEquals(manifest.path("checksums").path("direct").asText(), again);
    // the same model rolled out in 1 partition: the same paths, bit for bit
    copy(run.resolve("sde"), other.resolve("sde"));
    RolloutJob.run(spark, one, TestSpark.QUIET);
    List<Row> a = spark.read().parquet(run.resolve("rollouts/sde/paths").toString()).orderBy("start", "path", "k")
        .collectAsList();
    List<Row> b = spark.read().parquet(other.resolve("rollouts/sde/paths").toString()).orderBy("start", "path", "k")
        .collectAsList();
    assertEquals(a, b);
  }

  @Test
  void sparkTrainingInOnePartitionIsTheSingleJvmTrainerAndResumesExactly() throws IOException {
    SdeConfig cfg = SdeConfig.from(conf(run.toString(), "sde.partitions=1"));
    SdeConfig.Fit fit = cfg.fit();
    Dataset<Row> pairs = spark.read().parquet(run.resolve("pairs").toString());
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    SdeModel model = new SdeModel(2, fit.hidden(), fit.sigma());
    try (RowBlocks blocks = RowBlocks.load(pairs, List.of("m", "rho", "m_1", "rho_1", "dt"), null, 0, 1)) {
      // uninterrupted, on Spark
      TrainingState whole = fresh(model, fit);
      Checkpoints none = Checkpoints.in(fs, new org.apache.hadoop.fs.Path(dir.resolve("ck0").toString()), "x");
      SdeTrainJob.train(blocks, model, fit, 4, whole, fit.steps(), none, 0, TestSpark.QUIET);
      // the single-JVM trainer on the same rows in the same order
      List<Row> rows = pairs.orderBy("sample_id", "sweep", "seed").select("m", "rho", "m_1", "rho_1", "dt")
          .collectAsList();
      float[] z0 = new float[rows.size() * 2];
      float[] z1 = new float[rows.size() * 2];
      float[] dt = new float[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        z0[2 * i] = (float) rows.get(i).getDouble(0);
        z0[2 * i + 1] = (float) rows.get(i).getDouble(1);
        z1[2 * i] = (float) rows.get(i).getDouble(2);
        z1[2 * i + 1] = (float) rows.get(i).getDouble(3);
        dt[i] = (float) rows.get(i).getDouble(4);
      }
      float[] single = fresh(model, fit).params();
      new SdeTrainer(4, fit.eps(), fit.batch(), fit.steps(), fit.learningRate(), fit.seed())
          .fit(model, single, z0, z1, dt);
      assertArrayEquals(single, whole.params());
      // stopped at step 30 with a checkpoint, resumed from the file: the same weights
      Checkpoints ck = Checkpoints.in(fs, new org.apache.hadoop.fs.Path(dir.resolve("ck").toString()), "fp");
      SdeConfig.Fit every30 = SdeConfig.from(conf(run.toString(), "sde.checkpoint-every=30")).fit();
      SdeTrainJob.train(blocks, model, every30, 4, fresh(model, fit), 31, ck, 0, TestSpark.QUIET);
      Optional<TrainingState> resumed = ck.latest(SdeArtifact.codec(model), s -> { });
      assertEquals(30, resumed.orElseThrow().stepsDone());
      SdeTrainJob.train(blocks, model, every30, 4, resumed.get(), fit.steps(), ck, 0, TestSpark.QUIET);
      assertArrayEquals(whole.params(), resumed.get().params());
    }
  }

  @Test
  void theLearnedClosureExtendsTheMacrostateEverywhere() throws IOException {
    Path cl = dir.resolve("closure-run");
    Files.createDirectories(cl);
    for (String folder : List.of("upsampled", "pairs", "direct")) {
      Files.createSymbolicLink(cl.resolve(folder), run.resolve(folder));
    }
    String[] closure = {"closure.dimension=2", "closure.channels=[4, 4, 4]", "closure.steps=20", "closure.batch=8"};
    SdeConfig cfg = SdeConfig.from(conf(cl.toString(), closure));
    ClosureJob.Trained trained = ClosureJob.run(spark, cfg, TestSpark.QUIET);
    EncodeJob.run(spark, cfg, TestSpark.QUIET);
    // the encoded pairs: z1's closure is x0's plus the patch's own change (not over K), as for m
    Dataset<Row> pairs = spark.read().parquet(cl.resolve("encoded/pairs").toString());
    assertEquals(spark.read().parquet(run.resolve("pairs").toString()).count(), pairs.count());
    for (Row r : pairs.select("c_0", "c_0_1", "patch_c_0_0", "patch_c_0_1", "m", "m_1", "patch_m_0", "patch_m_1")
        .collectAsList()) {
      assertEquals(r.getDouble(0) + r.getDouble(3) - r.getDouble(2), r.getDouble(1), 1e-12);
      assertEquals(r.getDouble(4) + r.getDouble(7) - r.getDouble(6), r.getDouble(5), 1e-12);
    }
    // every direct snapshot's closure equals encoding that state alone: the job's values do not
    // depend on how the rows were batched or partitioned
    List<Row> encoded = spark.read().parquet(cl.resolve("encoded/direct").toString()).orderBy("sample_id", "sweep")
        .select("c_0", "c_1").collectAsList();
    List<Row> states = spark.read().parquet(run.resolve("direct").toString()).orderBy("sample_id", "sweep")
        .select("spins").collectAsList();
    assertEquals(states.size(), encoded.size());
    org.macronet.training.closure.ClosureEncoding alone = new org.macronet.training.closure.ClosureEncoding(
        trained.model(), trained.params(), trained.buffers());
    for (int i = 0; i < states.size(); i++) {
      List<Object> values = states.get(i).getList(0);
      byte[] spins = new byte[values.size()];
      for (int q = 0; q < spins.length; q++) {
        spins[q] = ((Number) values.get(q)).byteValue();
      }
      float[] c = alone.stateClosure(spins, 1);
      assertEquals(c[0], encoded.get(i).getDouble(0), 0.0, "row " + i);
      assertEquals(c[1], encoded.get(i).getDouble(1), 0.0, "row " + i);
    }
    // the SDE, its rollouts and the analysis on (m, rho, c_0, c_1)
    SdeArtifact sde = SdeTrainJob.run(spark, cfg, TestSpark.QUIET);
    assertEquals(List.of("m", "rho", "c_0", "c_1"), sde.columns());
    RolloutJob.run(spark, cfg, TestSpark.QUIET);
    JsonNode m = SdeAnalyzeJob.run(spark, cfg, TestSpark.QUIET);
    assertEquals("[\"m\",\"rho\",\"c_0\",\"c_1\"]", m.path("z_columns").toString());
    Dataset<Row> t = spark.read().parquet(cl.resolve("analysis/trajectories.parquet").toString());
    assertEquals(List.of("source", "start", "m0", "path", "k", "t", "z_0", "z_1", "z_2", "z_3"), List.of(t.columns()));
    // a rerun of the closure's training gives the same weights
    SdeConfig again = SdeConfig.from(conf(cl.toString(), "closure.dimension=2", "closure.channels=[4, 4, 4]",
        "closure.steps=20", "closure.batch=8", "output.overwrite=true"));
    assertArrayEquals(trained.params(), ClosureJob.run(spark, again, TestSpark.QUIET).params());
    // without encoded pairs the SDE refuses to train on a closure, naming the key
    SdeConfig missing = SdeConfig.from(conf(run.toString(), "closure.dimension=2", "output.overwrite=true"));
    ConfigException e = assertThrows(ConfigException.class, () -> SdeTrainJob.run(spark, missing, TestSpark.QUIET));
    assertEquals("closure.dimension", e.key());
  }

  private static TrainingState fresh(SdeModel model, SdeConfig.Fit fit) {
    float[] p = model.initialParameters(new SplittableRandom(fit.seed()), 0.1, fit.initialSigma());
    return new TrainingState(p, new Adam(p.length), 0);
  }

  @Test
  void theNaiveModelTrainsOnTheEvolvedPatchAloneWithLambdaOne() throws IOException {
    FileSystem fs = FileSystem.getLocal(spark.sparkContext().hadoopConfiguration());
    SdeArtifact patch = SdeArtifact.read(fs, new org.apache.hadoop.fs.Path(run.resolve("sde").toString()));
    SdeArtifact naive = SdeArtifact.read(fs, new org.apache.hadoop.fs.Path(run.resolve("sde-naive").toString()));
    assertEquals(4.0, patch.description().path("lambda").asDouble());
    assertEquals(1.0, naive.description().path("lambda").asDouble());
    // the reference's baseline: the lattice before, the evolved patch alone after
    assertEquals("[[\"m\",\"rho\"],[\"patch_m_1\",\"patch_rho_1\"]]",
        naive.description().path("pair_columns").toString());
    assertEquals("[[\"m\",\"rho\"],[\"m_1\",\"rho_1\"]]", patch.description().path("pair_columns").toString());
    assertEquals(List.of(List.of("patch_m_0", "patch_rho_0"), List.of("patch_m_1", "patch_rho_1")),
        SdeTrainJob.columns(List.of("m", "rho"), SdeConfig.from(conf(run.toString(), "sde.naive=true",
            "sde.naive-pairs=patch")).fit()));
  }

  @Test
  void stationaryMomentsDoNotDependOnThePartitioningAndFollowFromTheirSums() throws IOException {
    String[] small = {"stationary.paths=70", "stationary.dt=0.5", "stationary.burn-in=20", "stationary.time=30",
        "stationary.every=3"};
    ConfigLoader one = conf(run.toString(), concat(small, "stationary.partitions=1"));
    JsonNode a = StationaryJob.run(spark, SdeConfig.from(one), StationaryConfig.from(one), TestSpark.QUIET);
    Path file = run.resolve("stationary/sde/" + StationaryJob.FILE);
    byte[] written = Files.readAllBytes(file);
    ConfigLoader three = conf(run.toString(), concat(small, "stationary.partitions=3", "output.overwrite=true"));
    JsonNode b = StationaryJob.run(spark, SdeConfig.from(three), StationaryConfig.from(three), TestSpark.QUIET);
    for (String k : List.of("samples", "mean_m", "mean_abs_m", "mean_m2", "mean_m4", "susceptibility",
        "binder_cumulant")) {
      assertEquals(a.path(k).asDouble(), b.path(k).asDouble(), 0.0, k + ": 1 partition against 3");
    }
    // 70 paths (3 batches), 40 burn-in steps, then 60 steps sampled every 3: 20 samples each
    assertEquals(40, a.path("burn_in_steps").asLong());
    assertEquals(60, a.path("sampled_steps").asLong());
    assertEquals(70L * 20, a.path("samples").asLong());
    assertEquals(16, a.path("side").asInt());
    assertEquals(2.5, a.path("T").asDouble());
    double abs = a.path("mean_abs_m").asDouble();
    double m2 = a.path("mean_m2").asDouble();
    assertEquals(256 * (m2 - abs * abs) / 2.5, a.path("susceptibility").asDouble(), 1e-12);
    assertEquals(256 * m2 / 2.5, a.path("susceptibility_second_moment").asDouble(), 1e-12);
    assertEquals(1 - a.path("mean_m4").asDouble() / (3 * m2 * m2), a.path("binder_cumulant").asDouble(), 1e-12);
    assertEquals(a.path("mean_m").asDouble(), a.path("component_means").path("m").asDouble(), 1e-12);
    assertTrue(a.path("component_means").has("rho"));
    // the paths stay in the physical range of m, and move from their starts
    assertTrue(abs > 0 && abs <= 1 && m2 > 0, a.toString());
    // a finished result is never replaced silently
    ConfigException e = assertThrows(ConfigException.class, () -> StationaryJob.run(spark, SdeConfig.from(one),
        StationaryConfig.from(one), TestSpark.QUIET));
    assertEquals("output.overwrite", e.key());
    assertEquals("stationary.time", assertThrows(ConfigException.class,
        () -> StationaryConfig.from(conf(run.toString(), "stationary.time=0.1"))).key());
    assertTrue(Files.exists(file));
    assertTrue(written.length > 0);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  @Test
  void missingInputsAndBadKeysAreRefusedByName() {
    Path empty = dir.resolve("empty");
    ConfigException e = assertThrows(ConfigException.class,
        () -> SdeTrainJob.run(spark, SdeConfig.from(conf(empty.toString())), TestSpark.QUIET));
    assertEquals("output.dir", e.key());
    assertTrue(e.getMessage().contains("run evolve first"), e.getMessage());
    IOException noModel = assertThrows(IOException.class,
        () -> RolloutJob.run(spark, SdeConfig.from(conf(empty.toString())), TestSpark.QUIET));
    assertTrue(noModel.getMessage().contains("run train"), noModel.getMessage());
    IOException noStationaryModel = assertThrows(IOException.class, () -> StationaryJob.run(spark,
        SdeConfig.from(conf(empty.toString())), StationaryConfig.from(conf(empty.toString())), TestSpark.QUIET));
    assertTrue(noStationaryModel.getMessage().contains("run train"), noStationaryModel.getMessage());
    e = assertThrows(ConfigException.class, () -> SdeConfig.from(conf(empty.toString(), "direct.starts=[0, 1.5]")));
    assertEquals("direct.starts", e.key());
    e = assertThrows(ConfigException.class, () -> SdeConfig.from(conf(empty.toString(), "sde.sigma=cholesky")));
    assertEquals("sde.sigma", e.key());
    // rollouts made on another grid are refused by analyze, the analysis left as it was
    e = assertThrows(ConfigException.class, () -> SdeAnalyzeJob.run(spark, SdeConfig.from(conf(run.toString(),
        "evaluate.points=14", "output.overwrite=true")), TestSpark.QUIET));
    assertEquals("output.dir", e.key());
    assertTrue(e.getMessage().contains("13 grid times, evaluate.points is 14"), e.getMessage());
    assertTrue(Files.exists(run.resolve("analysis/metrics.json")));
    // a finished model is never replaced silently
    e = assertThrows(ConfigException.class,
        () -> SdeTrainJob.run(spark, SdeConfig.from(conf(run.toString())), TestSpark.QUIET));
    assertEquals("output.overwrite", e.key());
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
