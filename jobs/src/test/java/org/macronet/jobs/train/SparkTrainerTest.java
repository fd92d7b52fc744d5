package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.dataset.SimulatedPairs;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.prior.Prior;
import org.macronet.systems.oscillator.HarmonicOscillator;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.LossAggregator;
import org.macronet.training.macronet.LossSpec;
import org.macronet.training.macronet.MacroNetLoss;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.MacroNetTrainer;
import org.macronet.training.macronet.TrainSettings;
import org.macronet.training.macronet.TrainingDivergedException;
import org.macronet.training.macronet.TrainingListener;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.LearningRateSchedule;

/** The data-parallel trainer on a real local Spark against the single-JVM loop. */
class SparkTrainerTest {
  private static final int ROWS = 2000;
  private static final int BATCH = 256;
  private static final MacroNetSpec SPEC =
      new MacroNetSpec(2, 2, 1, true, 4, new int[] {16, 16}, Activation.TANH, 2.0, true, 0.01, 7);
  private static SparkSession spark;
  private static PairData data;
  private static LossSpec lossSpec;

  @BeforeAll
  static void startSpark() throws Exception {
    spark = TestSpark.local("SparkTrainerTest");
    data = oscillator(ROWS, 1);
    lossSpec = LossSpec.fit(SPEC, data, 1.0, 0.01);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  static PairData oscillator(int rows, long seed) throws Exception {
    HarmonicOscillator sho = new HarmonicOscillator(Prior.of(HarmonicOscillator.PARAMETERS, HarmonicOscillator.defaultPrior()));
    try (PairSystem.BlockSimulator sim = sho.openSimulator()) {
      return SimulatedPairs.ofScalars(sho, sim.simulate(new PairSystem.Sampling(seed, 1), 0, rows));
    }
  }

  private static TrainSettings settings(long steps, double lr, double clip, int threads, long checkpointEvery) {
    return new TrainSettings(steps, BATCH, new LearningRateSchedule(lr, LearningRateSchedule.Kind.COSINE, 20, steps,
        0.05), clip, 11, threads, checkpointEvery, 1_000_000);
  }

  /** Parameters away from the initial ones, so that every gradient component is exercised. */
  private static float[] perturbedParams(MacroNetTrainer t) {
    float[] p = t.initialState(data).params();
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < p.length; i++) {
      p[i] += (float) (0.05 * r.nextGaussian());
    }
    return p;
  }

  private static LossAggregator singleLoop(MacroNetLoss loss, float[] p, int[] rows, long noiseSeed) {
    LossAggregator agg = new LossAggregator(p.length);
    loss.newEvaluator(rows.length).accumulate(p, data, rows, 0, rows.length, true, noiseSeed, agg);
    return agg;
  }

  private static void assertClose(LossAggregator expected, LossAggregator actual) {
    assertEquals(expected.weightSum(), actual.weightSum());
    assertEquals(expected.lossSum(), actual.lossSum(), 1e-6 * Math.abs(expected.lossSum()));
    double[] g = expected.gradientSum();
    double[] h = actual.gradientSum();
    double scale = Arrays.stream(g).map(Math::abs).max().orElse(1);
    for (int i = 0; i < g.length; i++) {
      assertEquals(g[i], h[i], 1e-5 * scale, "gradient component " + i);
    }
  }

