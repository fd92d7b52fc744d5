package org.macronet.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.train.TrainJob;

/**
 * Losing an executor in the middle of a job on a real Spark standalone cluster (a master and two
 * one-core workers on 127.0.0.1, started with deploy/local/cluster.sh): an {@link ExecutorKiller}
 * kills one executor JVM with SIGKILL while it runs a task, Spark reruns the lost work on the
 * executor left (and on the replacement the master starts, once it has registered), and the
 * job's output is the same as without the loss: generate writes the local-mode dataset, and
 * data-parallel training ends with bit-identical weights.
 *
 * <p>Recovery needs no tuned Spark settings: a SIGKILLed JVM's sockets are closed by the
 * kernel, so the driver removes the executor and resubmits its tasks at once, not after the
 * heartbeat or network timeouts (which only a hung or unreachable executor waits for), and a
 * task lost with its executor is retried well within {@code spark.task.maxFailures} (4).
 *
 * <p>Each test waits for both executors before it arms the killer; the order only lets the
 * replacement for the first test's victim start while the second generates its dataset.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExecutorLossIT {
  private static final PrintStream QUIET = TestSpark.QUIET;
  /** A ceiling for what the tests wait for; a new executor JVM takes 20 s on a busy 2-core host. */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final int EXECUTORS = 2;

  /**
   * Tiny Gray-Scott: 8 tasks of 2 samples each, a few hundred milliseconds per task on one core
   * (over a second for an executor's first), so that when the first task ends the other
   * executor is mid-task and six tasks wait.
   */
  private static final List<String> GRAYSCOTT = List.of("system=grayscott", "generate.samples=16",
      "generate.partitions=8", "generate.block=1", "generate.seed=5", "simulation.grayscott.size=32",
      "simulation.grayscott.steps=1500", "simulation.grayscott.disc-radius=3", "simulation.grayscott.batch=1",
      "simulation.grayscott.kernel=java");

  /** The oscillator of conf/sho.conf, trained on Spark in 4 partitions for 100 short steps. */
  private static final List<String> OSCILLATOR = List.of("train.restarts=1", "generate.samples=2000",
      "generate.partitions=2",
      "train.mode=spark", "train.partitions=4", "train.steps=100", "train.checkpoint-every=25",
      "train.log-every=1000");
  /** About step 25 of 100: reading the dataset and caching the blocks take a few jobs. */
  private static final int KILL_AFTER_JOBS = 30;

  @TempDir
  static Path dir;

  private static StandaloneCluster cluster;
  private static SparkSession spark;
  private static DatasetMetadata localGrayScott;

  @BeforeAll
  static void startCluster() throws IOException {
    cluster = StandaloneCluster.start(dir.resolve("cluster"), EXECUTORS, 1, "1g");
    // the reference dataset, in local mode before the driver joins the cluster (one SparkContext per JVM)
    try (SparkSession local = SparkSessions.create("ExecutorLossIT local", "local[2]",
        Map.of("spark.ui.enabled", "false"))) {
      localGrayScott = GenerateJob.run(local, generateConfig(dir.resolve("local-grayscott"), GRAYSCOTT), QUIET);
    }
    // tasks start once both executors have registered, so both run some
    spark = SparkSessions.create("ExecutorLossIT", cluster.masterUrl(), Map.of("spark.ui.enabled", "false",
        "spark.cores.max", String.valueOf(EXECUTORS), "spark.scheduler.minRegisteredResourcesRatio", "1.0"));
  }

  @AfterAll
  static void stopCluster() throws IOException {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.stop();
      }
    }
  }

  private static GenerateConfig generateConfig(Path out, List<String> sets) {
    return GenerateConfig.from(loader(null, out, sets));
  }

  private static ConfigLoader loader(String conf, Path out, List<String> sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(sets);
    return ConfigLoader.load(conf == null ? null : new File("../conf/" + conf), all);
  }

  @Test
  @Order(1)
  void generateWritesTheLocalModeDatasetWhenAnExecutorDiesMidJob() throws Exception {
    Path out = dir.resolve("grayscott");
    GenerateConfig config = generateConfig(out, GRAYSCOTT);
    DatasetMetadata written;
    ExecutorKiller killer = awaitExecutorsAndAddKiller(0);
    try {
      // Given a kill of the executor that runs a task when the job's first task ends,
      written = GenerateJob.run(spark, config, QUIET);
      // then the executor died mid-task and the driver saw it go,
      assertKilledAndRemoved(killer);
      assertTrue(killer.tasksLostWithVictim() >= 1, "no task failed with the killed executor");
    } finally {
      spark.sparkContext().removeSparkListener(killer);
    }

    // and the job still wrote the local-mode dataset,
    assertEquals(config.samples(), written.rows());
    assertEquals(localGrayScott.checksum(), written.checksum());
    // as the files show: every sample once, none partial or twice.
    Dataset<Row> files = spark.read().parquet(out.resolve(GenerateJob.DATASET).toString());
    DatasetChecksums.Result fromFiles = DatasetChecksums.compute(files);
    assertEquals(config.samples(), fromFiles.rows());
    assertEquals(localGrayScott.checksum(), fromFiles.checksum());
    Row ids = files.agg(functions.countDistinct(DatasetSchema.SAMPLE_ID), functions.min(DatasetSchema.SAMPLE_ID),
        functions.max(DatasetSchema.SAMPLE_ID)).first();
    assertEquals(config.samples(), ids.getLong(0), "distinct sample_ids");
    assertEquals(0L, ids.getLong(1));
    assertEquals(config.samples() - 1, ids.getLong(2));
    // Nothing of the lost attempts is left beside it.
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of(GenerateJob.DATASET), s.map(p -> p.getFileName().toString()).toList());
    }
    assertFalse(Files.exists(out.resolve(GenerateJob.DATASET).resolve("_temporary")));
  }

  @Test
  @Order(2)
  void sparkTrainingEndsWithTheSameWeightsWhenAnExecutorDiesMidRun() throws Exception {
    Path undisturbedRun = dir.resolve("train-undisturbed");
    Path disturbedRun = dir.resolve("train-disturbed");
    // on the executors there are: the master may still be starting the first test's replacement
    GenerateJob.run(spark, GenerateConfig.from(loader("sho.conf", undisturbedRun, OSCILLATOR)), QUIET);
    copyTree(undisturbedRun.resolve(GenerateJob.DATASET), disturbedRun.resolve(GenerateJob.DATASET));
    TrainConfig undisturbedConfig = TrainConfig.from(loader("sho.conf", undisturbedRun, OSCILLATOR));
    TrainConfig disturbedConfig = TrainConfig.from(loader("sho.conf", disturbedRun, OSCILLATOR));

    awaitExecutors();
    TrainJob.Result undisturbed = TrainJob.run(spark, undisturbedConfig, QUIET);

    // Given a kill of an executor some steps into the second run (each step is a Spark job),
    TrainJob.Result disturbed;
    ExecutorKiller killer = awaitExecutorsAndAddKiller(KILL_AFTER_JOBS);
    try {
      disturbed = TrainJob.run(spark, disturbedConfig, QUIET);
      // then the executor died mid-run, the driver saw it go, and later steps ran without it,
      assertKilledAndRemoved(killer);
      assertFalse(killer.ranTasksAfterRemoval().isEmpty(), "no task started after the executor was removed");
    } finally {
      spark.sparkContext().removeSparkListener(killer);
    }
    // and the run ended with the undisturbed run's weights, bit for bit.
    assertEquals(undisturbedConfig.steps(), disturbed.stepsRun());
    assertEquals(undisturbedConfig.steps(), undisturbed.stepsRun());
    assertArrayEquals(undisturbed.model().params(), disturbed.model().params());
  }

  /**
   * Waits until the cluster runs {@link #EXECUTORS} executors for the driver (after a kill the
   * master starts a replacement), then adds a killer that strikes after {@code afterJobs} jobs.
   */
  private static ExecutorKiller awaitExecutorsAndAddKiller(int afterJobs) throws InterruptedException {
    awaitExecutors();
    ExecutorKiller killer = new ExecutorKiller(cluster, spark.sparkContext().applicationId(), afterJobs);
    spark.sparkContext().addSparkListener(killer);
    return killer;
  }

  private static void awaitExecutors() throws InterruptedException {
    String app = spark.sparkContext().applicationId();
    // the status tracker lists the driver too
    await(() -> spark.sparkContext().statusTracker().getExecutorInfos().length == EXECUTORS + 1
        && cluster.executors().stream().filter(e -> app.equals(e.appId())).count() == EXECUTORS,
        () -> EXECUTORS + " executors for " + app + "; running: " + cluster.executors());
  }

  /** The killed executor's JVM is gone, and the driver removed it. */
  private static void assertKilledAndRemoved(ExecutorKiller killer) throws InterruptedException {
    StandaloneCluster.Executor killed = killer.killed();
    StandaloneCluster.awaitGone(killed.process(), TIMEOUT);
    assertFalse(killed.process().isAlive());
    assertTrue(cluster.executor(killed.appId(), killed.executorId()).isEmpty());
    // listener events arrive a moment after the fact
    await(() -> killer.removed().contains(killed.executorId()),
        () -> "the driver removing executor " + killed.executorId() + "; removed: " + killer.removed());
  }

  private static void await(BooleanSupplier condition, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + TIMEOUT + " for " + what.get());
      }
      Thread.sleep(100);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
