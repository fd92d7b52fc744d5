package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
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
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;

/**
 * The data-parallel trainer's view of a dataset (read by the executors into cached blocks) against
 * the single JVM's (read by the driver), and the train job on each.
 */
class TrainingBlocksTest {
  private static final PrintStream QUIET = TestSpark.QUIET;
  private static final long SEED = 5;
  private static final double HOLDOUT = 0.2;

  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static org.apache.hadoop.fs.Path dataset;
  private static DatasetMetadata meta;
  private static PairData train;

  private static ConfigLoader loader(String out, String... sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0", "train.restarts=1",
        "generate.samples=900",
        "generate.partitions=3", "train.seed=" + SEED, "train.holdout=" + HOLDOUT, "train.log-every=1000"));
    all.addAll(List.of(sets));
    return ConfigLoader.load(new File("../conf/sho.conf"), all);
  }

  @BeforeAll
  static void generate() throws IOException {
    spark = TestSpark.local("TrainingBlocksTest");
    String run = dir.resolve("run").toString();
    meta = GenerateJob.run(spark, GenerateConfig.from(loader(run)), QUIET);
    dataset = new org.apache.hadoop.fs.Path(run, GenerateJob.DATASET);
    train = PairDatasets.load(spark, dataset, meta.uColumns(), meta.vColumns(), SEED, HOLDOUT).train();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static TrainingBlocks blocks(int partitions) throws IOException {
    return TrainingBlocks.load(spark, dataset, meta.uColumns(), meta.vColumns(), SEED, HOLDOUT, partitions);
  }

  @Test
  void executorsCutTheSameBlocksAsTheSingleJvm() throws IOException {
    for (int partitions : new int[] {1, 3, 7}) {
      try (TrainingBlocks blocks = blocks(partitions)) {
        List<PairBlock> got = blocks.rdd().collect();
        PairBlock[] expected = PairBlock.split(train, partitions);
        assertEquals(train.rows(), blocks.rows());
        assertEquals(partitions, got.size());
        for (int k = 0; k < partitions; k++) {
          String what = "block " + k + " of " + partitions;
          assertArrayEquals(expected[k].globalRows(), got.get(k).globalRows(), what);
          int[] all = java.util.stream.IntStream.range(0, expected[k].rows()).toArray();
          PairData want = expected[k].pairs().select(all);
          PairData have = got.get(k).pairs().select(all);
          assertArrayEquals(want.sampleIds(), have.sampleIds(), what);
          assertArrayEquals(want.u(), have.u(), what);
          assertArrayEquals(want.v(), have.v(), what);
        }
      }
    }
  }

  @Test
  void standardisationAndSelectedRowsMatchTheSingleJvm() throws IOException {
    Standardization stacked = Standardization.fit(train.stackedUV(), 2 * train.rows(), train.uDim());
    Standardization u = Standardization.fit(train.u(), train.rows(), train.uDim());
    Standardization v = Standardization.fit(train.v(), train.rows(), train.vDim());
    try (TrainingBlocks one = blocks(1)) {
      // one block sums u and v rows apart, then adds the two: equal to the stacked loop within a double's rounding
      assertClose(stacked, one.standardizationU(true), 1e-7);
      assertArrayEquals(u.mean(), one.standardizationU(false).mean());
      assertArrayEquals(u.std(), one.standardizationU(false).std());
      assertArrayEquals(v.mean(), one.standardizationV().mean());
      assertArrayEquals(v.std(), one.standardizationV().std());
    }
    try (TrainingBlocks four = blocks(4)) {
      assertClose(stacked, four.standardizationU(true), 1e-6);
      assertClose(u, four.standardizationU(false), 1e-6);
      assertClose(v, four.standardizationV(), 1e-6);
      int[] rows = {train.rows() - 1, 3, 400, 3, 0};
      PairData expected = train.select(rows);
      PairData got = four.select(rows);
      assertArrayEquals(expected.sampleIds(), got.sampleIds());
      assertArrayEquals(expected.u(), got.u());
      assertArrayEquals(expected.v(), got.v());
    }
  }

  private static void assertClose(Standardization expected, Standardization actual, double relative) {
    for (int j = 0; j < expected.dim(); j++) {
      assertEquals(expected.mean()[j], actual.mean()[j], relative * Math.max(1, Math.abs(expected.mean()[j])), "mean " + j);
      assertEquals(expected.std()[j], actual.std()[j], relative * expected.std()[j], "std " + j);
    }
  }

  @Test
  void trainingOnSparkWithOnePartitionGivesTheSingleJvmsModelBitForBit() throws IOException {
    // separate flows for u and v: their standardisations are summed exactly as in the single JVM
    String[] sets = {"train.shared=false", "train.steps=60", "train.threads=1", "train.checkpoint-every=0"};
    TrainJob.Result jvm = trainIn("jvm", sets, "train.mode=jvm");
    TrainJob.Result spark1 = trainIn("spark-1", sets, "train.mode=spark", "train.partitions=1");
    assertArrayEquals(jvm.model().params(), spark1.model().params());
    assertEquals(jvm.train(), spark1.train());
    assertEquals(jvm.heldOutTerms(), spark1.heldOutTerms());
    assertEquals(jvm.trainRows(), spark1.trainRows());
    assertEquals(jvm.heldOutRows(), spark1.heldOutRows());

    TrainJob.Result spark3 = trainIn("spark-3", sets, "train.mode=spark", "train.partitions=3");
    float[] a = jvm.model().params();
    float[] b = spark3.model().params();
    double maxAbs = 0;
    for (int i = 0; i < a.length; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
    }
    assertTrue(maxAbs < 1e-3, "3 partitions differ from the single JVM only in the order of additions: " + maxAbs);
    assertEquals(jvm.heldOutTerms().loss(), spark3.heldOutTerms().loss(), 1e-3);
  }

  private static TrainJob.Result trainIn(String name, String[] common, String... sets) throws IOException {
    Path run = dir.resolve(name);
    Files.createDirectories(run);
    // each run reads the one dataset: a link keeps the runs' checkpoints and models apart
    Files.createSymbolicLink(run.resolve(GenerateJob.DATASET), dir.resolve("run").resolve(GenerateJob.DATASET));
    List<String> all = new ArrayList<>(List.of(common));
    all.addAll(List.of(sets));
    return TrainJob.run(spark, TrainConfig.from(loader(run.toString(), all.toArray(String[]::new))), QUIET);
  }

  @Test
  void aDuplicatedSampleIdOrLocalStepsWithoutSparkAreRefusedByName() throws IOException {
    Path copy = dir.resolve("duplicated");
    Dataset<Row> ds = spark.read().parquet(dataset.toString());
    ds.union(ds.limit(1)).write().parquet(copy.resolve(GenerateJob.DATASET).toString());
    Files.copy(Path.of(dataset.toString(), DatasetMetadata.FILE), copy.resolve(GenerateJob.DATASET)
        .resolve(DatasetMetadata.FILE));
    long first = ds.limit(1).collectAsList().get(0).getLong(0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingBlocks.load(spark,
        new org.apache.hadoop.fs.Path(copy.resolve(GenerateJob.DATASET).toString()), meta.uColumns(), meta.vColumns(),
        SEED, 0.01, 2));
    assertTrue(e.getMessage().contains("sample_id " + first + " appears more than once"), e.getMessage());

    ConfigException c = assertThrows(ConfigException.class, () -> trainIn("local-steps-jvm",
        new String[] {"train.steps=10"}, "train.mode=jvm", "train.local-steps=4"));
    assertTrue(c.getMessage().contains("train.local-steps"), c.getMessage());
  }
}
