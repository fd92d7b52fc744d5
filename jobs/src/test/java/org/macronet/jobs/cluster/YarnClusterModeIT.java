package org.macronet.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainJob;

/**
 * {@code generate} and {@code train} (on Spark) submitted to YARN in cluster deploy mode with
 * Spark's own spark-submit, as deploy/README.md describes: the driver runs in the application
 * master's container, an executor in a container of its own, the output goes to HDFS, and
 * the job configuration travels as {@code --archives macronet-conf.tgz#conf}. The cluster is
 * {@link YarnCluster} (MiniDFSCluster and MiniYARNCluster on this host); the Spark settings are
 * deploy/spark-defaults.conf.example's (authentication and encryption on; YARN makes the secret).
 * The dataset and the weights equal a local-mode run's, bit for bit.
 *
 * <p>The application jar is {@code macronet-jobs.jar} with the other macronet jars in
 * {@code --jars} (the build without {@code -Pcluster} makes no macronet-app.jar), and Spark's
 * jars are on every node already ({@code spark.yarn.jars=local:...}), as with a Spark installation.
 */
class YarnClusterModeIT {
  /** Tiny Gray-Scott (16 x 16 grids, 200 steps) and a tiny image flow trained on Spark in 2 partitions. */
  private static final List<String> GRAYSCOTT = List.of("system=grayscott", "generate.samples=32",
      "generate.partitions=2", "generate.seed=9", "simulation.grayscott.size=16", "simulation.grayscott.steps=200",
      "simulation.grayscott.discs=2", "simulation.grayscott.disc-radius=2.0", "simulation.grayscott.kernel=java",
      "simulation.grayscott.batch=8", "train.mode=spark", "train.partitions=2", "train.holdout=0.25",
      "train.steps=4", "train.batch=8", "train.warmup=0", "train.couplings=2", "train.hidden=[8]",
      "train.checkpoint-every=2", "train.log-every=1000", "train.image.scales=1", "train.image.steps=1",
      "train.image.hidden=[4]", "train.image.head-couplings=1", "train.image.head-hidden=[8]",
      "progress.interval=0");
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(3);

  @TempDir
  static Path dir;

  private static YarnCluster cluster;
  private static Path confArchive;

