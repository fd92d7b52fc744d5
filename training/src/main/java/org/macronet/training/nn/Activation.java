package org.macronet.training.nn;

import java.util.Locale;

/** Hidden-layer non-linearities of the coupling subnets; the derivative is taken from the output. */
public enum Activation {
  /** max(0, x). */
  RELU {
    @Override
    public float apply(float x) {
      return x > 0f ? x : 0f;
    }

    @Override
    public float derivativeFromOutput(float y) {
      return y > 0f ? 1f : 0f;
    }
  },
  /** tanh(x), smooth: d/dx = 1 - y^2. */
  TANH {
    @Override
    public float apply(float x) {
      return fastTanh(x);
    }

    @Override
    public float derivativeFromOutput(float y) {
      return 1f - y * y;
    }
  };

  public abstract float apply(float x);

  /**
   * tanh(x) = 1 - 2 / (exp(2x) + 1) through the intrinsic {@link Math#exp}; correct to float
   * precision and about ten times faster than {@link Math#tanh}. Saturates to +-1 at overflow.
   */
  public static float fastTanh(float x) {
    return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
  }

  /** The derivative at the pre-activation whose image is {@code y}. */
  public abstract float derivativeFromOutput(float y);

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
