package org.macronet.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.cli.Main;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.pipeline.PipelineJob;
import org.macronet.jobs.reproduce.ReproduceJob;
import org.macronet.jobs.train.TrainJob;

/**
 * The jobs with {@code output.dir} on HDFS: a real NameNode and DataNode on 127.0.0.1
 * (Hadoop's {@code MiniDFSCluster}, in this JVM) and the driver in local mode. Every run is
 * compared with the same configuration written to a local folder: the same dataset checksum,
 * and for training the same weights, byte for byte (also when training resumes from a checkpoint
 * on HDFS).
 */
class HdfsIT {
  private static final PrintStream QUIET = TestSpark.QUIET;

  /** The oscillator of conf/sho.conf, small: 400 pairs, 200 steps, 3 x 50 designs. */
  private static final List<String> OSCILLATOR = List.of("train.restarts=1", "generate.samples=400",
      "generate.partitions=3", "train.steps=200", "train.batch=64", "train.checkpoint-every=100",
      "train.log-every=1000", "train.mode=jvm",
      "design.samples=50");

  /** Tiny Gray-Scott (16 x 16 grids, 200 steps), a tiny image flow trained on Spark, a small sweep. */
  private static final List<String> GRAYSCOTT = List.of("system=grayscott", "generate.samples=48",
      "generate.partitions=3", "generate.seed=3", "simulation.grayscott.size=16", "simulation.grayscott.steps=200",
      "simulation.grayscott.discs=2", "simulation.grayscott.disc-radius=2.0", "simulation.grayscott.kernel=java",
      "simulation.grayscott.batch=8", "train.mode=spark", "train.partitions=2", "train.holdout=0.25",
      "train.steps=6", "train.batch=8", "train.warmup=0", "train.couplings=2", "train.hidden=[8]",
      "train.checkpoint-every=3", "train.log-every=1000", "train.image.scales=1", "train.image.steps=1",
      "train.image.hidden=[4]", "train.image.head-couplings=1", "train.image.head-hidden=[8]", "design.targets=2",
      "design.samples=3", "design.random-samples=6", "design.partitions=2");

  @TempDir
  static Path dir;

  private static MiniDFSCluster hdfs;
  /** {@code hdfs://127.0.0.1:PORT}. */
  private static String root;
  private static FileSystem fs;
  private static SparkSession spark;

  @BeforeAll
  static void startHdfs() throws IOException {
    Configuration conf = new Configuration();
    conf.setInt("dfs.replication", 1);
    hdfs = new MiniDFSCluster.Builder(conf, dir.resolve("dfs").toFile()).numDataNodes(1).build();
    hdfs.waitActive();
    root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    fs = hdfs.getFileSystem();
    // one DataNode: files are written with one replica rather than waiting for three
    spark = SparkSessions.create("HdfsIT", "local[2]", Map.of("spark.ui.enabled", "false",
        "spark.sql.shuffle.partitions", "4", "spark.hadoop.dfs.replication", "1"));
  }

