package org.macronet.training.closure;

/**
 * Binary cross-entropy of a sigmoid's output, taken from the logit x (PyTorch's
 * {@code BCEWithLogitsLoss}): {@code -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x))
 * = max(x, 0) - x t + log1p(exp(-|x|))}, which neither overflows nor loses the small terms at
 * large |x|. Its derivative is {@code sigmoid(x) - t}. Spins s = +-1 are targets t = (s + 1) / 2.
 */
public final class BinaryCrossEntropy {
  private BinaryCrossEntropy() {}

  /** The loss of one logit against target t in [0, 1]. */
  public static double loss(double x, double t) {
    return Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** 1 / (1 + exp(-x)), evaluated without overflow on either side. */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /** The target of a spin: 1 for +1, 0 for -1. */
  public static double target(byte spin) {
    if (spin != 1 && spin != -1) {
      throw new IllegalArgumentException("spins must be +1 or -1, found " + spin);
    }
    return (spin + 1) / 2;
  }

  /**
   * The sum of the losses of {@code count} logits against spins, and when {@code dLogits} is not
   * null, {@code dLogits[i] := scale (sigmoid(x_i) - t_i)}.
   */
  public static double sumOverSpins(float[] logits, int logitOffset, byte[] spins, int spinOffset, int count,
      float[] dLogits, double scale) {
    double sum = 0;
    for (int i = 0; i < count; i++) {
      double x = logits[logitOffset + i];
      double t = target(spins[spinOffset + i]);
      sum += loss(x, t);
      if (dLogits != null) {
        dLogits[logitOffset + i] = (float) (scale * (sigmoid(x) - t));
      }
    }
    return sum;
  }
}
