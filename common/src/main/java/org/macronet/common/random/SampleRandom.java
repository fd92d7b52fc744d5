package org.macronet.common.random;

/**
 * The random stream of one sample: SplitMix64 over a 64-bit state. It is small,
 * fast and specified here bit for bit, so the same seed gives the same numbers on
 * every JDK (unlike {@code Random.nextGaussian}, whose algorithm is not part of any
 * contract). Not thread-safe; one instance per sample.
 */
public final class SampleRandom {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private long state;

  public SampleRandom(long seed) {
    this.state = seed;
  }

  public long nextLong() {
    state += GOLDEN_GAMMA;
    return SampleSeeds.mix64(state);
  }

  /** Uniform on [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /** Uniform on [lo, hi). */
  public double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Uniform integer on [0, bound), bound > 0 (Lemire's multiply-shift; bias below 2^-32 for small bounds). */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive, found " + bound);
    }
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Standard normal by the Box-Muller transform; always consumes two uniforms. */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // (0, 1], so log is finite
    double u2 = nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /**
   * Standard normal by the Box-Muller transform on {@link StrictMath}: the same bits on every JVM
   * and CPU, where {@link #nextGaussian}'s {@code Math.log} and {@code Math.cos} may be replaced
   * by platform-specific versions. For values that are stored (a simulator's noise); slower.
   * Always consumes two uniforms.
   */
  public double nextStrictGaussian() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /**
   * Standard exponential (mean 1) by the ziggurat method: usually one word, a lookup and a
   * multiplication; the same variates on every JVM.
   */
  public double nextExponential() {
    return ExponentialZiggurat.sample(this);
  }
}
