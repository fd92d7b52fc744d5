package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.cli.Main;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;

/**
 * Training on data larger than the heap. A Gray-Scott dataset whose training rows take about
 * 370 MB is trained on Spark (local mode, one core) by a JVM with a 256 MB heap, which holds the
 * driver and the executor at once: the blocks live in files on local disk, and the weights come out
 * byte for byte as in a JVM whose heap holds everything. The single-JVM trainer, which must hold
 * every row, refuses the same dataset in the same heap before it starts, and says what to do.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class OutOfCoreTrainingIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String SMALL_HEAP = "256m";
  private static final long SMALL_HEAP_BYTES = 256L << 20;
  private static final long CHILD_LIMIT_S = 300;
  /** 50,000 pairs of 2 x 32 x 32 patterns (8 KB a row), little simulation, a small dense flow. */
  private static final List<String> SETTINGS = List.of("system=grayscott", "generate.samples=50000",
      "generate.partitions=4", "generate.seed=3", "simulation.grayscott.size=32", "simulation.grayscott.steps=10",
      "simulation.grayscott.discs=1", "simulation.grayscott.disc-radius=2.0", "simulation.grayscott.kernel=java",
      "train.mode=spark", "train.partitions=2", "train.v-flow=realnvp", "train.shared=false", "train.couplings=2",
      "train.hidden=[8]", "train.steps=3", "train.batch=16", "train.warmup=0", "train.checkpoint-every=0",
      "train.log-every=1", "progress.interval=0");

  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static Path reference;
  private static TrainJob.Result fits;

  private static ConfigLoader config(Path out, String... more) {
    List<String> all = new ArrayList<>(SETTINGS);
    all.add("output.dir=" + out);
    all.addAll(List.of(more));
    return ConfigLoader.load(null, all);
  }

  @BeforeAll
  static void generateAndTrainWhereItFits() throws IOException {
    spark = TestSpark.local("OutOfCoreTrainingIT");
    // row groups of 16 MB, so that a reading task needs little heap for the Parquet pages
    spark.sparkContext().hadoopConfiguration().setInt("parquet.block.size", 16 << 20);
    reference = dir.resolve("fits");
    DatasetMetadata meta = GenerateJob.run(spark, GenerateConfig.from(config(reference)), TestSpark.QUIET);
    assertEquals(50_000, meta.rows());
    fits = TrainJob.run(spark, TrainConfig.from(config(reference)), TestSpark.QUIET);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void sparkTrainingInAHeapSmallerThanTheDataGivesTheSameWeights() throws Exception {
    long rowBytes = (long) (fits.model().net().uDim() + fits.model().net().vDim()) * Float.BYTES;
    long trainingBytes = fits.trainRows() * rowBytes;
    assertTrue(trainingBytes > SMALL_HEAP_BYTES * 5 / 4, "the training rows (" + trainingBytes + " bytes) must "
        + "exceed the small heap with room to spare");

    Path run = copyOfDataset("small-heap");
    Child c = train(run, "train.mode=spark");
    assertEquals(0, c.exit(), c.log());
    assertArrayEquals(Files.readAllBytes(reference.resolve("model/model.safetensors")),
        Files.readAllBytes(run.resolve("model/model.safetensors")), "weights trained in a " + SMALL_HEAP + " heap");
    assertTrue(c.log().contains(String.format(java.util.Locale.ROOT, "held-out loss %.4f", fits.heldOutTerms().loss())), c.log());
  }

  @Test
  void theSingleJvmTrainerRefusesWhatItsHeapCannotHold() throws Exception {
    Path run = copyOfDataset("refused");
    Child c = train(run, "train.mode=jvm");
    assertEquals(2, c.exit(), c.log());
    assertTrue(c.log().contains("train.mode: the single-JVM trainer holds every row in its heap"), c.log());
    assertTrue(c.log().contains("set train.mode=spark"), c.log());
    assertTrue(c.log().contains("-Xmx"), c.log());
    assertFalse(c.log().contains("OutOfMemoryError"), c.log());
    assertFalse(Files.exists(run.resolve("model")), "a refused run leaves no model");
  }

  private record Child(int exit, String log) {}

  /** {@code macronet train} in a JVM of {@link #SMALL_HEAP} heap, Spark in local mode on one core. */
  private static Child train(Path run, String mode) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + SMALL_HEAP));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-Djdk.") || option.startsWith("-Dio.netty.")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--master", "local[1]"));
    List<String> sets = new ArrayList<>(SETTINGS);
    sets.addAll(List.of("output.dir=" + run, mode, "spark.ui.enabled=false",
        // Spark keeps 300 MB of any heap for itself unless told otherwise; its own tests lower this too
        "spark.testing.reservedMemory=0"));
    for (String set : sets) {
      command.addAll(List.of("--set", set));
    }
    Path log = dir.resolve(run.getFileName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("MACRONET_HOME");
    Process p = pb.start();
    if (!p.waitFor(CHILD_LIMIT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("macronet train still ran after " + CHILD_LIMIT_S + " s:\n" + Files.readString(log));
    }
    return new Child(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  /** A run folder holding a copy of the reference run's dataset. */
  private static Path copyOfDataset(String name) throws IOException {
    Path run = dir.resolve(name);
    Path from = reference.resolve(GenerateJob.DATASET);
    Path to = run.resolve(GenerateJob.DATASET);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    return run;
  }
}
