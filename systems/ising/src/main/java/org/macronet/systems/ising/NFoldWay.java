package org.macronet.systems.ising;

import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.KineticMonteCarlo;

/**
 * Continuous-time Glauber dynamics by the n-fold way (Bortz, Kalos and Lebowitz, J. Comput. Phys.
 * 17, 10 (1975)): the sites are kept in ten lists by rate class, so an event picks a class with
 * probability n_c w_c / W, a site uniformly within it, flips it and moves the site and its four
 * neighbours to their new classes: O(1) per event, the same process as drawing the site with
 * probability w_i / W from all N sites. Time advances by an Exp(1) variate over W per event.
 *
 * <p>The lattice is a neighbour table, so the same code runs a full torus, a patch evolved as an
 * isolated torus, or a patch inside a frozen halo: frozen sites keep their spin and count only as
 * neighbours. The spins array is the caller's and is changed in place. Each site's neighbour sum
 * is kept up to date, so a flip touches only the five sites whose rate it changes. Each event
 * draws from the sample's generator, in a fixed order: the waiting time
 * ({@link SampleRandom#nextExponential}), the class, the site.
 */
public final class NFoldWay extends KineticMonteCarlo {
  private final byte[] spins;
  private final int[] neighbours;
  private final double[] rate;
  /** Class c's sites are members[c * capacity .. c * capacity + count[c] - 1]. */
  private final int[] members;
  private final int capacity;
  private final int[] count = new int[GlauberRates.CLASSES];
  /** Scratch: the cumulative class rates of the current event. */
  private final double[] cumulative = new double[GlauberRates.CLASSES];
  /** The class of each site, -1 for a frozen one. */
  private final int[] classOf;
  /** Each active site's position in its class list. */
  private final int[] slot;
  /** Each site's neighbour sum, -4 .. 4. */
  private final byte[] neighbourSum;
  private long events;

  /**
   * @param spins      +1 / -1 per site, changed in place
   * @param neighbours four neighbours per site (right, left, down, up), e.g. {@code SpinLattice.torus}
   * @param frozen     sites that never flip (a halo), or {@code null} when every site may flip
   * @param rates      the rates at the run's temperature and field
   * @param rng        the sample's generator
   */
  public NFoldWay(byte[] spins, int[] neighbours, boolean[] frozen, GlauberRates rates, SampleRandom rng) {
    super(rng);
    int n = spins.length;
    if (neighbours.length != 4 * n) {
      throw new IllegalArgumentException("need 4 neighbours per site: " + neighbours.length + " entries for " + n + " sites");
    }
    if (frozen != null && frozen.length != n) {
      throw new IllegalArgumentException("frozen mask has " + frozen.length + " entries for " + n + " sites");
    }
    this.spins = spins;
    this.neighbours = neighbours;
    this.rate = rates.table();
    this.classOf = new int[n];
    this.slot = new int[n];
    this.neighbourSum = new byte[n];
    int active = n;
    if (frozen != null) {
      for (boolean f : frozen) {
        active -= f ? 1 : 0;
      }
    }
    this.capacity = active;
    this.members = new int[GlauberRates.CLASSES * active];
    for (int i = 0; i < n; i++) {
      if (spins[i] != 1 && spins[i] != -1) {
        throw new IllegalArgumentException("site " + i + " holds " + spins[i] + "; spins are +1 or -1");
      }
    }
    for (int i = 0; i < n; i++) {
      int b = 4 * i;
      neighbourSum[i] = (byte) (spins[neighbours[b]] + spins[neighbours[b + 1]] + spins[neighbours[b + 2]]
          + spins[neighbours[b + 3]]);
      if (frozen != null && frozen[i]) {
        classOf[i] = -1;
      } else {
        int c = GlauberRates.classOf(spins[i], neighbourSum[i]);
        classOf[i] = c;
        slot[i] = count[c];
        members[c * capacity + count[c]++] = i;
      }
    }
  }

  /** W, the sum of all active sites' rates. */
  public double totalRate() {
    double w = 0;
    for (int c = 0; c < GlauberRates.CLASSES; c++) {
      w += count[c] * rate[c];
    }
    return w;
  }

  /** Events run so far. */
  public long events() {
    return events;
  }

  /** Fills {@link #cumulative} with the running sums of n_c w_c and returns W. */
  @Override
  protected double prepare() {
    double w = 0;
    for (int c = 0; c < GlauberRates.CLASSES; c++) {
      w += count[c] * rate[c];
      cumulative[c] = w;
    }
    return w;
  }

  /** Picks a class with probability n_c w_c / W, a site uniformly in it, and flips it. */
  @Override
  protected void flip(double w) {
    double x = rng.nextDouble() * w;
    int c = 0;
    while (c < GlauberRates.CLASSES - 1 && x >= cumulative[c]) {
      c++;
    }
    while (count[c] == 0) { // rounding put x past the last occupied class: take that class
      c--;
    }
    int site = members[c * capacity + rng.nextInt(count[c])];
    byte s = (byte) -spins[site];
    spins[site] = s;
    reclassify(site);
    byte delta = (byte) (2 * s);
    int base = 4 * site;
    for (int k = base; k < base + 4; k++) {
      int j = neighbours[k];
      neighbourSum[j] += delta;
      reclassify(j);
    }
    events++;
  }

  private void reclassify(int i) {
    int old = classOf[i];
    if (old < 0) {
      return;
    }
    int c = GlauberRates.classOf(spins[i], neighbourSum[i]);
    if (c == old) {
      return;
    }
    int last = members[old * capacity + --count[old]];
    members[old * capacity + slot[i]] = last;
    slot[last] = slot[i];
    members[c * capacity + count[c]] = i;
    slot[i] = count[c]++;
    classOf[i] = c;
  }
}
