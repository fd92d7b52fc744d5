package org.macronet.simulation.lattice;

import org.macronet.common.random.SampleRandom;

/**
 * Spin configurations on a periodic L x L square lattice, stored row-major as one byte per site
 * (+1 or -1), and their macroscopic observables.
 *
 * <p>{@code m} is the mean spin; {@code rho} is the fraction of broken bonds,
 * (1 / 2N) sum_i [(1 - s_i s_{i+x}) / 2 + (1 - s_i s_{i+y}) / 2], so 0 for a uniform lattice and
 * 1 for a checkerboard. The energy per site with J = 1 and no field is -2 (1 - 2 rho).
 */
public final class SpinLattice {
  private SpinLattice() {}

  /**
   * A random configuration with magnetisation as close to {@code m0} as N sites allow: exactly
   * round((1 + m0) N / 2) up-spins, placed uniformly at random (a partial Fisher-Yates shuffle,
   * one {@link SampleRandom#nextInt} per up-spin).
   */
  public static byte[] withMagnetisation(int sites, double m0, SampleRandom rng) {
    if (!(m0 >= -1 && m0 <= 1)) {
      throw new IllegalArgumentException("initial magnetisation must be in [-1, 1], found " + m0);
    }
    int up = upSpins(sites, m0);
    int[] order = new int[sites];
    for (int i = 0; i < sites; i++) {
      order[i] = i;
    }
    byte[] s = new byte[sites];
    java.util.Arrays.fill(s, (byte) -1);
    for (int k = 0; k < up; k++) {
      int j = k + rng.nextInt(sites - k);
      int site = order[j];
      order[j] = order[k];
      order[k] = site;
      s[site] = 1;
    }
    return s;
  }

  /** round((1 + m0) N / 2), the up-spin count of an initial state. */
  public static int upSpins(int sites, double m0) {
    return (int) Math.round((1 + m0) * sites / 2);
  }

  /** The mean spin. */
  public static double magnetisation(byte[] s) {
    long sum = 0;
    for (byte b : s) {
      sum += b;
    }
    return (double) sum / s.length;
  }

  /**
   * The number of unequal nearest-neighbour pairs of a periodic {@code side x side} lattice. With
   * spins of +-1 a bond is broken when s_i s_j = -1, so the count is (2N - sum s_i s_j) / 2 over
   * the 2N bonds: sums of products, without a branch per bond.
   */
  public static long brokenBonds(byte[] s, int side) {
    long aligned = 0;
    for (int y = 0; y < side; y++) {
      int row = y * side;
      int below = (y + 1 == side ? 0 : y + 1) * side;
      int sum = s[row + side - 1] * s[row];
      for (int x = 0; x < side - 1; x++) {
        sum += s[row + x] * s[row + x + 1];
      }
      for (int x = 0; x < side; x++) {
        sum += s[row + x] * s[below + x];
      }
      aligned += sum;
    }
    return (2L * s.length - aligned) / 2;
  }

  /** The fraction of broken bonds of a periodic {@code side x side} lattice (2 N bonds). */
  public static double brokenBondFraction(byte[] s, int side) {
    return brokenBonds(s, side) / (2.0 * s.length);
  }

  /** The side of a square configuration, refusing any other length. */
  public static int side(byte[] s) {
    int side = (int) Math.round(Math.sqrt(s.length));
    if (side * side != s.length) {
      throw new IllegalArgumentException("a square lattice has a square number of sites, found " + s.length);
    }
    return side;
  }

  /** Neighbour table of a periodic {@code width x height} lattice: sites 4i..4i+3 are i's right, left, down, up. */
  public static int[] torus(int width, int height) {
    int[] nb = new int[4 * width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        nb[4 * i] = y * width + (x + 1) % width;
        nb[4 * i + 1] = y * width + (x + width - 1) % width;
        nb[4 * i + 2] = ((y + 1) % height) * width + x;
        nb[4 * i + 3] = ((y + height - 1) % height) * width + x;
      }
    }
    return nb;
  }
}
