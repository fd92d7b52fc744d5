package org.macronet.jobs.train;

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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.Checkpoints;

/** {@code train.restarts}: several trainings, the one with the lowest validation loss kept, resumable. */
@Timeout(600)
class RestartsTest {
  private static final PrintStream QUIET = TestSpark.QUIET;
  private static final String[] SETS = {"generate.samples=1500", "train.steps=120", "train.checkpoint-every=40",
      "train.log-every=1000", "train.restarts=3"};
  private static SparkSession spark;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("RestartsTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static ConfigLoader loader(String out, String... more) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(List.of(SETS));
    all.addAll(List.of(more));
    return ConfigLoader.load(new File("../conf/sho.conf"), all);
  }

  @Test
  void keepsTheRestartWithTheLowestValidationLossAndResumesWithoutRetrainingFinishedOnes() throws IOException {
    String a = dir.resolve("a").toString();
    String b = dir.resolve("b").toString();
    for (String out : List.of(a, b)) {
      GenerateJob.run(spark, GenerateConfig.from(loader(out)), QUIET);
    }
    TrainJob.Result full = TrainJob.run(spark, TrainConfig.from(loader(a)), QUIET);
    assertEquals(3 * 120, full.stepsRun());
    JsonNode result = full.model().description().path("result");
    JsonNode restarts = result.path("restarts");
    JsonNode runs = restarts.path("runs");
    assertEquals(3, runs.size(), restarts.toString());
    // restart 0 is train.seed itself; the others have seeds of their own
    assertEquals(1, runs.get(0).path("seed").asLong());
    Set<Long> seeds = new HashSet<>();
    int best = 0;
    for (int r = 0; r < 3; r++) {
      seeds.add(runs.get(r).path("seed").asLong());
      if (runs.get(r).path("validation").path("loss").asDouble()
          < runs.get(best).path("validation").path("loss").asDouble()) {
        best = r;
      }
    }
    assertEquals(3, seeds.size(), restarts.toString());
    assertEquals(best, restarts.path("selected").asInt(), restarts.toString());
    // the kept model is the selected restart's: its permutations come from that restart's seed
    assertEquals(runs.get(best).path("seed").asLong(),
        full.model().description().path("architecture").path("permutation_seed").asLong());
    // the validation rows come out of the training rows; the held-out rows are those of train.seed alone
    int validation = restarts.path("validation_rows").asInt();
    assertTrue(validation > 0 && validation < full.trainRows() / 4, restarts.toString());
    assertEquals(1500, full.trainRows() + validation + full.heldOutRows());
    org.apache.hadoop.fs.Path dataset = new org.apache.hadoop.fs.Path(a, GenerateJob.DATASET);
    var all = PairDatasets.loadAll(spark, dataset, full.model().uColumns(), full.model().vColumns());
    assertEquals(PairDatasets.split(all, 1, 0.1, dataset).heldOut().rows(), full.heldOutRows());

    // b: the same training killed in the third restart after its step-80 checkpoint (the log was
    // written just before the checkpoint at step 120, which is lost)
    TrainJob.run(spark, TrainConfig.from(loader(b)), QUIET);
    Path third = Path.of(b, Checkpoints.DIR, TrainJob.RESTART + 2);
    try (var s = Files.list(third)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!name.equals("step-0000000080") && !name.equals(TrainJob.TRAINING_LOG)) {
          deleteTree(p);
        }
      }
    }
    deleteTree(Path.of(b, TrainJob.MODEL));
    TrainJob.Result resumed = TrainJob.run(spark, TrainConfig.from(loader(b, "train.resume=true")), QUIET);
    assertEquals(40, resumed.stepsRun(), "only the third restart's last 40 steps run again");
    assertArrayEquals(full.model().params(), resumed.model().params());
    assertEquals(restarts, resumed.model().description().path("result").path("restarts"));
    assertEquals(Files.readString(Path.of(a, TrainJob.MODEL, TrainJob.TRAINING_LOG)),
        Files.readString(Path.of(b, TrainJob.MODEL, TrainJob.TRAINING_LOG)));

    // without train.resume, the restarts' checkpoints are not overwritten
    deleteTree(Path.of(b, TrainJob.MODEL));
    ConfigException e = assertThrows(ConfigException.class,
        () -> TrainJob.run(spark, TrainConfig.from(loader(b)), QUIET));
    assertTrue(e.getMessage().contains("train.resume") && e.getMessage().contains(TrainJob.RESTART + 0),
        e.getMessage());
  }

  @Test
  void theDataParallelTrainerRestartsOnTheSameRows() throws IOException {
    String jvm = dir.resolve("jvm").toString();
    String onSpark = dir.resolve("spark").toString();
    for (String out : List.of(jvm, onSpark)) {
      GenerateJob.run(spark, GenerateConfig.from(loader(out)), QUIET);
    }
    TrainJob.Result single = TrainJob.run(spark, TrainConfig.from(loader(jvm, "train.restarts=2")), QUIET);
    TrainJob.Result parallel = TrainJob.run(spark, TrainConfig.from(loader(onSpark, "train.restarts=2",
        "train.mode=spark", "train.partitions=3")), QUIET);
    JsonNode a = single.model().description().path("result");
    JsonNode b = parallel.model().description().path("result");
    assertEquals("spark", b.path("trainer").path("mode").asText());
    assertEquals(2, b.path("restarts").path("runs").size(), b.toString());
    // the executors hold the same training, validation and held-out rows as the single JVM
    assertEquals(single.trainRows(), parallel.trainRows());
    assertEquals(single.heldOutRows(), parallel.heldOutRows());
    assertEquals(a.path("restarts").path("validation_rows"), b.path("restarts").path("validation_rows"));
    // and each restart trains the same model up to float rounding: the validation losses agree
    for (int r = 0; r < 2; r++) {
      double x = a.path("restarts").path("runs").get(r).path("validation").path("loss").asDouble();
      double y = b.path("restarts").path("runs").get(r).path("validation").path("loss").asDouble();
      assertEquals(x, y, 1e-3 * Math.max(1, Math.abs(x)), "restart " + r);
    }
  }

  @Test
  void restartSettingsAreCheckedAndLeaveSingleTrainingsAsTheyWere() {
    String out = dir.resolve("config").toString();
    TrainConfig three = TrainConfig.from(loader(out));
    assertEquals(three.seed(), three.restartSeed(0));
    assertFalse(three.restartSeed(1) == three.restartSeed(2));
    assertFalse(TrainConfig.from(loader(out, "train.seed=2")).restartSeed(1) == three.restartSeed(1));
    assertThrows(IllegalArgumentException.class, () -> three.restartSeed(3));
    assertTrue(three.resolved().containsKey("train.restarts"));
    // one training: the keys stay out of the resolved settings, so earlier models keep their fingerprint
    TrainConfig one = TrainConfig.from(loader(out, "train.restarts=1"));
    assertFalse(one.resolved().containsKey("train.restarts") || one.resolved().containsKey("train.validation"));
    for (String bad : List.of("train.restarts=0", "train.validation=1", "train.validation=0")) {
      ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.from(loader(out, bad)));
      assertTrue(e.getMessage().startsWith(bad.substring(0, bad.indexOf('='))), e.getMessage());
    }
  }
}
