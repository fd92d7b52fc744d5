package org.macronet.training.nn;

import java.util.Locale;

/**
 * Hidden-layer non-linearities of the coupling subnets. {@link Mlp} applies them with the bias
 * through {@link org.macronet.training.linalg.Elementwise} and takes the derivative from the output.
 */
public enum Activation {
  /** max(0, x); derivative 1 where the output is positive, else 0. */
  RELU,
  /** tanh(x), smooth; derivative 1 - y^2 from the output y. */
  TANH;

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
