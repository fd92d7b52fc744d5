package org.macronet.training.macronet;

/** Progress and checkpoint callbacks of a training run, called on the training thread. */
public interface TrainingListener {
  /** Progress every {@code logEvery} steps and at the last step. */
  default void onProgress(Progress progress) {}

  /**
   * After every step: the minibatch's mean loss terms, the gradient norm before clipping and the
   * learning rate the step used (for a training log; called before {@link #onProgress}).
   */
  default void onStep(long stepsDone, LossAggregator.LossTerms terms, double gradientNorm, double learningRate) {}

  /** A checkpoint is due: persist {@code state} (atomically) before returning. */
  default void onCheckpoint(TrainingState state) {}

  /** Where a run stands after {@code stepsDone} steps. */
  record Progress(long stepsDone, long totalSteps, LossAggregator.LossTerms terms, double gradientNorm,
      double learningRate, double stepsPerSecond, double secondsLeft) {}

  TrainingListener NONE = new TrainingListener() {};
}
