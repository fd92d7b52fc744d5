package org.macronet.training.data;

import java.util.SplittableRandom;
import org.macronet.common.random.SampleSeeds;

/**
 * The global minibatch of every step as a function of (seed, step) only: the rows are visited in
 * epochs, epoch e in the order of a Fisher-Yates shuffle seeded by (seed, e), and step t takes
 * positions [t B, (t + 1) B) of that endless sequence. A resumed run, a run on any number of
 * threads or Spark partitions, sees the same examples at the same step.
 */
public final class MinibatchSchedule {
  private final long seed;
  private final int rows;
  private final int batch;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  public MinibatchSchedule(long seed, int rows, int batch) {
    if (rows <= 0) {
      throw new IllegalArgumentException("a schedule needs at least one row, found " + rows);
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive, found " + batch);
    }
    this.seed = seed;
    this.rows = rows;
    this.batch = batch;
  }

  public int batch() {
    return batch;
  }

  /** Row indices of the minibatch of {@code step}. */
  public int[] indices(long step) {
    int[] out = new int[batch];
    long position = step * batch;
    for (int k = 0; k < batch; k++, position++) {
      long epoch = position / rows;
      out[k] = order(epoch)[(int) (position % rows)];
    }
    return out;
  }

  private int[] order(long epoch) {
    if (epoch != cachedEpoch) {
      int[] p = new int[rows];
      for (int i = 0; i < rows; i++) {
        p[i] = i;
      }
      SplittableRandom r = new SplittableRandom(SampleSeeds.sampleSeed(seed, epoch));
      for (int i = rows - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      cachedOrder = p;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