  @Test
  void sparkSumsEqualTheSingleLoopWithUnevenAndEmptyPartitions() {
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings(10, 1e-3, 10, 1, 0))) {
      float[] p = perturbedParams(st.trainer());
      int[] rows = new MinibatchSchedule(11, ROWS, BATCH).indices(5);
      long noiseSeed = MacroNetTrainer.noiseSeed(11, 5);
      LossAggregator expected = singleLoop(lossSpec.loss(), p, rows, noiseSeed);

      // Given partitions of 7, 0, 1,193 and 800 rows,
      List<PairBlock> uneven = List.of(PairBlock.slice(data, 0, 7), PairBlock.slice(data, 7, 7),
          PairBlock.slice(data, 7, 1200), PairBlock.slice(data, 1200, ROWS));
      JavaRDD<PairBlock> blocks = st.distribute(uneven);
      // when the minibatch sums are computed on Spark, then they equal the single loop's to float
      // tolerance (the float sums within a partition's share group the rows differently),
      LossAggregator sums = st.sums(blocks, p, rows, noiseSeed);
      assertClose(expected, sums);
      // and the mean gradient is the sum over the total weight, whatever the partition sizes.
      assertEquals(BATCH, sums.weightSum());
      blocks.unpersist(false);

      // With one partition the rows are evaluated in the same order in one chunk: bit-identical.
      JavaRDD<PairBlock> one = st.distribute(data, 1);
      LossAggregator oneSums = st.sums(one, p, rows, noiseSeed);
      assertArrayEquals(expected.gradientSum(), oneSums.gradientSum());
      assertEquals(expected.lossSum(), oneSums.lossSum());
      one.unpersist(false);

      // Twelve partitions take one level of the combining tree on executors; reruns are bit-identical.
      JavaRDD<PairBlock> twelve = st.distribute(data, 12);
      LossAggregator a = st.sums(twelve, p, rows, noiseSeed);
      LossAggregator b = st.sums(twelve, p, rows, noiseSeed);
      assertClose(expected, a);
      assertArrayEquals(a.gradientSum(), b.gradientSum());
      assertEquals(a.lossSum(), b.lossSum());
      twelve.unpersist(false);
    }
  }

  @Test
  void aPartitionHoldingNoneOfTheMinibatchAddsAnEmptyAggregator() {
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings(10, 1e-3, 10, 1, 0))) {
      float[] p = perturbedParams(st.trainer());
      int[] rows = {3, 5, 3, 8};
      long noiseSeed = 42;
      // Given rows 0..9 in the first partition and the rest in a second one that the minibatch misses,
      JavaRDD<PairBlock> blocks = st.distribute(List.of(PairBlock.slice(data, 0, 10), PairBlock.slice(data, 10, ROWS)));
      LossAggregator sums = st.sums(blocks, p, rows, noiseSeed);
      // then the sums are the first partition's alone, bit for bit.
      LossAggregator expected = singleLoop(lossSpec.loss(), p, rows, noiseSeed);
      assertArrayEquals(expected.gradientSum(), sums.gradientSum());
      assertEquals(expected.lossSum(), sums.lossSum());
      assertEquals(4, sums.weightSum());
      blocks.unpersist(false);
    }
  }

  @Test
  void oscillatorRunIsBitIdenticalWhenRerunAndMatchesTheSingleJvmTrainer() {
    long steps = 300;
    TrainSettings settings = settings(steps, 2e-3, 10, 2, 0);
    float[][] runs = new float[2][];
    long t0 = System.nanoTime();
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings)) {
      JavaRDD<PairBlock> blocks = st.distribute(data, 4);
      for (int k = 0; k < 2; k++) {
        TrainingState s = st.train(blocks, ROWS, st.trainer().initialState(data), TrainingListener.NONE);
        runs[k] = s.params();
      }
      blocks.unpersist(false);
    }
    double sparkSeconds = (System.nanoTime() - t0) / 1e9 / 2;
    assertArrayEquals(runs[0], runs[1], "a rerun with 4 partitions is bit-identical");

    MacroNetTrainer single = new MacroNetTrainer(lossSpec.loss(), settings);
    long t1 = System.nanoTime();
    float[] jvm = single.train(data, single.initialState(data), TrainingListener.NONE).params();
    double jvmSeconds = (System.nanoTime() - t1) / 1e9;
    double maxRel = 0;
    double maxAbs = 0;
    for (int i = 0; i < jvm.length; i++) {
      double d = Math.abs(jvm[i] - runs[0][i]);
      maxAbs = Math.max(maxAbs, d);
      maxRel = Math.max(maxRel, d / Math.max(1e-3, Math.abs(jvm[i])));
    }
    System.out.printf("oscillator %d steps of %d: Spark 4 partitions %.2f s (%.1f ms/step), single JVM 2 threads "
            + "%.2f s (%.1f ms/step); max |diff| %.3g, max relative %.3g, bit-identical %b%n", steps, BATCH, sparkSeconds,
        1e3 * sparkSeconds / steps, jvmSeconds, 1e3 * jvmSeconds / steps, maxAbs, maxRel, Arrays.equals(jvm, runs[0]));
    // the two differ only in the order of float additions; after 300 Adam steps that is still small
    assertTrue(maxAbs < 1e-3, "max |spark - jvm| = " + maxAbs);
    assertEquals(lossOf(single, jvm), lossOf(single, runs[0]), 1e-4);
  }

  private static double lossOf(MacroNetTrainer t, float[] params) {
    return t.evaluate(params, data).loss();
  }

  @Test
  void resumedFromACheckpointEqualsUninterruptedAndDivergenceNamesTheStep() {
    TrainSettings settings = settings(40, 2e-3, 10, 1, 20);
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings)) {
      JavaRDD<PairBlock> blocks = st.distribute(data, 3);
      List<TrainingState> saved = new ArrayList<>();
      TrainingListener keep = new TrainingListener() {
        @Override
        public void onCheckpoint(TrainingState s) {
          org.macronet.training.optim.Adam adam = new org.macronet.training.optim.Adam(s.params().length);
          adam.restore(s.adam().firstMoment(), s.adam().secondMoment(), s.adam().stepCount());
          saved.add(new TrainingState(s.params().clone(), adam, s.stepsDone()));
        }
      };
      float[] whole = st.train(blocks, ROWS, st.trainer().initialState(data), keep).params();
      assertEquals(1, saved.size());
      assertEquals(20, saved.get(0).stepsDone());
      float[] resumed = st.train(blocks, ROWS, saved.get(0), TrainingListener.NONE).params();
      assertArrayEquals(whole, resumed);

      // A learning rate of 1e6 without clipping: the run stops with the step named.
      try (SparkTrainer bad = new SparkTrainer(spark, lossSpec, settings(40, 1e6, 0, 1, 0))) {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
            () -> bad.train(blocks, ROWS, bad.trainer().initialState(data), TrainingListener.NONE));
        assertTrue(e.getMessage().contains("training diverged at step " + e.step() + ":"), e.getMessage());
        assertFalse(e.step() >= 40);
      }
      blocks.unpersist(false);
    }
  }

  @Test
  void aNonFiniteValueInOnePartitionStopsTheRunNamingTheStepAndThePartition() {
    PairBlock[] parts = PairBlock.split(data, 3);
    // a NaN in the second block: only partition 1's sums become non-finite
    PairData p1 = (PairData) parts[1].pairs();
    float[] u = p1.u().clone();
    u[0] = Float.NaN;
    parts[1] = new PairBlock(new PairData(u, p1.uDim(), p1.v(), p1.vDim(), p1.sampleIds()), parts[1].globalRows());
    TrainSettings settings = new TrainSettings(20, ROWS, new LearningRateSchedule(1e-3,
        LearningRateSchedule.Kind.CONSTANT, 0, 20, 1), 10, 11, 1, 0, 1_000_000);
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings)) {
      JavaRDD<PairBlock> blocks = st.distribute(Arrays.asList(parts));
      TrainingState start = st.trainer().initialState(data);
      float[] before = start.params().clone();
      TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
          () -> st.train(blocks, ROWS, start, TrainingListener.NONE));
      assertEquals(0, e.step());
      assertTrue(e.getMessage().contains("partition 1 of 3"), e.getMessage());
      assertArrayEquals(before, start.params(), "the bad update never reaches the parameters");
      // local SGD names the partition too
      TrainingState again = st.trainer().initialState(data);
      TrainingDivergedException r = assertThrows(TrainingDivergedException.class,
          () -> st.train(blocks, ROWS, again, TrainingListener.NONE, 4));
      assertEquals(0, r.step());
      assertTrue(r.getMessage().contains("part 1 of the data"), r.getMessage());
      blocks.unpersist(false);
    }
  }

  @Test
  void distributedEvaluationEqualsTheSingleJvmsBitForBitOnOnePartition() {
    MacroNetTrainer single = new MacroNetTrainer(lossSpec.loss(), settings(10, 1e-3, 10, 1, 0));
    float[] p = perturbedParams(single);
    LossAggregator.LossTerms expected = single.evaluate(p, data);
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings(10, 1e-3, 10, 1, 0))) {
      JavaRDD<PairBlock> one = st.distribute(data, 1);
      assertEquals(expected, st.evaluate(one, p));
      one.unpersist(false);
      // three blocks cut the forward passes elsewhere: float sums in another order
      JavaRDD<PairBlock> three = st.distribute(data, 3);
      LossAggregator.LossTerms t = st.evaluate(three, p);
      assertEquals(expected.loss(), t.loss(), 1e-6 * Math.abs(expected.loss()));
      assertEquals(expected.nllU(), t.nllU(), 1e-6 * Math.abs(expected.nllU()));
      // evenly spaced rows of a set larger than the evaluation's limit, on the blocks that hold them
      int[] some = MacroNetTrainer.evaluationRows(data.rows(), 7);
      LossAggregator.LossTerms subset = single.evaluate(p, data, some);
      LossAggregator.LossTerms onBlocks = st.evaluate(three, p, some);
      assertEquals(subset.loss(), onBlocks.loss(), 1e-6 * Math.abs(subset.loss()));
      assertNotEquals(expected.loss(), subset.loss());
      three.unpersist(false);
    }
  }

  @Test
  void localStepsOnOnePartitionEqualSynchronousStepsAndOnFourStillTrain() {
    long steps = 120;
    TrainSettings settings = settings(steps, 2e-3, 10, 1, 50);
    try (SparkTrainer st = new SparkTrainer(spark, lossSpec, settings)) {
      JavaRDD<PairBlock> one = st.distribute(data, 1);
      float[] sync = st.train(one, ROWS, st.trainer().initialState(data), TrainingListener.NONE).params();
      List<Long> checkpoints = new ArrayList<>();
      TrainingListener listener = new TrainingListener() {
        @Override
        public void onCheckpoint(TrainingState s) {
          checkpoints.add(s.stepsDone());
        }
      };
      float[] local = st.train(one, ROWS, st.trainer().initialState(data), listener, 8).params();
      assertArrayEquals(sync, local, "8 local steps with one worker are 8 synchronous steps");
      assertEquals(List.of(50L, 100L), checkpoints, "rounds end at every checkpoint");
      one.unpersist(false);

      JavaRDD<PairBlock> four = st.distribute(data, 4);
      MacroNetTrainer single = st.trainer();
      double initial = single.evaluate(single.initialState(data).params(), data).loss();
      float[] a = st.train(four, ROWS, single.initialState(data), TrainingListener.NONE, 8).params();
      float[] b = st.train(four, ROWS, single.initialState(data), TrainingListener.NONE, 8).params();
      assertArrayEquals(a, b, "local SGD reruns are bit-identical");
      double syncLoss = single.evaluate(sync, data).loss();
      double localLoss = single.evaluate(a, data).loss();
      assertTrue(localLoss < initial - 0.5 * (initial - syncLoss), "local SGD on 4 partitions lowers the loss: initial "
          + initial + ", synchronous " + syncLoss + ", local " + localLoss);
      four.unpersist(false);
    }
  }
}
