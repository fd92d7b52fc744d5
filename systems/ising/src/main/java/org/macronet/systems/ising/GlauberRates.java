package org.macronet.systems.ising;

import java.io.Serializable;

/**
 * Glauber flip rates of the 2-D Ising model with J = 1: site i flips at
 * w_i = 1 / (1 + exp(dE_i / T)), dE_i = 2 s_i (n_i + h), where n_i is the sum of its four
 * neighbours. A rate depends only on the site's spin and its neighbour sum, so there are ten
 * classes: class {@code 5 (s + 1) / 2 + (n + 4) / 2}.
 *
 * <p>Rates use {@link StrictMath#exp}, so they, and every trajectory, are the same on any JVM.
 */
public record GlauberRates(double temperature, double field) implements Serializable {
  public static final int CLASSES = 10;

  public GlauberRates {
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive and finite, found " + temperature);
    }
    if (!Double.isFinite(field)) {
      throw new IllegalArgumentException("field must be finite, found " + field);
    }
  }

  /** The class of a site with spin {@code spin} (+1 or -1) and neighbour sum {@code neighbours} (-4 .. 4, even). */
  public static int classOf(int spin, int neighbours) {
    return (spin > 0 ? 5 : 0) + ((neighbours + 4) >> 1);
  }

  /** The rate of each class, indexed by {@link #classOf}. */
  public double[] table() {
    double[] r = new double[CLASSES];
    for (int spin = -1; spin <= 1; spin += 2) {
      for (int n = -4; n <= 4; n += 2) {
        r[classOf(spin, n)] = rate(spin, n);
      }
    }
    return r;
  }

  /** w = 1 / (1 + exp(2 s (n + h) / T)). */
  public double rate(int spin, double neighbours) {
    return 1.0 / (1.0 + StrictMath.exp(2.0 * spin * (neighbours + field) / temperature));
  }
}
