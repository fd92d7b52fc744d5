package org.macronet.training.sde;

import java.util.SplittableRandom;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.optim.Adam;

/**
 * Fits an {@link SdeModel} to increments held in memory, in one thread: minibatches drawn with
 * replacement from the step's own stream (so step k's batch depends only on the seed and k), Adam
 * at a constant learning rate that drops to a tenth for the last fifth of the steps.
 *
 * @param lambda the variance scale of {@link IncrementLoss} (K for patch increments)
 * @param eps    its ridge
 */
public record SdeTrainer(double lambda, double eps, int batch, long steps, double learningRate, long seed) {

  public SdeTrainer {
    if (batch < 1 || steps < 0 || !(learningRate > 0)) {
      throw new IllegalArgumentException("need batch >= 1, steps >= 0 and a positive learning rate, found " + batch
          + ", " + steps + ", " + learningRate);
    }
  }

  /**
   * Fits {@code model} from {@code params} (changed in place) to the n increments
   * {@code (z0, z1, dt)} (row-major n x d, and n durations); returns the mean loss of each step.
   */
  public double[] fit(SdeModel model, float[] params, float[] z0, float[] z1, float[] dt) {
    int d = model.dimension();
    int n = dt.length;
    if (z0.length != n * d || z1.length != n * d) {
      throw new IllegalArgumentException(n + " durations for " + z0.length / d + " and " + z1.length / d + " states");
    }
    Adam adam = new Adam(params.length);
    IncrementLoss increment = new IncrementLoss(d, lambda, eps);
    SdeModel.Scratch scratch = model.newScratch(batch);
    float[] bz0 = new float[batch * d];
    float[] bz1 = new float[batch * d];
    float[] bdt = new float[batch];
    float[] grad = new float[params.length];
    double[] losses = new double[(int) steps];
    for (long step = 0; step < steps; step++) {
      SampleRandom order = SampleSeeds.forSample(seed, step);
      for (int k = 0; k < batch; k++) {
        int i = order.nextInt(n);
        System.arraycopy(z0, i * d, bz0, k * d, d);
        System.arraycopy(z1, i * d, bz1, k * d, d);
        bdt[k] = dt[i];
      }
      java.util.Arrays.fill(grad, 0f);
      losses[(int) step] = model.loss(params, bz0, bz1, bdt, batch, increment, scratch, grad);
      if (!Double.isFinite(losses[(int) step])) {
        throw new IllegalStateException("the SDE loss became " + losses[(int) step] + " at step " + step);
      }
      adam.step(params, grad, step < steps * 4 / 5 ? learningRate : learningRate / 10);
    }
    return losses;
  }

  /** Initial parameters of {@code model} from this trainer's seed. */
  public float[] initialParameters(SdeModel model, double initialSigma) {
    return model.initialParameters(new SplittableRandom(seed), 0.1, initialSigma);
  }
}
