package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.LearningRateSchedule;

/** Local SGD: round boundaries, weighted averaging, and one worker's rounds equal to synchronous steps. */
class LocalRoundTest {
  private static final int ROWS = 200;
  private static final int BATCH = 40;
  private static final MacroNetSpec SPEC =
      new MacroNetSpec(2, 3, 1, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.1, 5);

  private static PairData pairs() {
    SplittableRandom r = new SplittableRandom(9);
    float[] u = new float[ROWS * 2];
    float[] v = new float[ROWS * 3];
    long[] ids = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      double a = r.nextGaussian();
      u[2 * i] = (float) a;
      u[2 * i + 1] = (float) r.nextGaussian();
      v[3 * i] = (float) (a * a + 0.1 * r.nextGaussian());
      v[3 * i + 1] = (float) r.nextGaussian();
      v[3 * i + 2] = (float) (2 * r.nextGaussian());
      ids[i] = i;
    }
    return new PairData(u, 2, v, 3, ids);
  }

  private static final PairData DATA = pairs();

  private static MacroNetTrainer trainer(long steps, long checkpointEvery) {
    Standardization su = Standardization.fit(DATA.u(), ROWS, 2);
    Standardization sv = Standardization.fit(DATA.v(), ROWS, 3);
    MacroNetLoss loss = new MacroNetLoss(SPEC.build(su, sv), 1.0, 0.01, su.std(), sv.std());
    return new MacroNetTrainer(loss, new TrainSettings(steps, BATCH, new LearningRateSchedule(3e-3,
        LearningRateSchedule.Kind.COSINE, 2, steps, 0.1), 5.0, 3, 1, checkpointEvery, 1_000_000));
  }

  @Test
  void roundsEndAtEveryCheckpointAndAtTheLastStep() {
    MacroNetTrainer t = trainer(10, 6);
    List<String> rounds = new ArrayList<>();
    List<Long> checkpoints = new ArrayList<>();
    TrainingState state = t.initialState(DATA);
    t.trainInRounds(state, 4, new TrainingListener() {
      @Override
      public void onCheckpoint(TrainingState s) {
        checkpoints.add(s.stepsDone());
      }
    }, (step, k, s) -> {
      rounds.add(step + "+" + k);
      return new MacroNetTrainer.Round.Outcome(s.params().clone(), s.adam().firstMoment().clone(),
          s.adam().secondMoment().clone(), new LossAggregator.LossTerms(0, 0, 0, 0), 0);
    });
    assertEquals(List.of("0+4", "4+2", "6+4"), rounds);
    assertEquals(List.of(6L), checkpoints);
    assertEquals(10, state.stepsDone());
    assertEquals(10, state.adam().stepCount());
  }

  @Test
  void oneWorkerHoldingEveryRowTakesExactlyTheSynchronousSteps() {
    MacroNetTrainer t = trainer(30, 0);
    float[] sync = t.train(DATA, t.initialState(DATA), TrainingListener.NONE).params();
    PairBlock all = PairBlock.slice(DATA, 0, ROWS);
    MacroNetLoss.Evaluator e = t.loss().newEvaluator(BATCH);
    float[] local = t.trainInRounds(t.initialState(DATA), 7, TrainingListener.NONE,
        (step, k, s) -> LocalRound.run(t, e, all, ROWS, s, k, 0).average()).params();
    assertArrayEquals(sync, local);
  }

  @Test
  void workersAreAveragedByTheExamplesTheyUsedAndAnEmptyRoundChangesNothing() {
    MacroNetTrainer t = trainer(30, 0);
    TrainingState start = t.initialState(DATA);
    // uneven halves: the first worker holds a quarter of the rows
    PairBlock a = PairBlock.slice(DATA, 0, ROWS / 4);
    PairBlock b = PairBlock.slice(DATA, ROWS / 4, ROWS);
    MacroNetLoss.Evaluator e = t.loss().newEvaluator(BATCH);
    LocalRound ra = LocalRound.run(t, e, a, ROWS, start, 5, 0);
    LocalRound rb = LocalRound.run(t, e, b, ROWS, start, 5, 1);
    double wa = ra.weight();
    double wb = rb.weight();
    assertEquals(5 * BATCH, wa + wb, "together the workers used every row of the five minibatches");
    assertTrue(wa > 0 && wb > 2 * wa, "weights " + wa + ", " + wb);
    MacroNetTrainer.Round.Outcome pa = LocalRound.run(t, e, a, ROWS, start, 5, 0).average();
    MacroNetTrainer.Round.Outcome pb = LocalRound.run(t, e, b, ROWS, start, 5, 1).average();
    MacroNetTrainer.Round.Outcome both = new LocalRound(start.params().length).merge(ra).merge(rb)
        .merge(new LocalRound(start.params().length)).average();
    for (int j = 0; j < pa.params().length; j++) {
      assertEquals((wa * pa.params()[j] + wb * pb.params()[j]) / (wa + wb), both.params()[j], 1e-6, "parameter " + j);
      assertEquals((wa * pa.secondMoment()[j] + wb * pb.secondMoment()[j]) / (wa + wb), both.secondMoment()[j],
          1e-9 + 1e-6 * both.secondMoment()[j], "second moment " + j);
    }
    assertTrue(new LocalRound(start.params().length).weight() == 0);
    assertArrayEquals(start.params(), t.initialState(DATA).params(), "a round leaves its start state alone");
  }

  @Test
  void aWorkerThatDivergesIsNamedWithItsStep() {
    MacroNetTrainer t = trainer(30, 0);
    TrainingState start = t.initialState(DATA);
    float[] bad = start.params().clone();
    java.util.Arrays.fill(bad, Float.NaN);
    TrainingState nan = new TrainingState(bad, start.adam(), 4);
    MacroNetLoss.Evaluator e = t.loss().newEvaluator(BATCH);
    LocalRound fine = LocalRound.run(t, e, PairBlock.slice(DATA, 0, 100), ROWS, start, 3, 0);
    LocalRound broken = LocalRound.run(t, e, PairBlock.slice(DATA, 100, ROWS), ROWS, nan, 3, 1);
    assertEquals(4, broken.divergedStep());
    TrainingDivergedException ex = assertThrows(TrainingDivergedException.class,
        () -> new LocalRound(bad.length).merge(fine).merge(broken).average());
    assertEquals(4, ex.step());
    assertTrue(ex.getMessage().contains("part 1 of the data"), ex.getMessage());
  }
}
