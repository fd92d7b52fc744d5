package org.macronet.systems.ising;

import org.macronet.common.random.SampleRandom;

/**
 * The same Glauber process as {@link NFoldWay}, drawn the way the reference code draws it: the
 * site by a cumulative sum over all N rates per event (O(N)). Kept as an independent check of the
 * n-fold way (the two must give the same distributions, not the same streams) and as the
 * benchmark's baseline. Periodic lattice only.
 */
public final class ScanGlauber {
  private final byte[] spins;
  private final int[] neighbours;
  private final GlauberRates rates;
  private final double[] w;
  private final SampleRandom rng;

  public ScanGlauber(byte[] spins, int[] neighbours, GlauberRates rates, SampleRandom rng) {
    this.spins = spins;
    this.neighbours = neighbours;
    this.rates = rates;
    this.rng = rng;
    this.w = new double[spins.length];
  }

  /** Flips one site and returns the waiting time before it. */
  public double step() {
    return flipWithin(Double.POSITIVE_INFINITY);
  }

  /**
   * Runs the events that fall within {@code duration} from now and stops at the first that would
   * not, like {@link NFoldWay#runFor}. Returns the events run.
   */
  public long runFor(double duration) {
    double elapsed = 0;
    long n = 0;
    while (true) {
      double tau = flipWithin(duration - elapsed);
      if (Double.isNaN(tau)) {
        return n;
      }
      elapsed += tau;
      n++;
    }
  }

  /** One event if it comes within {@code limit}: its waiting time, else NaN and no flip. */
  private double flipWithin(double limit) {
    int n = spins.length;
    double total = 0;
    for (int i = 0; i < n; i++) {
      int b = 4 * i;
      int sum = spins[neighbours[b]] + spins[neighbours[b + 1]] + spins[neighbours[b + 2]] + spins[neighbours[b + 3]];
      w[i] = rates.rate(spins[i], sum);
      total += w[i];
    }
    double tau = -StrictMath.log(1.0 - rng.nextDouble()) / total;
    if (tau > limit) {
      return Double.NaN;
    }
    double x = rng.nextDouble() * total;
    int site = n - 1;
    for (int i = 0; i < n; i++) {
      x -= w[i];
      if (x < 0) {
        site = i;
        break;
      }
    }
    spins[site] = (byte) -spins[site];
    return tau;
  }
}
