package org.macronet.common.random;

/**
 * Counter-based seeding: the seed of sample {@code i} is a pure function of
 * (master seed, i), so a row never depends on partitioning, task order or retries.
 *
 * <p>The mixing function is the SplitMix64 finaliser (Steele, Lea and Flood,
 * "Fast splittable pseudorandom number generators", OOPSLA 2014), which is also
 * what {@link java.util.SplittableRandom} uses; it is fixed here so that the
 * seeds, and therefore the data, never change with the JDK.
 */
public final class SampleSeeds {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SampleSeeds() {}

  /** SplitMix64 finaliser: a bijection on 64-bit values with good avalanche. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The seed of sample {@code index} under {@code masterSeed}. */
  public static long sampleSeed(long masterSeed, long index) {
    return mix64(mix64(masterSeed + GOLDEN_GAMMA) + (index + 1) * GOLDEN_GAMMA);
  }

  /** A fresh generator for one sample; all of the sample's randomness is drawn from it, in a fixed order. */
  public static SampleRandom forSample(long masterSeed, long index) {
    return new SampleRandom(sampleSeed(masterSeed, index));
  }
}
