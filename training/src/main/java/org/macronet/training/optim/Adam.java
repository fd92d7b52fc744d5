package org.macronet.training.optim;

import org.macronet.training.linalg.Elementwise;

/**
 * Adam (Kingma and Ba 2015) on one flat parameter array:
 * m := b1 m + (1 - b1) g; v := b2 v + (1 - b2) g^2;
 * p := p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 * Lifecycle: construct for a parameter count, then {@link #step} once per optimiser step;
 * {@link #copy()} gives the same configuration with independent state. The state (m, v, t) is
 * exposed for checkpoints and restored exactly by {@link #restore}.
 */
public final class Adam {
  private static final Elementwise KERNELS = Elementwise.get();

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final float[] m;
  private final float[] v;
  private long t;

  public Adam(int parameterCount, double beta1, double beta2, double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must lie in [0, 1), found " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam epsilon must be > 0, found " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new float[parameterCount];
    this.v = new float[parameterCount];
  }

  /** Adam with the usual (0.9, 0.999, 1e-8). */
  public Adam(int parameterCount) {
    this(parameterCount, 0.9, 0.999, 1e-8);
  }

  public Adam copy() {
    return new Adam(m.length, beta1, beta2, epsilon);
  }

  /** One update of {@code params} with the mean gradient {@code grad} and learning rate {@code lr}. */
  public void step(float[] params, double[] grad, double lr) {
    check(params.length, grad.length);
    t++;
    KERNELS.adam(params, grad, m, v, m.length, (float) beta1, (float) beta2, stepSize(lr), epsilonT());
  }

  /** {@link #step(float[], double[], double)} with a float gradient. */
  public void step(float[] params, float[] grad, double lr) {
    check(params.length, grad.length);
    t++;
    KERNELS.adam(params, grad, m, v, m.length, (float) beta1, (float) beta2, stepSize(lr), epsilonT());
  }

  private void check(int params, int grads) {
    if (grads != m.length || params != m.length) {
      throw new IllegalArgumentException("Adam holds " + m.length + " parameters, given " + params
          + " parameters and " + grads + " gradients");
    }
  }

  // p -= lr_t * m / (sqrt(v) + eps_t) with lr_t = lr sqrt(1 - b2^t) / (1 - b1^t) and
  // eps_t = eps sqrt(1 - b2^t): the bias-corrected update with the corrections folded into two scalars.
  private float stepSize(double lr) {
    return (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
  }

  private float epsilonT() {
    return (float) (epsilon * Math.sqrt(1 - Math.pow(beta2, t)));
  }

  public long stepCount() {
    return t;
  }

  public float[] firstMoment() {
    return m;
  }

  public float[] secondMoment() {
    return v;
  }

  /** Restores the state saved from {@link #firstMoment()}, {@link #secondMoment()} and {@link #stepCount()}. */
  public void restore(float[] firstMoment, float[] secondMoment, long stepCount) {
    if (firstMoment.length != m.length || secondMoment.length != v.length) {
      throw new IllegalArgumentException("Adam state for " + firstMoment.length + " parameters, expected " + m.length);
    }
    System.arraycopy(firstMoment, 0, m, 0, m.length);
    System.arraycopy(secondMoment, 0, v, 0, v.length);
    t = stepCount;
  }

  @Override
  public String toString() {
    return "Adam[beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", t=" + t + ", n=" + m.length + "]";
  }

  /** Scales {@code grad} so that its Euclidean norm is at most {@code maxNorm}; returns the norm before. */
  public static double clipNorm(double[] grad, double maxNorm) {
    double ss = 0;
    for (double g : grad) {
      ss += g * g;
    }
    double norm = Math.sqrt(ss);
    if (maxNorm > 0 && norm > maxNorm) {
      double f = maxNorm / norm;
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= f;
      }
    }
    return norm;
  }

}
