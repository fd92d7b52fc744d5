package org.macronet.simulation.lattice;

import org.macronet.common.random.SampleRandom;

/**
 * Hierarchical upsampling: training states for an L x L lattice made from p x p snapshots, without
 * simulating the large lattice. Repeated log2(L / p) times: copy each spin into a 2 x 2 block (m
 * is unchanged, rho roughly halves), then relax locally: windows of {@code window} x {@code window}
 * sites at a {@code stride}, visited in raster order with wrap-around, each given
 * {@code eventsPerWindow} events of the system's dynamics. A window larger than the current
 * lattice is the whole lattice.
 *
 * <p>What a window sees beyond its edge is an option ({@link PatchBoundary}): the reference relaxes
 * each window as an isolated periodic torus, which joins sites {@code window} apart across the
 * wrap and leaves extra domain walls; with {@link PatchBoundary#HALO} the window relaxes inside a
 * frozen one-site border taken from the lattice (for a mean-field system, the window and its
 * border form the mean field).
 *
 * <p>How long a window relaxes is an option too. The reference gives it a fixed number of events;
 * stopping after a fixed number of events samples the dynamics' jump chain, whose states are
 * weighted by their total rate W, so even an equilibrium state leaves with more domain walls (at
 * T = 2.5, h = 0.1 on 32 x 32, rho 0.156 -> 0.169 and m 0.724 -> 0.717 after one pass). A fixed
 * physical time per window ({@code windowTime > 0}) leaves equilibrium states in equilibrium.
 *
 * <p>Draws: the windows' dynamics, in visiting order, from the state's own generator.
 */
public final class Upsampling implements java.io.Serializable {
  private final SpinEnsemble system;
  private final int from;
  private final int to;
  private final int window;
  private final int stride;
  private final long eventsPerWindow;
  private final PatchBoundary boundary;
  private final double windowTime;

  public Upsampling(SpinEnsemble system, int from, int to, int window, int stride, long eventsPerWindow) {
    this(system, from, to, window, stride, eventsPerWindow, PatchBoundary.PERIODIC, 0);
  }

  public Upsampling(SpinEnsemble system, int from, int to, int window, int stride, long eventsPerWindow,
                    PatchBoundary boundary) {
    this(system, from, to, window, stride, eventsPerWindow, boundary, 0);
  }

  /**
   * @param eventsPerWindow events per window, when {@code windowTime} is 0
   * @param boundary        what a window sees beyond its edge
   * @param windowTime      physical time per window; 0 to run {@code eventsPerWindow} events instead
   */
  public Upsampling(SpinEnsemble system, int from, int to, int window, int stride, long eventsPerWindow,
                    PatchBoundary boundary, double windowTime) {
    if (from < 1 || to < from || to % from != 0 || Integer.bitCount(to / from) != 1) {
      throw new IllegalArgumentException("the target side " + to + " must be the source side " + from
          + " times a power of 2");
    }
    if (window < 2 || stride < 1 || eventsPerWindow < 0) {
      throw new IllegalArgumentException("need window >= 2, stride >= 1 and events >= 0, found " + window + ", "
          + stride + ", " + eventsPerWindow);
    }
    this.system = system;
    this.from = from;
    this.to = to;
    this.window = window;
    this.stride = stride;
    this.eventsPerWindow = eventsPerWindow;
    this.boundary = boundary;
    if (!(windowTime >= 0) || !Double.isFinite(windowTime)) {
      throw new IllegalArgumentException("window time must be a non-negative number, found " + windowTime);
    }
    this.windowTime = windowTime;
  }

  /** The upsampled state of {@code small} ({@code from x from}) at temperature {@code t}, field {@code h}. */
  public byte[] upsample(byte[] small, double t, double h, SampleRandom rng) {
    if (small.length != from * from) {
      throw new IllegalArgumentException("a state of " + small.length + " sites is not " + from + " x " + from);
    }
    byte[] s = small;
    for (int n = from; n < to; n *= 2) {
      s = blockCopy(s, n);
      relax(s, 2 * n, t, h, rng);
    }
    return s == small ? small.clone() : s;
  }

  /** Each spin of an n x n state copied into a 2 x 2 block of a 2n x 2n one. */
  public static byte[] blockCopy(byte[] s, int n) {
    int m = 2 * n;
    byte[] out = new byte[m * m];
    for (int y = 0; y < m; y++) {
      int row = (y / 2) * n;
      for (int x = 0; x < m; x++) {
        out[y * m + x] = s[row + x / 2];
      }
    }
    return out;
  }

  /** One pass of windowed relaxation over an n x n state, in place. */
  public void relax(byte[] s, int n, double t, double h, SampleRandom rng) {
    int w = Math.min(window, n);
    int step = Math.min(stride, n);
    // with a halo, the window sits inside a frozen border one site wide: a (w + 2) x (w + 2) torus
    // whose border never flips, so interior sites never see the wrap
    int b = boundary == PatchBoundary.HALO && w < n ? 1 : 0;
    int side = w + 2 * b;
    byte[] win = new byte[side * side];
    boolean[] frozen = null;
    if (b == 1) {
      frozen = new boolean[side * side];
      for (int i = 0; i < frozen.length; i++) {
        int x = i % side;
        int y = i / side;
        frozen[i] = x == 0 || y == 0 || x == side - 1 || y == side - 1;
      }
    }
    for (int y0 = 0; y0 < n; y0 += step) {
      for (int x0 = 0; x0 < n; x0 += step) {
        for (int y = 0; y < side; y++) {
          for (int x = 0; x < side; x++) {
            win[y * side + x] = s[Math.floorMod(y0 + y - b, n) * n + Math.floorMod(x0 + x - b, n)];
          }
        }
        SpinDynamics kmc = system.dynamics(win, side, frozen, t, h, rng);
        if (windowTime > 0) {
          kmc.runFor(windowTime);
        } else {
          kmc.run(eventsPerWindow);
        }
        for (int y = b; y < side - b; y++) {
          for (int x = b; x < side - b; x++) {
            s[Math.floorMod(y0 + y - b, n) * n + Math.floorMod(x0 + x - b, n)] = win[y * side + x];
          }
        }
      }
    }
  }
}
