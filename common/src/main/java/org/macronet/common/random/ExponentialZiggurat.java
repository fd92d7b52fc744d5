package org.macronet.common.random;

/**
 * Standard exponential variates by the ziggurat method (Marsaglia and Tsang, "The ziggurat method
 * for generating random variables", J. Stat. Softw. 5 (2000)), in the 64-bit form of Rust's
 * rand_distr: the low 8 bits of one random word pick a layer, its top 52 bits the position in
 * it, so the two never share bits. About 99% of draws cost one word, a table lookup and a
 * multiplication; the rest (the base strip's tail and the layers' wedges) use {@link StrictMath},
 * as do the tables, so every JVM gives the same variates. Used where -ln(u) per draw would
 * dominate, e.g. the waiting time of every kinetic Monte Carlo event.
 */
final class ExponentialZiggurat {
  /** Right edge of the base strip, and the area of every layer, for 256 layers. */
  static final double R = 7.69711747013104972;
  static final double V = 0.0039496598225815571993;
  private static final int LAYERS = 256;
  /** X[i]: the right edge of layer i (X[0] the base strip's width as a rectangle); X[256] = 0. */
  static final double[] X = new double[LAYERS + 1];
  /** F[i] = exp(-X[i]). */
  static final double[] F = new double[LAYERS + 1];

  static {
    X[0] = V / StrictMath.exp(-R);
    X[1] = R;
    for (int i = 2; i < LAYERS; i++) {
      X[i] = -StrictMath.log(V / X[i - 1] + StrictMath.exp(-X[i - 1]));
    }
    X[LAYERS] = 0;
    for (int i = 0; i <= LAYERS; i++) {
      F[i] = StrictMath.exp(-X[i]);
    }
  }

  private ExponentialZiggurat() {}

  static double sample(SampleRandom rng) {
    while (true) {
      long bits = rng.nextLong();
      int i = (int) (bits & 0xff);
      double u = (bits >>> 12) * 0x1.0p-52;
      double x = u * X[i];
      if (x < X[i + 1]) {
        return x;
      }
      if (i == 0) {
        return R - StrictMath.log(1.0 - rng.nextDouble()); // the tail beyond R is R + Exp(1)
      }
      if (F[i + 1] + (F[i] - F[i + 1]) * rng.nextDouble() < StrictMath.exp(-x)) {
        return x;
      }
    }
  }
}