  @BeforeAll
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  static void startCluster() throws IOException, InterruptedException {
    cluster = YarnCluster.start(YarnClusterModeIT.class.getSimpleName(), dir.resolve("cluster"));
    // conf/grayscott-tiny.conf in the driver's container, as deploy/README.md ships conf/
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.write(conf.resolve("grayscott-tiny.conf"), GRAYSCOTT, StandardCharsets.UTF_8);
    confArchive = dir.resolve("macronet-conf.tgz");
    Process tar = new ProcessBuilder("tar", "czf", confArchive.toString(), "-C", conf.toString(), ".")
        .redirectErrorStream(true).start();
    assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.stop();
    }
  }

  /**
   * spark-submit in cluster mode on YARN: {@code COMMAND --conf conf/grayscott-tiny.conf --set
   * output.dir=OUT [--set KEY=VALUE]...}.
   */
  private static YarnCluster.Submission submit(String command, String out, String... sets)
      throws IOException, InterruptedException {
    List<String> jars = new ArrayList<>();
    try (var s = Files.list(Path.of("target", "lib"))) {
      s.filter(j -> j.getFileName().toString().startsWith("macronet-")).sorted()
          .forEach(j -> jars.add(j.toAbsolutePath().toString()));
    }
    String javaHome = System.getProperty("java.home");
    List<String> args = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster",
        "--properties-file", new File("../deploy/spark-defaults.conf.example").getAbsolutePath(),
        "--name", "macronet " + command, "--class", "org.macronet.jobs.cli.Main",
        "--driver-memory", "512m", "--driver-cores", "1",
        "--num-executors", "1", "--executor-cores", "2", "--executor-memory", "512m",
        // a second attempt would find the first one's output and fail on it
        "--conf", "spark.yarn.maxAppAttempts=1",
        "--conf", "spark.yarn.jars=local:" + cluster.sparkJars().resolve("*"),
        "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome, "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
        "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
        "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--jars", String.join(",", jars),
        "--archives", confArchive + "#conf",
        new File("target/macronet-jobs.jar").getAbsolutePath(),
        command, "--conf", "conf/grayscott-tiny.conf", "--set", "output.dir=" + out));
    for (String set : sets) {
      args.addAll(List.of("--set", set));
    }
    return cluster.submit(args, Files.createTempFile(dir, command + "-", ".log"), SUBMIT_TIMEOUT);
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void generateAndTrainInClusterModeWriteTheDatasetAndWeightsOfALocalRun() throws Exception {
    // the reference: the same configuration in local mode, into a local folder
    String local = dir.resolve("local").toString();
    DatasetMetadata expected;
    try (SparkSession spark = SparkSessions.create("YarnClusterModeIT local", "local[2]",
        Map.of("spark.ui.enabled", "false"))) {
      List<String> sets = new ArrayList<>(GRAYSCOTT);
      sets.add("output.dir=" + local);
      ConfigLoader c = ConfigLoader.load((File) null, sets);
      expected = GenerateJob.run(spark, GenerateConfig.from(c), TestSpark.QUIET);
      TrainJob.run(spark, TrainConfig.from(c), TestSpark.QUIET);
    }

    String out = cluster.hdfsUri() + "/user/macronet/grayscott";
    Set<ApplicationId> before = new HashSet<>(cluster.applications().keySet());
    YarnCluster.Submission generate = submit("generate", out);
    assertEquals(0, generate.exitStatus(), generate.output());
    YarnCluster.Submission train = submit("train", out);
    assertEquals(0, train.exitStatus(), train.output());

    // Both ran as YARN applications that ended SUCCEEDED: the command line returned normally
    // rather than calling System.exit(0), which the application master would report as failed.
    List<RMApp> apps = cluster.applications().values().stream().filter(a -> !before.contains(a.getApplicationId()))
        .sorted((a, b) -> a.getApplicationId().compareTo(b.getApplicationId())).toList();
    assertEquals(2, apps.size(), apps.toString());
    for (RMApp app : apps) {
      assertEquals(FinalApplicationStatus.SUCCEEDED, app.getFinalApplicationStatus(),
          app.getName() + ": " + app.getDiagnostics());
    }
    assertEquals("macronet generate", apps.get(0).getName());
    assertEquals("macronet train", apps.get(1).getName());
    // The drivers ran in the application masters' containers, and executors ran tasks.
    assertTrue(driverStdout(apps.get(0)).contains("generate: wrote 32 rows, checksum " + expected.checksum()),
        driverStdout(apps.get(0)));
    assertTrue(driverStdout(apps.get(1)).contains("train: held-out loss"), driverStdout(apps.get(1)));
    for (RMApp app : apps) {
      List<Path> logs = cluster.containerLogs(app.getApplicationId(), "stderr");
      assertEquals(2, logs.size(), "an application master and an executor: " + logs);
      assertTrue(read(logs.get(1)).contains("Finished task"), app.getName() + ": the executor finished no task");
      // YARN brought the jars to the containers; the driver did not add them to spark.jars as well
      assertFalse(read(logs.get(0)).contains("Added JAR"), app.getName() + ": the driver shipped jars itself");
    }

    // The outputs on HDFS equal the local run's.
    FileSystem fs = cluster.fileSystem();
    DatasetMetadata actual = DatasetMetadata.read(fs, new org.apache.hadoop.fs.Path(out, GenerateJob.DATASET));
    assertEquals(32, actual.rows());
    assertEquals(expected.checksum(), actual.checksum());
    assertEquals(expected.kernel(), actual.kernel());
    byte[] weights;
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(out, "model/model.safetensors"))) {
      weights = in.readAllBytes();
    }
    assertArrayEquals(Files.readAllBytes(Path.of(local, "model", "model.safetensors")), weights);
    ModelArtifact model = ModelArtifact.read(fs, new org.apache.hadoop.fs.Path(out, TrainJob.MODEL));
    JsonNode trainer = model.description().path("result").path("trainer");
    assertEquals("spark", trainer.path("mode").asText(), trainer.toString());
    assertEquals("yarn", trainer.path("master").asText(), trainer.toString());
    assertEquals(ModelArtifact.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(local, TrainJob.MODEL)).weightChecksum(), model.weightChecksum());
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aFailedJobEndsTheApplicationFailedAndSparkSubmitWithStatusOne() throws Exception {
    // Given a configuration error, which the command line reports with exit status 2
    Set<ApplicationId> before = new HashSet<>(cluster.applications().keySet());
    YarnCluster.Submission s = submit("train", cluster.hdfsUri() + "/user/macronet/refused",
        "train.learning-rate=-1");

    // Then spark-submit fails (in cluster mode its status says failed, not which failure)
    assertEquals(1, s.exitStatus(), s.output());
    assertTrue(s.output().contains("finished with failed status"), s.output());
    // and so does the application, whose driver's stderr has the reason
    List<RMApp> apps = cluster.applications().values().stream().filter(a -> !before.contains(a.getApplicationId()))
        .toList();
    assertEquals(1, apps.size(), apps.toString());
    RMApp app = apps.get(0);
    assertEquals(FinalApplicationStatus.FAILED, app.getFinalApplicationStatus());
    // (Spark's application master reports any System.exit this way: exit code 16)
    assertTrue(app.getDiagnostics().toString().contains("Shutdown hook called before final status was reported"),
        app.getDiagnostics().toString());
    List<Path> logs = cluster.containerLogs(app.getApplicationId(), "stderr");
    String driverErr = read(logs.get(0));
    assertTrue(driverErr.contains("macronet: configuration error: train.learning-rate"), driverErr);
    // found before Spark started: no executor was launched
    assertEquals(1, logs.size(), "containers: " + logs);
  }

  private static String driverStdout(RMApp app) throws IOException {
    List<Path> logs = cluster.containerLogs(app.getApplicationId(), "stdout");
    return logs.isEmpty() ? "(no container logs for " + app.getApplicationId() + ")" : read(logs.get(0));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
