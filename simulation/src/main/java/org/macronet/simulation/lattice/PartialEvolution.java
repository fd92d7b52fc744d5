package org.macronet.simulation.lattice;

import org.macronet.common.random.SampleRandom;

/**
 * Partial evolution (the stochastic-dynamics method's training pairs): tile an L x L state x0 into
 * K = (L / p)^2 patches of p x p, pick one patch I uniformly, advance only that patch by a number
 * of events (p^2 by default: one patch sweep) and record the time it took, or for a fixed physical
 * time. The pair is
 * z0 = phi(x0) of the whole lattice and z1 = z0 + the patch's own change, not divided by K, so
 * its drift is the whole lattice's and its variance K times larger.
 *
 * <p>The patch's own change depends on the boundary mode:
 * <ul>
 *   <li>{@link PatchBoundary#PERIODIC} (the reference): the patch evolves as an isolated periodic
 *       torus, and its change is phi(patch after) - phi(patch before), phi of the p x p patch as
 *       its own periodic lattice;</li>
 *   <li>{@link PatchBoundary#HALO}: the patch evolves inside the rest of the lattice, frozen, and
 *       its change is K (phi(x1) - phi(x0)): every bond that touches the patch counts, those
 *       across its edge included. For m the two agree exactly.</li>
 * </ul>
 * The patch's observables as its own lattice, before and after, are also the naive baseline's
 * pairs.
 *
 * <p>A fixed number of events samples the dynamics' jump chain, in which a state weighs in
 * proportion to its total rate: the increments of states with many domain walls come out over
 * shorter times, which moves the drift's fixed point. A fixed time does not.
 *
 * <p>Draws: the patch index, then the dynamics, from the pair's own generator.
 */
public final class PartialEvolution implements java.io.Serializable {
  private final SpinEnsemble system;
  private final int side;
  private final int patch;
  private final PatchBoundary boundary;
  private final long events;
  private final double time;

  /** A fixed number of events per evolution (p^2 for one patch sweep). */
  public PartialEvolution(SpinEnsemble system, int side, int patch, PatchBoundary boundary, long events) {
    this(system, side, patch, boundary, events, 0);
  }

  /**
   * @param side     L, the lattice side
   * @param patch    p, the patch side; it must divide L
   * @param boundary what the patch sees beyond its edge
   * @param events   events per evolution (p^2 for one patch sweep), when {@code time} is 0
   * @param time     physical time per evolution; 0 runs {@code events} events instead (the reference)
   */
  public PartialEvolution(SpinEnsemble system, int side, int patch, PatchBoundary boundary, long events,
                          double time) {
    if (patch < 2 || side % patch != 0) {
      throw new IllegalArgumentException("the patch side " + patch + " must be at least 2 and divide the lattice side "
          + side);
    }
    if (events < 1) {
      throw new IllegalArgumentException("events must be positive, found " + events);
    }
    if (!(time >= 0) || !Double.isFinite(time)) {
      throw new IllegalArgumentException("the time per evolution must be a non-negative number, found " + time);
    }
    this.system = system;
    this.side = side;
    this.patch = patch;
    this.boundary = boundary;
    this.events = events;
    this.time = time;
  }

  /** K, the number of patches. */
  public int patches() {
    int perSide = side / patch;
    return perSide * perSide;
  }

  /**
   * One evolved pair.
   *
   * @param patchIndex I, row-major over the (L / p) x (L / p) patch grid
   * @param before     the patch of x0, p x p row-major
   * @param after      the patch after the evolution
   * @param dt         the summed waiting times of the events, or the fixed time
   * @param z0         phi(x0), the whole lattice's observables
   * @param patch0     phi of the patch before, as its own periodic lattice
   * @param patch1     phi of the patch after, likewise
   * @param z1         z0 + the patch's own change (the class comment)
   * @param x1         the whole lattice afterwards (x0 with the patch replaced)
   */
  public record Pair(int patchIndex, byte[] before, byte[] after, double dt, double[] z0, double[] patch0,
                     double[] patch1, double[] z1, byte[] x1) {}

  /** Evolves one patch of {@code x0} (not changed) at temperature {@code t} and field {@code h}. */
  public Pair evolve(byte[] x0, double t, double h, SampleRandom rng) {
    if (x0.length != side * side) {
      throw new IllegalArgumentException("a state of " + x0.length + " sites on a " + side + " x " + side + " lattice");
    }
    int index = rng.nextInt(patches());
    int px = (index % (side / patch)) * patch;
    int py = (index / (side / patch)) * patch;
    byte[] before = extract(x0, px, py);
    byte[] after;
    double dt;
    byte[] x1 = x0.clone();
    if (boundary == PatchBoundary.PERIODIC) {
      after = before.clone();
      dt = run(system.dynamics(after, patch, null, t, h, rng));
      insert(x1, after, px, py);
    } else {
      boolean[] frozen = new boolean[x1.length];
      java.util.Arrays.fill(frozen, true);
      for (int y = 0; y < patch; y++) {
        java.util.Arrays.fill(frozen, (py + y) * side + px, (py + y) * side + px + patch, false);
      }
      dt = run(system.dynamics(x1, side, frozen, t, h, rng));
      after = extract(x1, px, py);
    }
    double[] patch0 = system.observe(before, patch);
    double[] patch1 = system.observe(after, patch);
    double[] z0 = system.observe(x0, side);
    double[] z1 = new double[z0.length];
    if (boundary == PatchBoundary.PERIODIC) {
      for (int k = 0; k < z0.length; k++) {
        z1[k] = z0[k] + patch1[k] - patch0[k];
      }
    } else {
      double[] whole1 = system.observe(x1, side);
      for (int k = 0; k < z0.length; k++) {
        z1[k] = z0[k] + patches() * (whole1[k] - z0[k]);
      }
    }
    return new Pair(index, before, after, dt, z0, patch0, patch1, z1, x1);
  }

  /** Runs the patch's dynamics for the fixed time or number of events; returns the time passed. */
  private double run(SpinDynamics dynamics) {
    if (time > 0) {
      dynamics.runFor(time);
      return time;
    }
    return dynamics.run(events);
  }

  private byte[] extract(byte[] x, int px, int py) {
    byte[] out = new byte[patch * patch];
    for (int y = 0; y < patch; y++) {
      System.arraycopy(x, (py + y) * side + px, out, y * patch, patch);
    }
    return out;
  }

  private void insert(byte[] x, byte[] p, int px, int py) {
    for (int y = 0; y < patch; y++) {
      System.arraycopy(p, y * patch, x, (py + y) * side + px, patch);
    }
  }
}
