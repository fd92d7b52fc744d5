package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.Adam;
import org.macronet.training.optim.LearningRateSchedule;

/**
 * The trainer's promises (bit-identical runs for one seed and thread count, exact resumption,
 * divergence caught before a checkpoint) and the hand-computable pieces it is made of
 * (minibatch schedule, learning-rate schedule, one Adam step, norm clipping).
 */
class MacroNetTrainerTest {
  private static final int U_DIM = 3;
  private static final int V_DIM = 4;
  private static final int ROWS = 300;
  private static final int BATCH = 32;
  private static final MacroNetSpec SPEC =
      new MacroNetSpec(U_DIM, V_DIM, 1, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.1, 5);

  /** Pairs whose first u and v columns share a latent value, the rest independent noise. */
  private static PairData pairs(int rows, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] u = new float[rows * U_DIM];
    float[] v = new float[rows * V_DIM];
    long[] ids = new long[rows];
    for (int i = 0; i < rows; i++) {
      double latent = r.nextGaussian();
      u[i * U_DIM] = (float) (2 * latent + 0.1 * r.nextGaussian());
      for (int j = 1; j < U_DIM; j++) {
        u[i * U_DIM + j] = (float) (0.5 * r.nextGaussian() + j);
      }
      v[i * V_DIM] = (float) (latent * latent + 0.3 * latent + 0.1 * r.nextGaussian());
      for (int j = 1; j < V_DIM; j++) {
        v[i * V_DIM + j] = (float) (3 * r.nextGaussian() - j);
      }
      ids[i] = 1000 + i;
    }
    return new PairData(u, U_DIM, v, V_DIM, ids);
  }

  /** A fresh net, loss and trainer (noise on, so the noise kernel's determinism is exercised too). */
  private static MacroNetTrainer trainer(PairData data, TrainSettings settings) {
    Standardization su = Standardization.fit(data.u(), data.rows(), U_DIM);
    Standardization sv = Standardization.fit(data.v(), data.rows(), V_DIM);
    MacroNet net = SPEC.build(su, sv);
    MacroNetLoss loss = new MacroNetLoss(net, 1.0, 0.01, su.std(), sv.std());
    return new MacroNetTrainer(loss, settings);
  }

  private static TrainSettings settings(long steps, double lr, double clipNorm, int threads, long checkpointEvery) {
    return new TrainSettings(steps, BATCH,
        new LearningRateSchedule(lr, LearningRateSchedule.Kind.COSINE, 3, steps, 0.1), clipNorm, 17, threads,
        checkpointEvery, 1_000_000);
  }

  /** A deep copy of a state, as a checkpoint writer would persist it. */
  private record Snapshot(float[] params, float[] m, float[] v, long adamSteps, long stepsDone) {
    static Snapshot of(TrainingState s) {
      return new Snapshot(s.params().clone(), s.adam().firstMoment().clone(), s.adam().secondMoment().clone(),
          s.adam().stepCount(), s.stepsDone());
    }

    TrainingState restore() {
      Adam adam = new Adam(params.length);
      adam.restore(m, v, adamSteps);
      return new TrainingState(params.clone(), adam, stepsDone);
    }
  }

  private static Snapshot run(PairData data, TrainSettings settings) {
    MacroNetTrainer t = trainer(data, settings);
    return Snapshot.of(t.train(data, t.initialState(data), TrainingListener.NONE));
  }

  private static boolean allFinite(float[] a) {
    for (float x : a) {
      if (!Float.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  private static double maxAbsDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  // ---------------------------------------------------------------- trainer

  @Test
  void sameSeedAndThreadsGiveBitIdenticalParametersAndMoments() {
    // Given one dataset and settings with two threads,
    PairData data = pairs(ROWS, 1);
    TrainSettings s = settings(12, 1e-2, 5, 2, 0);
    // when two independent trainers run them,
    Snapshot a = run(data, s);
    Snapshot b = run(data, s);
    // then parameters and Adam's moments agree bit for bit,
    assertTrue(Arrays.equals(a.params(), b.params()), "parameters differ between identical runs");
    assertTrue(Arrays.equals(a.m(), b.m()), "Adam first moments differ");
    assertTrue(Arrays.equals(a.v(), b.v()), "Adam second moments differ");
    assertEquals(12, a.adamSteps());
    assertEquals(12, a.stepsDone());
    // and training did move them (the comparison is not between two untouched initial states).
    MacroNetTrainer t = trainer(data, s);
    float[] initial = t.initialState(data).params();
    assertTrue(maxAbsDifference(initial, a.params()) > 1e-3, "training left the parameters where they started");
  }

  @Test
  void resumedRunEqualsUninterruptedRun() {
    PairData data = pairs(ROWS, 2);
    long total = 14;
    long stopAt = 6;
    // Given an uninterrupted run of 14 steps,
    Snapshot straight = run(data, settings(total, 1e-2, 5, 2, 0));
    // and a run whose checkpoint at step 6 is copied out (as a checkpoint file would be),
    Snapshot[] atStop = new Snapshot[1];
    MacroNetTrainer first = trainer(data, settings(total, 1e-2, 5, 2, stopAt));
    first.train(data, first.initialState(data), new TrainingListener() {
      @Override
      public void onCheckpoint(TrainingState state) {
        if (state.stepsDone() == stopAt) {
          atStop[0] = Snapshot.of(state);
        }
      }
    });
    assertNotNull(atStop[0], "no checkpoint at step " + stopAt);
    assertEquals(stopAt, atStop[0].adamSteps());
    // when a fresh trainer continues from that copy alone,
    MacroNetTrainer second = trainer(data, settings(total, 1e-2, 5, 2, 0));
    TrainingState resumed = second.train(data, atStop[0].restore(), TrainingListener.NONE);
    // then it ends where the uninterrupted run ended, bit for bit.
    assertEquals(total, resumed.stepsDone());
    assertTrue(Arrays.equals(straight.params(), resumed.params()), "resumed parameters differ, max |diff| = "
        + maxAbsDifference(straight.params(), resumed.params()));
    assertTrue(Arrays.equals(straight.m(), resumed.adam().firstMoment()), "resumed Adam first moments differ");
    assertTrue(Arrays.equals(straight.v(), resumed.adam().secondMoment()), "resumed Adam second moments differ");
  }

  @Test
  void otherThreadCountAgreesWithinFloatTolerance() {
    // Given one run on 1 thread and one on 2 threads (chunked sums round differently),
    PairData data = pairs(ROWS, 3);
    Snapshot one = run(data, settings(5, 1e-3, 5, 1, 0));
    Snapshot two = run(data, settings(5, 1e-3, 5, 2, 0));
    float[] initial = trainer(data, settings(5, 1e-3, 5, 1, 0)).initialState(data).params();
    // then after 5 steps every parameter agrees to a relative 1e-3 (of its size, or of the
    // distance it moved when it sits near zero),
    double moved = maxAbsDifference(initial, one.params());
    assertTrue(moved > 1e-3, "training hardly moved the parameters: " + moved);
    double worst = 0;
    for (int i = 0; i < one.params().length; i++) {
      double a = one.params()[i];
      double b = two.params()[i];
      double scale = Math.max(Math.max(Math.abs(a), Math.abs(b)), moved);
      worst = Math.max(worst, Math.abs(a - b) / scale);
    }
    System.out.printf("1 vs 2 threads after 5 steps: max relative difference %.3g, bit-identical %b%n", worst,
        Arrays.equals(one.params(), two.params()));
    assertTrue(worst < 1e-3, "1 and 2 threads differ by a relative " + worst);
  }

  @Test
  void divergenceNamesTheStepAndLeavesTheLastCheckpointFinite() {
    // Given a learning rate of 1e6 without clipping and a checkpoint after every step,
    PairData data = pairs(ROWS, 4);
    MacroNetTrainer t = trainer(data, settings(50, 1e6, 0, 2, 1));
    Snapshot[] last = new Snapshot[1];
    TrainingListener keepLast = new TrainingListener() {
      @Override
      public void onCheckpoint(TrainingState state) {
        last[0] = Snapshot.of(state);
      }
    };
    // when it trains,
    TrainingDivergedException e =
        assertThrows(TrainingDivergedException.class, () -> t.train(data, t.initialState(data), keepLast));
    System.out.println(e.getMessage());
    // then it stops with the failing step named,
    assertTrue(e.step() < 50, "diverged at step " + e.step());
    assertTrue(e.getMessage().contains("step " + e.step() + ":"), e.getMessage());
    // and the last checkpoint handed out was taken before that step and is all finite.
    assertNotNull(last[0], "divergence at step " + e.step() + " came before any checkpoint");
    assertTrue(last[0].stepsDone() <= e.step(), "checkpoint at " + last[0].stepsDone() + ", failure at " + e.step());
    assertEquals(e.step(), last[0].stepsDone(), "with a checkpoint every step the last one is just before the failure");
    assertTrue(allFinite(last[0].params()), "checkpointed parameters are not finite");
    assertTrue(allFinite(last[0].m()) && allFinite(last[0].v()), "checkpointed Adam moments are not finite");
  }

  @Test
  void nonFiniteDataIsNamedByRequireFiniteAndDivergesTheTrainer() {
    // Given data whose row 7 (sample_id 1007) has NaN in v column 2,
    PairData data = pairs(ROWS, 5);
    data.v()[7 * V_DIM + 2] = Float.NaN;
    // then the data check names the sample and the column,
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> data.requireFinite("u", "v"));
    assertEquals("sample_id 1007: v[2] is NaN", e.getMessage());
    PairData infU = pairs(ROWS, 5);
    infU.u()[3 * U_DIM] = Float.NEGATIVE_INFINITY;
    IllegalArgumentException eu = assertThrows(IllegalArgumentException.class, () -> infU.requireFinite("x", "y"));
    assertEquals("sample_id 1003: x[0] is -Infinity", eu.getMessage());
    // while the trainer itself does not check its input: the NaN reaches the data-dependent ActNorm
    // initialisation (fitted on all 300 rows here) and so every loss, and training stops at step 0
    // as "diverged" -- not silently, but without naming the row, so callers run requireFinite first.
    MacroNetTrainer t = trainer(pairs(ROWS, 5), settings(5, 1e-3, 5, 1, 0));
    TrainingDivergedException d =
        assertThrows(TrainingDivergedException.class, () -> t.train(data, t.initialState(data), TrainingListener.NONE));
    assertEquals(0, d.step(), d.getMessage());
    assertTrue(d.getMessage().contains("not finite"), d.getMessage());
  }

  // ---------------------------------------------------------------- minibatches

  @Test
  void minibatchesDependOnlyOnSeedAndStep() {
    MinibatchSchedule a = new MinibatchSchedule(9, 37, 8);
    MinibatchSchedule b = new MinibatchSchedule(9, 37, 8);
    int[][] inOrder = new int[20][];
    for (int step = 0; step < 20; step++) {
      inOrder[step] = a.indices(step);
    }
    // Out of order, repeated, and across epochs, a second instance gives the same batches.
    for (int step : new int[] {13, 2, 19, 0, 7, 13, 4, 18, 1}) {
      assertArrayEquals(inOrder[step], b.indices(step), "step " + step);
    }
    // The first instance, asked again after moving on, agrees with itself.
    assertArrayEquals(inOrder[3], a.indices(3));
    // Another seed gives another order.
    assertFalse(Arrays.equals(inOrder[0], new MinibatchSchedule(10, 37, 8).indices(0)));
  }

  @Test
  void everyEpochVisitsEachRowExactlyOnce() {
    int rows = 10;
    int batch = 4;
    MinibatchSchedule s = new MinibatchSchedule(3, rows, batch);
    // 5 steps of 4 = 20 positions = 2 full epochs.
    int[] positions = new int[5 * batch];
    for (int step = 0; step < 5; step++) {
      System.arraycopy(s.indices(step), 0, positions, step * batch, batch);
    }
    int[] epoch0 = Arrays.copyOfRange(positions, 0, rows);
    int[] epoch1 = Arrays.copyOfRange(positions, rows, 2 * rows);
    assertIsPermutation(epoch0, rows);
    assertIsPermutation(epoch1, rows);
    assertFalse(Arrays.equals(epoch0, epoch1), "two epochs in the same order");
  }

  @Test
  void batchLargerThanTheRowsWrapsAcrossEpochs() {
    // 5 rows, batch 12: step 0 is epoch 0, epoch 1 and the first 2 rows of epoch 2.
    MinibatchSchedule s = new MinibatchSchedule(4, 5, 12);
    int[] batch = s.indices(0);
    assertEquals(12, batch.length);
    assertIsPermutation(Arrays.copyOfRange(batch, 0, 5), 5);
    assertIsPermutation(Arrays.copyOfRange(batch, 5, 10), 5);
    int[] counts = new int[5];
    for (int i : batch) {
      counts[i]++;
    }
    for (int c : counts) {
      assertTrue(c == 2 || c == 3, "row counts " + Arrays.toString(counts));
    }
    // step 1 continues with the rest of epoch 2.
    int[] next = s.indices(1);
    int[] epoch2 = new int[5];
    System.arraycopy(batch, 10, epoch2, 0, 2);
    System.arraycopy(next, 0, epoch2, 2, 3);
    assertIsPermutation(epoch2, 5);
  }

  private static void assertIsPermutation(int[] a, int n) {
    assertEquals(n, a.length);
    Set<Integer> seen = new HashSet<>();
    for (int i : a) {
      assertTrue(i >= 0 && i < n, "index " + i + " out of [0, " + n + ")");
      assertTrue(seen.add(i), "row " + i + " twice in one epoch: " + Arrays.toString(a));
    }
  }

  // ---------------------------------------------------------------- optimiser

  @Test
  void learningRateWarmsUpLinearlyThenDecaysAlongACosine() {
    // base 0.1, 4 warm-up steps, 14 steps in all, final fraction 0.1.
    LearningRateSchedule cos = new LearningRateSchedule(0.1, LearningRateSchedule.Kind.COSINE, 4, 14, 0.1);
    assertEquals(0.025, cos.at(0), 1e-12);
    assertEquals(0.05, cos.at(1), 1e-12);
    assertEquals(0.1, cos.at(3), 1e-12);
    assertEquals(0.1, cos.at(4), 1e-12); // progress 0: cos 0 = 1
    // progress 5/10 = 0.5: 0.1 * (0.1 + 0.9 * 0.5 * (1 + cos(pi/2))) = 0.055
    assertEquals(0.055, cos.at(9), 1e-12);
    assertEquals(0.01, cos.at(14), 1e-12);
    assertEquals(0.01, cos.at(1000), 1e-12); // stays at the floor past the end
    // Without warm-up, step 2 of 8 is progress 0.25: 0.1 * (0.1 + 0.45 * (1 + sqrt(2)/2)).
    LearningRateSchedule noWarmup = new LearningRateSchedule(0.1, LearningRateSchedule.Kind.COSINE, 0, 8, 0.1);
    assertEquals(0.1, noWarmup.at(0), 1e-12);
    assertEquals(0.1 * (0.1 + 0.45 * (1 + Math.sqrt(0.5))), noWarmup.at(2), 1e-12);
    LearningRateSchedule constant = new LearningRateSchedule(0.2, LearningRateSchedule.Kind.CONSTANT, 2, 10, 0);
    assertEquals(0.1, constant.at(0), 1e-12);
    assertEquals(0.2, constant.at(1), 1e-12);
    assertEquals(0.2, constant.at(500), 1e-12);
  }

  @Test
  void firstAdamStepMovesEachParameterByTheLearningRateAgainstTheGradientSign() {
    // From zero moments, m_hat = g and v_hat = g^2, so the step is lr * g / (|g| + eps).
    Adam adam = new Adam(4);
    float[] p = {1f, 1f, 1f, 1f};
    double[] g = {2.0, -0.5, 1e-3, 0.0};
    adam.step(p, g, 0.01);
    assertEquals(0.99f, p[0], 1e-6);
    assertEquals(1.01f, p[1], 1e-6);
    assertEquals(0.99f, p[2], 1e-5); // |g| = 1e-3 >> eps: still a full step
    assertEquals(1f, p[3], 0f); // zero gradient: no step
    assertEquals(1, adam.stepCount());
    // m = (1 - 0.9) g, v = (1 - 0.999) g^2 (to float precision of 1 - beta: relative 1e-4).
    assertEquals(0.2f, adam.firstMoment()[0], 2e-5);
    assertEquals(-0.05f, adam.firstMoment()[1], 5e-6);
    assertEquals(0.004f, adam.secondMoment()[0], 4e-7);
    assertEquals(0.00025f, adam.secondMoment()[1], 2.5e-8);
    // Second step with the same gradient: m_hat = g, v_hat = g^2 again, another lr * sign(g).
    adam.step(p, g, 0.01);
    assertEquals(0.98f, p[0], 1e-6);
    assertEquals(1.02f, p[1], 1e-6);
  }

  @Test
  void clipNormScalesTheGradientToTheBound() {
    double[] g = {3, 4};
    assertEquals(5.0, Adam.clipNorm(g, 1.0), 1e-12);
    assertArrayEquals(new double[] {0.6, 0.8}, g, 1e-12);
    double[] small = {3, 4};
    assertEquals(5.0, Adam.clipNorm(small, 10.0), 1e-12);
    assertArrayEquals(new double[] {3, 4}, small, 0.0); // under the bound: untouched
    double[] off = {30, 40};
    assertEquals(50.0, Adam.clipNorm(off, 0.0), 1e-12);
    assertArrayEquals(new double[] {30, 40}, off, 0.0); // 0 = no clipping
  }
}
