package org.macronet.training.macronet;

import org.macronet.training.optim.LearningRateSchedule;

/**
 * How to train: total steps, global minibatch size, learning-rate schedule, gradient-norm clip
 * (0 = off), seed (initialisation, minibatches, noise), threads of the single-JVM trainer,
 * checkpoint interval in steps (0 = only at the end) and progress interval.
 */
public record TrainSettings(long steps, int batch, LearningRateSchedule learningRate, double clipNorm, long seed,
    int threads, long checkpointEvery, long logEvery) implements java.io.Serializable {
  public TrainSettings {
    if (steps <= 0) {
      throw new IllegalArgumentException("train.steps must be > 0, found " + steps);
    }
    if (batch <= 0) {
      throw new IllegalArgumentException("train.batch must be > 0, found " + batch);
    }
    if (!(clipNorm >= 0)) {
      throw new IllegalArgumentException("train.clip-norm must be >= 0, found " + clipNorm);
    }
    if (threads <= 0 || threads > batch) {
      throw new IllegalArgumentException("train.threads must lie in [1, train.batch], found " + threads);
    }
    if (checkpointEvery < 0 || logEvery <= 0) {
      throw new IllegalArgumentException("train.checkpoint-every must be >= 0 and the log interval > 0, found "
          + checkpointEvery + ", " + logEvery);
    }
  }
}
