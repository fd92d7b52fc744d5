package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.ChildDriver;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.Checkpoints;
import org.macronet.jobs.model.ModelArtifact;

/**
 * {@code macronet train} with data-parallel Spark training survives the death of its driver: the
 * command runs in a JVM of its own, is killed with SIGKILL after it has written a checkpoint, and
 * {@code train.resume=true} then finishes with the weights of a run that was never interrupted.
 */
class DriverKilledTest {
  private static final long STEPS = 200;
  private static final long CHECKPOINT_EVERY = 20;
  /** JVM and Spark start, dataset load and the first checkpoint's steps, on a busy two-core machine. */
  private static final Duration FIRST_CHECKPOINT = Duration.ofMinutes(3);
  private static final Path CONF = ChildDriver.conf();

  @TempDir
  static Path dir;

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("DriverKilledTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** The oscillator on Spark, three partitions, a checkpoint every 20 of 200 steps. */
  private static List<String> sets(Path run, String... more) {
    List<String> sets = new ArrayList<>(List.of("output.dir=" + run, "progress.interval=0", "train.restarts=1",
        "generate.samples=2000", "train.mode=spark", "train.partitions=3", "train.steps=" + STEPS,
        "train.checkpoint-every=" + CHECKPOINT_EVERY,
        "train.log-every=" + CHECKPOINT_EVERY));
    sets.addAll(List.of(more));
    return sets;
  }

  private static ConfigLoader loader(Path run, String... more) {
    return ConfigLoader.load(CONF.resolve("sho.conf").toFile(), sets(run, more));
  }

  @Test
  void trainingKilledWithItsDriverResumesToTheWeightsOfAnUninterruptedRun() throws Exception {
    Path killed = dir.resolve("killed");
    Path uninterrupted = dir.resolve("uninterrupted");
    for (Path run : List.of(killed, uninterrupted)) {
      GenerateJob.run(spark, GenerateConfig.from(loader(run)), TestSpark.QUIET);
    }

    // Given a driver that has written a checkpoint and is still training,
    Path log = dir.resolve("driver.log");
    Process driver = startDriver(killed, log);
    Path checkpoints = killed.resolve(Checkpoints.DIR);
    try {
      awaitCheckpoint(driver, checkpoints, log);
      assertTrue(driver.isAlive(), () -> "the driver exited by itself before it was killed\n" + output(log));
    } finally {
      // when it is killed with SIGKILL (no shutdown hook, no cleanup),
      driver.destroyForcibly();
      assertTrue(driver.waitFor(1, TimeUnit.MINUTES), "the killed driver did not exit");
    }
    assertEquals(128 + 9, driver.exitValue(), () -> "the driver did not die of SIGKILL\n" + output(log));
    assertTrue(output(log).contains("Spark, 3 partitions"), () -> "the driver did not train on Spark\n" + output(log));

    // then no model was published and the checkpoints written before the kill remain,
    assertFalse(Files.exists(killed.resolve(TrainJob.MODEL)), () -> "a model was published\n" + output(log));
    FileSystem fs = FileSystem.getLocal(new Configuration());
    List<Long> steps = new Checkpoints(fs, new org.apache.hadoop.fs.Path(killed.toString()), "").steps();
    assertFalse(steps.isEmpty(), () -> "no checkpoint survived the kill\n" + output(log));
    long last = steps.get(steps.size() - 1);
    assertTrue(last >= CHECKPOINT_EVERY && last < STEPS && last % CHECKPOINT_EVERY == 0,
        () -> "latest checkpoint at step " + last + "\n" + output(log));

    // and resuming trains only the steps after the latest of them, to the uninterrupted run's weights.
    TrainJob.Result full = TrainJob.run(spark, TrainConfig.from(loader(uninterrupted)), TestSpark.QUIET);
    ByteArrayOutputStream resumeLog = new ByteArrayOutputStream();
    TrainJob.Result resumed = TrainJob.run(spark, TrainConfig.from(loader(killed, "train.resume=true")),
        new PrintStream(resumeLog, true, StandardCharsets.UTF_8));
    String resumeOutput = resumeLog.toString(StandardCharsets.UTF_8);
    assertTrue(resumeOutput.contains("resuming from the checkpoint at step " + last + "\n"), resumeOutput);
    assertEquals(STEPS - last, resumed.stepsRun(), resumeOutput);
    assertEquals(STEPS, full.stepsRun());
    float[] expected = ModelArtifact.read(fs, new org.apache.hadoop.fs.Path(uninterrupted.toString(), TrainJob.MODEL))
        .params();
    float[] actual = ModelArtifact.read(fs, new org.apache.hadoop.fs.Path(killed.toString(), TrainJob.MODEL)).params();
    assertArrayEquals(expected, actual, () -> "resumed from step " + last + ":\n" + resumeOutput
        + "\nkilled driver's output:\n" + output(log));
  }

  /** {@code macronet train} on {@code run} in a new JVM, its stdout and stderr in {@code log}. */
  private static Process startDriver(Path run, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("train", "--conf", CONF.resolve("sho.conf").toString()));
    for (String set : sets(run)) {
      args.addAll(List.of("--set", set));
    }
    return ChildDriver.start(args, log);
  }

  /** Waits until {@code checkpoints} holds a finished checkpoint; fails if the driver exits first. */
  private static void awaitCheckpoint(Process driver, Path checkpoints, Path log)
      throws IOException, InterruptedException {
    ChildDriver.awaitEntry(driver, checkpoints, name -> name.matches("step-\\d{10}"), FIRST_CHECKPOINT, log);
  }

  private static String output(Path log) {
    return ChildDriver.output(log);
  }
}
