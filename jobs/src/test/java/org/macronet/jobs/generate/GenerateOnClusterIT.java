package org.macronet.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.cluster.StandaloneCluster;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;

/**
 * The generate job on a real Spark standalone cluster (a master and two one-core workers on
 * 127.0.0.1, started with deploy/local/cluster.sh) writes the same datasets as in local mode.
 * The workers have Spark and the dependencies only; the driver ships the macronet jars.
 */
class GenerateOnClusterIT {
  private static final PrintStream QUIET = TestSpark.QUIET;

  /** A tiny Gray-Scott configuration (16 x 16 grids, 200 steps, uneven blocks) and the oscillator. */
  private static final Map<String, List<String>> SYSTEMS = new LinkedHashMap<>();

  static {
    SYSTEMS.put("grayscott", List.of("system=grayscott", "generate.samples=24", "generate.partitions=3",
        "generate.block=5", "generate.seed=7", "simulation.grayscott.size=16", "simulation.grayscott.steps=200",
        "simulation.grayscott.disc-radius=2", "simulation.grayscott.batch=4", "simulation.grayscott.kernel=java"));
    SYSTEMS.put("oscillator", List.of("system=oscillator", "generate.samples=300", "generate.partitions=3",
        "generate.seed=11"));
  }

  @TempDir
  static Path dir;

  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = StandaloneCluster.start(dir.resolve("cluster"), 2, 1, "1g");
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.stop();
    }
  }

  private static GenerateConfig config(String out, List<String> sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(sets);
    return GenerateConfig.from(ConfigLoader.load(null, all));
  }

  @Test
  void generateWritesTheSameDatasetsOnTheClusterAsInLocalMode() throws IOException, InterruptedException {
    Map<String, DatasetMetadata> local = new LinkedHashMap<>();
    try (SparkSession spark = SparkSessions.create("GenerateOnClusterIT local", "local[2]",
        Map.of("spark.ui.enabled", "false"))) {
      for (var system : SYSTEMS.entrySet()) {
        local.put(system.getKey(), GenerateJob.run(spark, config(dir.resolve("local-" + system.getKey()).toString(),
            system.getValue()), QUIET));
      }
    }

    Map<String, DatasetMetadata> onCluster = new LinkedHashMap<>();
    Map<String, DatasetChecksums.Result> fromFiles = new LinkedHashMap<>();
    String appId;
    // tasks start once both executors have registered (2 cores), so both run some
    try (SparkSession spark = SparkSessions.create("GenerateOnClusterIT", cluster.masterUrl(), Map.of(
        "spark.ui.enabled", "false", "spark.cores.max", "2", "spark.scheduler.minRegisteredResourcesRatio", "1.0"))) {
      assertEquals(cluster.masterUrl(), spark.sparkContext().master());
      appId = spark.sparkContext().applicationId();
      String shipped = spark.sparkContext().getConf().get("spark.jars");
      for (String jar : List.of("macronet-jobs.jar", "macronet-simulation-", "macronet-training-", "macronet-analysis-")) {
        assertTrue(shipped.contains("/" + jar), "spark.jars lacks " + jar + ": " + shipped);
      }
      for (var system : SYSTEMS.entrySet()) {
        String out = dir.resolve("cluster-" + system.getKey()).toString();
        onCluster.put(system.getKey(), GenerateJob.run(spark, config(out, system.getValue()), QUIET));
        fromFiles.put(system.getKey(), DatasetChecksums.compute(spark.read().parquet(out + "/dataset")));
      }
    }

    for (String system : SYSTEMS.keySet()) {
      DatasetMetadata expected = local.get(system);
      DatasetMetadata actual = onCluster.get(system);
      assertEquals(expected.rows(), actual.rows(), system);
      assertEquals(expected.checksum(), actual.checksum(), system);
      assertEquals(expected.kernel(), actual.kernel(), system);
      assertEquals(actual.rows(), fromFiles.get(system).rows(), system + ": rows in the written files");
      assertEquals(actual.checksum(), fromFiles.get(system).checksum(), system + ": checksum of the written files");
    }

    // It ran on the cluster: the master saw the application finish, and an executor on each
    // worker fetched the macronet jars from the driver and ran tasks.
    assertEquals("FINISHED", awaitCompletedApp(appId).path("state").asText());
    List<Path> logs = cluster.executorLogs(appId);
    assertEquals(2, logs.size(), "executor logs: " + logs);
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      assertTrue(text.contains("/jars/macronet-jobs.jar"), log + " shows no macronet-jobs.jar fetched from the driver");
      assertTrue(text.contains("Finished task"), log + " shows no finished task");
    }
  }

  /** The master's entry for a completed application; the master records it a moment after the driver stops. */
  private static JsonNode awaitCompletedApp(String appId) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      JsonNode state = cluster.masterState();
      for (JsonNode app : state.path("completedapps")) {
        if (appId.equals(app.path("id").asText())) {
          return app;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("application " + appId + " not among the master's completed apps: " + state);
      }
      Thread.sleep(200);
    }
  }
}
