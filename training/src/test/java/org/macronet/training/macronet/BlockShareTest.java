package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.nn.Activation;

/** A minibatch evaluated block by block, as data-parallel workers do, against one loop over it. */
class BlockShareTest {
  private static final int ROWS = 50;
  private static final int BATCH = 64;
  private static final MacroNetSpec SPEC =
      new MacroNetSpec(3, 4, 2, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.5, 3);

  private static PairData pairs() {
    SplittableRandom r = new SplittableRandom(9);
    float[] u = new float[ROWS * 3];
    float[] v = new float[ROWS * 4];
    long[] ids = new long[ROWS];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < ROWS; i++) {
      ids[i] = 100 + i;
    }
    return new PairData(u, 3, v, 4, ids);
  }

  private static LossSpec lossSpec(PairData data) {
    return LossSpec.fit(SPEC, data, 1.0, 0.05);
  }

  private static float[] params(MacroNetLoss loss) {
    MacroNet net = loss.net();
    float[] p = new float[net.parameterCount()];
    net.flowU().initialise(p, net.baseU(), new SplittableRandom(1));
    net.flowV().initialise(p, net.baseV(), new SplittableRandom(2));
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < p.length; i++) {
      p[i] += (float) (0.1 * r.nextGaussian());
    }
    return p;
  }

  @Test
  void shareIsTheBlocksMinibatchRowsInMinibatchOrder() {
    // Given a block of global rows 10..19 and a minibatch that draws row 12 twice,
    PairBlock b = PairBlock.slice(pairs(), 10, 20);
    // then its share is the local rows of 12, 19, 12 in that order.
    assertArrayEquals(new int[] {2, 9, 2}, b.localRows(new int[] {12, 5, 19, 20, 12, 9}));
    assertEquals(0, PairBlock.slice(pairs(), 7, 7).localRows(new int[] {7, 8}).length);
    assertThrows(IllegalArgumentException.class, () -> new PairBlock(pairs().select(new int[] {1, 2}), new int[] {2, 1}));
  }

  @Test
  void blockSumsEqualTheSingleLoopWithinFloatToleranceAndOneBlockIsBitIdentical() {
    PairData data = pairs();
    LossSpec spec = lossSpec(data);
    MacroNetLoss loss = spec.loss();
    float[] p = params(loss);
    // a batch larger than the rows: it wraps into the next epoch and draws some rows twice
    int[] batch = new MinibatchSchedule(5, ROWS, BATCH).indices(3);
    long noiseSeed = MacroNetTrainer.noiseSeed(5, 3);
    LossAggregator whole = new LossAggregator(p.length);
    loss.newEvaluator(BATCH).accumulate(p, data, batch, 0, BATCH, true, noiseSeed, whole);

    // uneven blocks, one of them empty, merged in block order
    int[][] bounds = {{0, 7}, {7, 7}, {7, 31}, {31, 50}};
    LossAggregator merged = new LossAggregator(p.length);
    for (int[] r : bounds) {
      LossAggregator part = new LossAggregator(p.length);
      loss.newEvaluator(BATCH).accumulateShare(p, PairBlock.slice(data, r[0], r[1]), batch, noiseSeed, part);
      merged.merge(part);
    }
    assertEquals(whole.weightSum(), merged.weightSum());
    assertEquals(whole.lossSum(), merged.lossSum(), 1e-9 * Math.abs(whole.lossSum()) + 1e-9);
    double[] gw = whole.gradientSum();
    double[] gm = merged.gradientSum();
    for (int i = 0; i < gw.length; i++) {
      assertEquals(gw[i], gm[i], 1e-4 * (1 + Math.abs(gw[i])), "gradient component " + i);
    }

    // one block holding every row: the same rows, in the same order, in one chunk
    LossAggregator one = new LossAggregator(p.length);
    loss.newEvaluator(BATCH).accumulateShare(p, PairBlock.split(data, 1)[0], batch, noiseSeed, one);
    assertArrayEquals(whole.gradientSum(), one.gradientSum());
    assertEquals(whole.lossSum(), one.lossSum());
  }

  @Test
  void mergingAnEmptyAggregatorChangesNothing() {
    PairData data = pairs();
    MacroNetLoss loss = lossSpec(data).loss();
    float[] p = params(loss);
    int[] batch = new MinibatchSchedule(1, ROWS, 16).indices(0);
    LossAggregator a = new LossAggregator(p.length);
    loss.newEvaluator(16).accumulate(p, data, batch, 0, 16, true, 7, a);
    double[] before = a.gradientSum().clone();
    LossAggregator.LossTerms terms = a.meanTerms();
    a.merge(new LossAggregator(p.length));
    assertArrayEquals(before, a.gradientSum());
    assertEquals(terms, a.meanTerms());
    LossAggregator fromEmpty = new LossAggregator(p.length).merge(a);
    assertArrayEquals(before, fromEmpty.gradientSum());
    assertEquals(terms, fromEmpty.meanTerms());
  }

  @Test
  void aDeserialisedSpecBuildsTheSameLoss() throws Exception {
    PairData data = pairs();
    LossSpec spec = lossSpec(data);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
      out.writeObject(PairBlock.split(data, 3)[1]);
    }
    LossSpec copy;
    PairBlock block;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LossSpec) in.readObject();
      block = (PairBlock) in.readObject();
    }
    float[] p = params(spec.loss());
    int[] batch = new MinibatchSchedule(2, ROWS, 32).indices(1);
    LossAggregator a = new LossAggregator(p.length);
    LossAggregator b = new LossAggregator(p.length);
    spec.loss().newEvaluator(32).accumulateShare(p, PairBlock.split(data, 3)[1], batch, 11, a);
    MacroNetLoss.Evaluator e = copy.borrow(32);
    e.accumulateShare(p, block, batch, 11, b);
    copy.release(e);
    assertArrayEquals(a.gradientSum(), b.gradientSum());
    assertEquals(a.lossSum(), b.lossSum());
  }
}
