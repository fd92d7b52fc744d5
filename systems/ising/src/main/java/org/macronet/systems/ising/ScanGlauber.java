package org.macronet.systems.ising;

import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.KineticMonteCarlo;

/**
 * The same Glauber process as {@link NFoldWay}, drawn the way the reference code draws it: the
 * site by a cumulative sum over all N rates per event (O(N)), the rates of the flipped site and
 * its neighbours updated after each flip. Kept as an independent check of the n-fold way (the two
 * must give the same distributions, not the same streams) and as the benchmark's baseline.
 */
public final class ScanGlauber extends KineticMonteCarlo {
  private final byte[] spins;
  private final int[] neighbours;
  private final GlauberRates rates;
  private final double[] w;

  public ScanGlauber(byte[] spins, int[] neighbours, GlauberRates rates, SampleRandom rng) {
    super(rng);
    this.spins = spins;
    this.neighbours = neighbours;
    this.rates = rates;
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

  /** W, summed over all N rates. */
  @Override
  protected double prepare() {
    double total = 0;
    for (double v : w) {
      total += v;
    }
    return total;
  }

  /** The site where a uniform x on [0, W) falls in the running sum of the rates. */
  @Override
  protected void flip(double total) {
    int n = spins.length;
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
  }
}
