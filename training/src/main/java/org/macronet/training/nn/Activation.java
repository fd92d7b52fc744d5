package org.macronet.training.nn;

import java.util.Locale;

/**
 * Hidden-layer non-linearities of the coupling subnets. {@link Mlp} applies them in one loop per
 * activation (so that the JIT vectorises it) and takes the derivative from the output.
 */
public enum Activation {
  /** max(0, x); derivative 1 where the output is positive, else 0. */
  RELU,
  /** tanh(x), smooth; derivative 1 - y^2 from the output y. */
  TANH;

  /**
   * tanh(x) = 1 - 2 / (exp(2x) + 1) through the intrinsic {@link Math#exp}; correct to float
   * precision and about ten times faster than {@link Math#tanh}. Saturates to +-1 at overflow.
   */
  public static float fastTanh(float x) {
    return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
  }

  /** The configuration name ({@code relu}, {@code tanh}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Activation parse(String name) {
    for (Activation a : values()) {
      if (a.configName().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name + "' (relu or tanh)");
  }
}
