package org.macronet.bench;

import org.macronet.training.macronet.TrainingListener;

/**
 * The wall time of each training step, read from progress callbacks of a run that reports every
 * step ({@code logEvery = 1}): step k ends at its callback and begins at the previous one (step 0
 * at the clock's creation, so create it just before the run starts).
 */
final class StepClock implements TrainingListener {
  private final long[] ends;
  private final long[] wallEnds;
  private final long start;
  private final long wallStart;
  private int done;

  StepClock(int steps) {
    this.ends = new long[steps];
    this.wallEnds = new long[steps];
    this.start = System.nanoTime();
    this.wallStart = System.currentTimeMillis();
  }

  @Override
  public void onProgress(Progress progress) {
    if (done < ends.length) {
      ends[done] = System.nanoTime();
      wallEnds[done++] = System.currentTimeMillis();
    }
  }

  /** The wall clock (ms since the epoch, as Spark's task times) when step {@code step} ended; step -1: the start. */
  long wallMillisAtEnd(int step) {
    return step < 0 ? wallStart : wallEnds[step];
  }

  /** Milliseconds of steps {@code from} .. the last one recorded. */
  double[] stepMillis(int from) {
    if (from >= done) {
      throw new IllegalStateException("asked for steps from " + from + ", " + done + " were recorded");
    }
    double[] ms = new double[done - from];
    for (int k = from; k < done; k++) {
      ms[k - from] = (ends[k] - (k == 0 ? start : ends[k - 1])) / 1e6;
    }
    return ms;
  }
}
