package org.macronet.systems.ising;

import org.macronet.common.random.SampleRandom;

/**
 * The same Glauber process as {@link NFoldWay}, drawn the way the reference code draws it: the
 * site by a cumulative sum over all N rates per event (O(N)), the rates of the flipped site and
 * its neighbours updated after each flip. Kept as an independent check of the n-fold way (the two
 * must give the same distributions, not the same streams) and as the benchmark's baseline.
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
    for (int i = 0; i < spins.length; i++) {
      w[i] = rate(i);
    }
  }

  private double rate(int i) {
    int b = 4 * i;
    return rates.rate(spins[i], spins[neighbours[b]] + spins[neighbours[b + 1]] + spins[neighbours[b + 2]]
        + spins[neighbours[b + 3]]);
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
      total += w[i];
    }
    double tau = rng.nextExponential() / total;
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
    w[site] = rate(site);
    for (int k = 4 * site; k < 4 * site + 4; k++) {
      w[neighbours[k]] = rate(neighbours[k]);
    }
    return tau;
  }
}
