package org.macronet.systems.curieweiss;

import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.KineticMonteCarlo;

/**
 * Glauber dynamics of the Curie-Weiss (mean-field Ising) model: every spin feels the mean spin,
 * dE_i = 2 s_i (m + h) with m = sum_j s_j / N, and flips at w_i = 1 / (1 + exp(dE_i / T)).
 * A rate depends only on the spin's sign and on m, so the sites sit in two lists (up, down) and an
 * event is O(1): pick the list with probability n w / W, a site uniformly in it, flip it. The
 * rates of each of the N + 1 possible m are tabulated once ({@link StrictMath#exp}, so the same on
 * every JVM). Each event draws the waiting time ({@link SampleRandom#nextExponential}), the list and
 * the site, in that order.
 *
 * <p>Frozen sites never flip but count in m: a patch evolved inside the rest of a frozen lattice
 * feels the whole lattice's mean field.
 */
public final class MeanFieldGlauber extends KineticMonteCarlo {
  private final byte[] spins;
  private final int n;
  /** upRate[u], downRate[u]: the rate of an up / down spin when u spins are up. */
  private final double[] upRate;
  private final double[] downRate;
  private final int[] up;
  private final int[] down;
  private final int[] slot;
  /** Active up and down sites (the lists' sizes), and all up sites, frozen ones included. */
  private int nUp;
  private int nDown;
  private int totalUp;

  public MeanFieldGlauber(byte[] spins, double temperature, double field, SampleRandom rng) {
    this(spins, null, temperature, field, rng);
  }

  /** @param frozen sites that never flip (but count in m), or {@code null} */
  public MeanFieldGlauber(byte[] spins, boolean[] frozen, double temperature, double field, SampleRandom rng) {
    super(rng);
    if (!(temperature > 0) || !Double.isFinite(temperature) || !Double.isFinite(field)) {
      throw new IllegalArgumentException("need a positive finite temperature and a finite field, found T = "
          + temperature + ", h = " + field);
    }
    this.spins = spins;
    this.n = spins.length;
    this.upRate = new double[n + 1];
    this.downRate = new double[n + 1];
    for (int u = 0; u <= n; u++) {
      double m = (2.0 * u - n) / n;
      upRate[u] = 1.0 / (1.0 + StrictMath.exp(2.0 * (m + field) / temperature));
      downRate[u] = 1.0 / (1.0 + StrictMath.exp(-2.0 * (m + field) / temperature));
    }
    this.up = new int[n];
    this.down = new int[n];
    this.slot = new int[n];
    if (frozen != null && frozen.length != n) {
      throw new IllegalArgumentException("frozen mask has " + frozen.length + " entries for " + n + " sites");
    }
    for (int i = 0; i < n; i++) {
      if (spins[i] != 1 && spins[i] != -1) {
        throw new IllegalArgumentException("site " + i + " holds " + spins[i] + "; spins are +1 or -1");
      }
      totalUp += spins[i] == 1 ? 1 : 0;
      if (frozen != null && frozen[i]) {
        continue;
      }
      if (spins[i] == 1) {
        slot[i] = nUp;
        up[nUp++] = i;
      } else {
        slot[i] = nDown;
        down[nDown++] = i;
      }
    }
  }

  /** W, the sum of all active sites' rates. */
  public double totalRate() {
    return nUp * upRate[totalUp] + nDown * downRate[totalUp];
  }

  /** The mean spin, frozen sites included. */
  public double magnetisation() {
    return (2.0 * totalUp - n) / n;
  }

  @Override
  protected double prepare() {
    return totalRate();
  }

  /** Picks the up or the down list with probability n w / W and a site uniformly in it, and flips it. */
  @Override
  protected void flip(double w) {
    boolean flipUp = rng.nextDouble() * w < nUp * upRate[totalUp];
    if (flipUp && nUp > 0 || nDown == 0) {
      int site = up[rng.nextInt(nUp)];
      move(site, up, --nUp, down, nDown++);
      spins[site] = -1;
      totalUp--;
    } else {
      int site = down[rng.nextInt(nDown)];
      move(site, down, --nDown, up, nUp++);
      spins[site] = 1;
      totalUp++;
    }
  }

  /** Moves {@code site} from list {@code from} (whose new size is {@code fromLast}) to the end of {@code to}. */
  private void move(int site, int[] from, int fromLast, int[] to, int toEnd) {
    int last = from[fromLast];
    from[slot[site]] = last;
    slot[last] = slot[site];
    to[toEnd] = site;
    slot[site] = toEnd;
  }

}
