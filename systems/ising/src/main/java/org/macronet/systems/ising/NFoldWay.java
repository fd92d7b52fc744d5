package org.macronet.systems.ising;

import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.SpinDynamics;

/**
 * Continuous-time Glauber dynamics by the n-fold way (Bortz, Kalos and Lebowitz, J. Comput. Phys.
 * 17, 10 (1975)): the sites are kept in ten lists by rate class, so an event picks a class with
 * probability n_c w_c / W, a site uniformly within it, flips it and moves the site and its four
 * neighbours to their new classes: O(1) per event, the same process as drawing the site with
 * probability w_i / W from all N sites. Time advances by -ln(u) / W per event.
 *
 * <p>The lattice is a neighbour table, so the same code runs a full torus, a patch evolved as an
 * isolated torus, or a patch inside a frozen halo: frozen sites keep their spin and count only as
 * neighbours. The spins array is the caller's and is changed in place. Each event draws three
 * numbers from the sample's generator, in a fixed order: the waiting time, the class, the site.
 */
public final class NFoldWay implements SpinDynamics {
  private final byte[] spins;
  private final int[] neighbours;
  private final double[] rate;
  private final int[][] members = new int[GlauberRates.CLASSES][];
  private final int[] count = new int[GlauberRates.CLASSES];
  /** The class of each site, -1 for a frozen one. */
  private final int[] classOf;
  /** Each active site's position in its class list. */
  private final int[] slot;
  private final SampleRandom rng;
  private long events;

  /**
   * @param spins      +1 / -1 per site, changed in place
   * @param neighbours four neighbours per site (right, left, down, up), e.g. {@code SpinLattice.torus}
   * @param frozen     sites that never flip (a halo), or {@code null} when every site may flip
   * @param rates      the rates at the run's temperature and field
   * @param rng        the sample's generator
   */
  public NFoldWay(byte[] spins, int[] neighbours, boolean[] frozen, GlauberRates rates, SampleRandom rng) {
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
    this.rng = rng;
    this.classOf = new int[n];
    this.slot = new int[n];
    int active = n;
    if (frozen != null) {
      for (boolean f : frozen) {
        active -= f ? 1 : 0;
      }
    }
    for (int c = 0; c < GlauberRates.CLASSES; c++) {
      members[c] = new int[active];
    }
    for (int i = 0; i < n; i++) {
      if (spins[i] != 1 && spins[i] != -1) {
        throw new IllegalArgumentException("site " + i + " holds " + spins[i] + "; spins are +1 or -1");
      }
      if (frozen != null && frozen[i]) {
        classOf[i] = -1;
      } else {
        int c = currentClass(i);
        classOf[i] = c;
        slot[i] = count[c];
        members[c][count[c]++] = i;
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

  /** Flips one site and returns the waiting time before it; 0 with no change when no site can flip. */
  public double step() {
    double w = totalRate();
    if (w == 0) {
      return 0;
    }
    double tau = waitingTime(w);
    flip(w);
    return tau;
  }

  /** Runs {@code n} events and returns their summed waiting time. */
  @Override
  public double run(long n) {
    double t = 0;
    for (long k = 0; k < n; k++) {
      t += step();
    }
    return t;
  }

  /**
   * Runs the events that fall within {@code duration} from now and stops at the first that would
   * not: the state afterwards is the process's state at that time. Returns the events run.
   */
  public long runFor(double duration) {
    double elapsed = 0;
    long n = 0;
    while (true) {
      double w = totalRate();
      if (w == 0) {
        return n;
      }
      double tau = waitingTime(w);
      if (elapsed + tau > duration) {
        return n;
      }
      elapsed += tau;
      flip(w);
      n++;
    }
  }

  /** -ln(u) / W with u uniform on (0, 1]. */
  private double waitingTime(double w) {
    return -StrictMath.log(1.0 - rng.nextDouble()) / w;
  }

  /** Picks a class with probability n_c w_c / W, a site uniformly in it, and flips it. */
  private void flip(double w) {
    double x = rng.nextDouble() * w;
    int c = GlauberRates.CLASSES - 1;
    for (int k = 0; k < GlauberRates.CLASSES; k++) {
      x -= count[k] * rate[k];
      if (x < 0) {
        c = k;
        break;
      }
    }
    while (count[c] == 0) { // rounding left x >= 0 after the last class: take the last occupied one
      c--;
    }
    int site = members[c][rng.nextInt(count[c])];
    spins[site] = (byte) -spins[site];
    reclassify(site);
    int base = 4 * site;
    reclassify(neighbours[base]);
    reclassify(neighbours[base + 1]);
    reclassify(neighbours[base + 2]);
    reclassify(neighbours[base + 3]);
    events++;
  }

  /** Events run so far. */
  public long events() {
    return events;
  }

  private int currentClass(int i) {
    int base = 4 * i;
    int n = spins[neighbours[base]] + spins[neighbours[base + 1]] + spins[neighbours[base + 2]]
        + spins[neighbours[base + 3]];
    return GlauberRates.classOf(spins[i], n);
  }

  private void reclassify(int i) {
    int old = classOf[i];
    if (old < 0) {
      return;
    }
    int c = currentClass(i);
    if (c == old) {
      return;
    }
    int last = members[old][--count[old]];
    members[old][slot[i]] = last;
    slot[last] = slot[i];
    members[c][count[c]] = i;
    slot[i] = count[c]++;
    classOf[i] = c;
  }
}
