package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.simulation.PairSystem;
import org.macronet.training.flow.BoxLogit;

/**
 * Training options for a system of patterns and bounded parameters (Gray-Scott): {@code train.augment},
 * patterns trained on under random lattice symmetries, with the same weights in the single JVM and
 * on Spark, refused where the system declares no symmetry; {@code train.u-box}, u's flow on the
 * prior's box, saved with the model and designing inside the box.
 */
@Timeout(600)
class ImageTrainingOptionsTest {
  private static final List<String> BASE = List.of("system=grayscott", "progress.interval=0",
      "generate.samples=80", "generate.partitions=2", "simulation.grayscott.size=16",
      "simulation.grayscott.steps=200", "simulation.grayscott.discs=2", "simulation.grayscott.disc-radius=2.0",
      "simulation.grayscott.kernel=java", "simulation.grayscott.batch=8", "train.holdout=0.25", "train.steps=12",
      "train.batch=8", "train.warmup=2", "train.couplings=2", "train.hidden=[16]", "train.threads=1",
      "train.checkpoint-every=0", "train.log-every=1000", "train.image.scales=2", "train.image.steps=1",
      "train.image.hidden=[4, 4]", "train.image.head-couplings=1", "train.image.head-hidden=[16]");

  @TempDir
  static Path dir;

  private static SparkSession spark;

  private static ConfigLoader loader(String out, String... sets) {
    List<String> all = new ArrayList<>(BASE);
    all.add("output.dir=" + out);
    all.addAll(List.of(sets));
    return ConfigLoader.load(null, all);
  }

  @BeforeAll
  static void generate() throws IOException {
    spark = TestSpark.local("ImageTrainingOptionsTest");
    GenerateJob.run(spark, GenerateConfig.from(loader(dir.resolve("data").toString())), TestSpark.QUIET);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static TrainJob.Result trainIn(String name, String... sets) throws IOException {
    Path run = dir.resolve(name);
    Files.createDirectories(run);
    Files.createSymbolicLink(run.resolve(GenerateJob.DATASET), dir.resolve("data").resolve(GenerateJob.DATASET));
    return TrainJob.run(spark, TrainConfig.from(loader(run.toString(), sets)), TestSpark.QUIET);
  }

  @Test
  void theLatticeAugmentationTrainsTheSameWeightsInTheSingleJvmAndOnSpark() throws IOException {
    TrainJob.Result jvm = trainIn("jvm", "train.mode=jvm", "train.augment=lattice");
    TrainJob.Result spark1 = trainIn("spark-1", "train.mode=spark", "train.partitions=1", "train.augment=lattice");
    assertArrayEquals(jvm.model().params(), spark1.model().params());
    assertEquals(jvm.heldOutTerms(), spark1.heldOutTerms());
    // the augmentation changes what is trained on, and the run records it
    TrainJob.Result plain = trainIn("plain", "train.mode=jvm");
    assertFalse(Arrays.equals(plain.model().params(), jvm.model().params()));
    assertEquals("lattice", jvm.model().description().path("training").path("train.augment").asText(),
        jvm.model().description().toString());
    assertTrue(plain.model().description().path("training").path("train.augment").isMissingNode());
  }

  @Test
  void theUBoxIsSavedWithTheModelAndEveryDesignLiesInThePriorsBox() throws IOException {
    TrainJob.Result boxed = trainIn("boxed", "train.mode=jvm", "train.u-box=prior");
    ModelArtifact read = ModelArtifact.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(dir.resolve("boxed").toString(), "model"));
    assertEquals(boxed.model().spec(), read.spec());
    assertArrayEquals(boxed.model().params(), read.params());
    // the prior of the defaults, F ~ U(0.01, 0.06) among them, widened by 0.1 % of each width and 8
    // standard deviations of the default noise (0.01 of a uniform's width / sqrt(12))
    BoxLogit.Bounds box = read.spec().boxU();
    assertEquals(List.of("Da", "Db", "F", "k"), read.uColumns());
    double margin = 0.05 * (1e-3 + 8 * 0.01 / Math.sqrt(12));
    assertEquals(0.01 - margin, box.low()[2], 1e-12);
    assertEquals(0.06 + margin, box.high()[2], 1e-12);
    assertEquals("prior", read.description().path("training").path("train.u-box").asText());
    // designs from anywhere in the latent space, as a high temperature draws them, stay inside
    int n = 400;
    float[] z = new float[n * 4];
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (6 * r.nextGaussian());
    }
    float[] u = read.net().flowU().inverse(read.params(), read.net().baseU(), z, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        float x = u[4 * i + j];
        // up to float rounding: a latent point far out lands on the edge, and the standardisation's
        // inverse (y std + mean, in float) may round it a few ulps past
        double slack = 1e-6 * (box.high()[j] - box.low()[j]);
        assertTrue(x >= box.low()[j] - slack && x <= box.high()[j] + slack, "design " + i + ", column " + j + ": " + x);
      }
    }
    // and the same data without the box trains another model
    TrainJob.Result plain = trainIn("unboxed", "train.mode=jvm");
    assertNull(plain.model().spec().boxU());
    assertFalse(Arrays.equals(plain.model().params(), boxed.model().params()));
  }

  @Test
  void anAugmentationTheSystemDoesNotDeclareIsRefusedByName() {
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> TrainConfig.from(loader(dir.resolve("x").toString(), "train.augment=rotations")));
    assertTrue(unknown.getMessage().contains("train.augment") && unknown.getMessage().contains("rotations"),
        unknown.getMessage());
    ConfigException undeclared = assertThrows(ConfigException.class, () -> TrainConfig.from(ConfigLoader.load(
        new File("../conf/sho.conf"), List.of("output.dir=" + dir.resolve("y"), "train.augment=translations"))));
    assertTrue(undeclared.getMessage().contains("train.augment") && undeclared.getMessage().contains("declares none"),
        undeclared.getMessage());
    ConfigException shared = assertThrows(ConfigException.class, () -> TrainConfig.from(ConfigLoader.load(
        new File("../conf/sho.conf"), List.of("output.dir=" + dir.resolve("w"), "train.u-box=prior"))));
    assertTrue(shared.getMessage().contains("train.u-box") && shared.getMessage().contains("separate flows"),
        shared.getMessage());
    ConfigException bad = assertThrows(ConfigException.class,
        () -> TrainConfig.from(loader(dir.resolve("v").toString(), "train.u-box=box")));
    assertTrue(bad.getMessage().contains("train.u-box") && bad.getMessage().contains("'box'"), bad.getMessage());
    assertEquals(PairSystem.Symmetry.TRANSLATIONS,
        TrainConfig.from(loader(dir.resolve("z").toString(), "train.augment=translations")).augment());
  }
}
