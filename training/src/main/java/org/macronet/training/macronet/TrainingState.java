package org.macronet.training.macronet;

import org.macronet.training.optim.Adam;

/**
 * Everything a run needs to continue exactly: the flat parameters, the optimiser's state, and the
 * number of steps done. Minibatches and noise are functions of (seed, step), so nothing else is
 * needed to resume.
 */
public final class TrainingState {
  private final float[] params;
  private final Adam adam;
  private long stepsDone;

  public TrainingState(float[] params, Adam adam, long stepsDone) {
    this.params = params;
    this.adam = adam;
    this.stepsDone = stepsDone;
  }

  public float[] params() {
    return params;
  }

  public Adam adam() {
    return adam;
  }

  public long stepsDone() {
    return stepsDone;
  }

  void advance() {
    stepsDone++;
  }
}