  @AfterAll
  static void stopHdfs() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (hdfs != null) {
        hdfs.shutdown();
      }
    }
  }

  private static ConfigLoader loader(String conf, String out, List<String> sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(sets);
    return ConfigLoader.load(conf == null ? null : new File("../conf/" + conf), all);
  }

  private static org.apache.hadoop.fs.Path hdfsPath(String path) {
    return new org.apache.hadoop.fs.Path(root + path);
  }

  @Test
  void oscillatorPipelineOnHdfsWritesTheDatasetAndModelOfALocalRun() throws IOException {
    String local = dir.resolve("sho").toString();
    String remote = root + "/runs/sho";
    for (String out : List.of(local, remote)) {
      ConfigLoader c = loader("sho.conf", out, OSCILLATOR);
      PipelineJob.run(spark, GenerateConfig.from(c), TrainConfig.from(c), DesignConfig.from(c), QUIET);
    }

    DatasetMetadata expected = DatasetMetadata.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(local, GenerateJob.DATASET));
    DatasetMetadata actual = DatasetMetadata.read(fs, hdfsPath("/runs/sho/dataset"));
    assertEquals(400, actual.rows());
    assertEquals(expected.checksum(), actual.checksum());
    DatasetChecksums.Result files = DatasetChecksums.compute(spark.read().parquet(remote + "/dataset"));
    assertEquals(expected.checksum(), files.checksum(), "checksum of the Parquet files on HDFS");
    for (String f : List.of("model/model.safetensors", "model/model.json", "design/designs.parquet",
        "design/metrics.json", "analysis/metrics.json", "analysis/macrostates.parquet", "report/report.md",
        "manifest.json", "checkpoints/step-0000000100/state.safetensors")) {
      assertTrue(fs.exists(hdfsPath("/runs/sho/" + f)), f + " missing on HDFS");
    }
    assertArrayEquals(localBytes(local + "/model/model.safetensors"), hdfsBytes("/runs/sho/model/model.safetensors"));
    JsonNode manifest = json(hdfsPath("/runs/sho/manifest.json"));
    assertEquals(expected.checksum(), manifest.path("checksums").path("dataset").asText());

    // training resumed from the step-100 checkpoint on HDFS ends with the same weights
    List<String> resume = new ArrayList<>(OSCILLATOR);
    resume.addAll(List.of("train.resume=true", "output.overwrite=true"));
    TrainJob.Result resumed = TrainJob.run(spark, TrainConfig.from(loader("sho.conf", remote, resume)), QUIET);
    assertEquals(100, resumed.stepsRun());
    assertArrayEquals(localBytes(local + "/model/model.safetensors"), hdfsBytes("/runs/sho/model/model.safetensors"));

    // inspect reads the dataset's description and Parquet footers from HDFS
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = Main.run(new String[] {"inspect", remote}, new PrintStream(out, true, StandardCharsets.UTF_8), QUIET);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed);
    assertTrue(printed.contains("dataset      " + remote + "/dataset"), printed);
    assertTrue(printed.contains("checksum     " + expected.checksum()), printed);
  }

  @Test
  void grayScottGeneratedTrainedOnSparkAndDesignedOnHdfsMatchesALocalRun() throws IOException {
    String local = dir.resolve("grayscott").toString();
    String remote = root + "/runs/grayscott";
    List<DesignJob.Result> sweeps = new ArrayList<>();
    for (String out : List.of(local, remote)) {
      ConfigLoader c = loader(null, out, GRAYSCOTT);
      GenerateJob.run(spark, GenerateConfig.from(c), QUIET);
      TrainJob.run(spark, TrainConfig.from(c), QUIET);
      sweeps.add(DesignJob.run(spark, DesignConfig.from(c), QUIET));
    }

    DatasetMetadata expected = DatasetMetadata.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(local, GenerateJob.DATASET));
    DatasetMetadata actual = DatasetMetadata.read(fs, hdfsPath("/runs/grayscott/dataset"));
    assertEquals(48, actual.rows());
    assertEquals(expected.checksum(), actual.checksum());
    assertEquals(expected.kernel(), actual.kernel());

    // the model, read back from HDFS: the local run's weights, in the same bytes
    assertArrayEquals(localBytes(local + "/model/model.safetensors"),
        hdfsBytes("/runs/grayscott/model/model.safetensors"));
    ModelArtifact model = ModelArtifact.read(fs, hdfsPath("/runs/grayscott/model"));
    JsonNode training = model.description().path("training");
    assertEquals("spark", training.path("train.mode").asText(), training.toString());
    assertEquals(6, model.description().path("result").path("steps").asLong());
    assertTrue(fs.exists(hdfsPath("/runs/grayscott/checkpoints/step-0000000003/state.safetensors")),
        "no step-3 checkpoint on HDFS");

    // the sweep: same targets, designs and ranks
    assertEquals(sweeps.get(0).metrics(), sweeps.get(1).metrics());
    for (String f : List.of("designs.parquet", "targets.parquet", "metrics.json")) {
      assertTrue(fs.exists(hdfsPath("/runs/grayscott/design/" + f)), "design/" + f + " missing on HDFS");
    }
    assertEquals(2L * 3, spark.read().parquet(remote + "/design/designs.parquet").count());
    assertEquals(spark.read().parquet(local + "/design/designs.parquet").orderBy("target_id", "design_id")
        .collectAsList(), spark.read().parquet(remote + "/design/designs.parquet").orderBy("target_id", "design_id")
        .collectAsList());
  }

  @Test
  void reproduceWritesItsRunFolderToHdfsAndPasses() throws IOException {
    // conf/repro/grayscott.conf against its committed baseline, with the run folders on HDFS
    List<String> sets = List.of("reproduce.runs-dir=" + root + "/repro", "progress.interval=0");
    ReproduceJob.Plan plan = ReproduceJob.plan(new File("../conf/repro/grayscott.conf"), sets, false);
    ReproduceJob.Outcome outcome = ReproduceJob.run(spark, plan, false, QUIET);

    assertEquals(0, outcome.exitStatus(), outcome.verdict().headline());
    String run = outcome.runDir().toString();
    assertTrue(run.matches(java.util.regex.Pattern.quote(root) + "/repro/grayscott-\\d{8}T\\d{6}Z"), run);
    JsonNode verdict = json(new org.apache.hadoop.fs.Path(run, ReproduceJob.VERDICT));
    assertEquals("pass", verdict.path("verdict").asText(), verdict.toString());
    JsonNode manifest = json(new org.apache.hadoop.fs.Path(run, PipelineJob.MANIFEST));
    DatasetMetadata dataset = DatasetMetadata.read(fs, new org.apache.hadoop.fs.Path(run, GenerateJob.DATASET));
    assertEquals(dataset.checksum(), manifest.path("checksums").path("dataset").asText());
    assertEquals(24, dataset.rows());
  }

  @Test
  void latticeJobsOnHdfsReproduceTheLocalBaseline() throws IOException {
    // conf/repro/ising.conf (generate, upsample, evolve), baseline written from a local run: the
    // three datasets on HDFS have the same checksums
    List<String> sets = List.of("reproduce.runs-dir=" + root + "/repro-lattice", "progress.interval=0");
    ReproduceJob.Plan plan = ReproduceJob.plan(new File("../conf/repro/ising.conf"), sets, false);
    ReproduceJob.Outcome outcome = ReproduceJob.run(spark, plan, false, QUIET);
    assertEquals(0, outcome.exitStatus(), outcome.verdict().headline());
    String run = outcome.runDir().toString();
    for (String folder : List.of("dataset", "upsampled", "pairs")) {
      DatasetMetadata md = DatasetMetadata.read(fs, new org.apache.hadoop.fs.Path(run, folder));
      assertEquals(md.checksum(), DatasetChecksums.compute(spark.read().parquet(run + "/" + folder)).checksum(),
          folder + ": the files on HDFS agree with their description");
    }
  }

  private static JsonNode json(org.apache.hadoop.fs.Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return ModelArtifact.json().readTree(in);
    }
  }

  private static byte[] hdfsBytes(String path) throws IOException {
    try (InputStream in = fs.open(hdfsPath(path))) {
      return in.readAllBytes();
    }
  }

  private static byte[] localBytes(String path) throws IOException {
    return java.nio.file.Files.readAllBytes(Path.of(path));
  }
}
