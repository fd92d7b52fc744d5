package org.macronet.training.macronet;

/** A non-finite loss, gradient or parameter: training stops and the last checkpoint stays as it was. */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;

  public TrainingDivergedException(long step, String what) {
    super("training diverged at step " + step + ": " + what
        + " (the last checkpoint is intact; lower train.learning-rate or train.clip-norm and resume)");
    this.step = step;
  }

  public long step() {
    return step;
  }
}
