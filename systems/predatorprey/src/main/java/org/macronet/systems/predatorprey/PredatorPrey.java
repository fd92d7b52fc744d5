package org.macronet.systems.predatorprey;

import org.macronet.common.random.SampleRandom;

/**
 * The stochastic predator-prey model on a line of cells, stepped by Euler-Maruyama:
 *
 * <pre>
 *   u_t = u (1 - u - v)     + D_u L u + sigma xi_u     (prey)
 *   v_t = 3 v (u - 0.4)     + D_v L v + sigma xi_v     (predator)
 *
 *   u := u + dt (u (1 - u - v) + D_u L u) + sigma sqrt(dt) N(0, 1), likewise v
 * </pre>
 *
 * where L is the raw [1, -2, 1] stencil with zero-flux (Neumann) boundaries on a cell-centred
 * grid: the ghost cell repeats the edge cell, so (L u)_0 = u_1 - u_0. D_u, D_v and sigma here are
 * the per-stencil and per-cell values; {@link Discretisation} says how they follow from the
 * configured constants and the resolution. Plain Java, no plugin machinery: usable on its own.
 *
 * <p>Each step draws, from the caller's {@link SampleRandom} ({@link SampleRandom#nextStrictGaussian},
 * so that the stored states are the same on every JVM), the prey's Gaussians for cells
 * 0..n-1 and then the predator's for cells 0..n-1, also when sigma is 0, so the random stream
 * does not depend on the noise level. Not thread-safe: it owns its scratch buffers.
 */
public final class PredatorPrey {
  /** Predator growth rate per unit of prey above the threshold (the 3 in 3 v (u - 0.4)). */
  public static final double PREDATION = 3.0;
  /** Prey level below which predators decline (the 0.4 in 3 v (u - 0.4)). */
  public static final double PREY_THRESHOLD = 0.4;
  /** Wavenumber of the initial perturbation, cos(10 pi x). */
  public static final double INITIAL_WAVENUMBER = 10 * Math.PI;

  private final int cells;
  private final double dt;
  private final double du;
  private final double dv;
  private final double noiseIncrement;
  private final double[] nextU;
  private final double[] nextV;

  /**
   * @param cells     number of cells
   * @param dt        time step
   * @param du        prey coefficient on the raw stencil
   * @param dv        predator coefficient on the raw stencil
   * @param cellNoise per-cell noise amplitude sigma; each step adds sigma sqrt(dt) N(0, 1)
   */
  public PredatorPrey(int cells, double dt, double du, double dv, double cellNoise) {
    if (cells < 1) {
      throw new IllegalArgumentException("cells must be positive, found " + cells);
    }
    if (!(dt > 0) || !Double.isFinite(dt)) {
      throw new IllegalArgumentException("dt must be a positive number, found " + dt);
    }
    if (!(du >= 0) || !(dv >= 0) || !Double.isFinite(du) || !Double.isFinite(dv)) {
      throw new IllegalArgumentException("diffusion coefficients must be non-negative numbers, found " + du + ", " + dv);
    }
    if (!(cellNoise >= 0) || !Double.isFinite(cellNoise)) {
      throw new IllegalArgumentException("noise must be a non-negative number, found " + cellNoise);
    }
    this.cells = cells;
    this.dt = dt;
    this.du = du;
    this.dv = dv;
    this.noiseIncrement = cellNoise * Math.sqrt(dt);
    this.nextU = new double[cells];
    this.nextV = new double[cells];
  }

  /** The model as the settings discretise it. */
  public static PredatorPrey of(PredatorPreySettings s) {
    return new PredatorPrey(s.cells(), s.dt(), s.stencilDu(), s.stencilDv(), s.cellNoise());
  }

  public int cells() {
    return cells;
  }

  /** Centre of cell {@code j} of {@code cells} on [0, 1]: (j + 0.5) / cells. */
  public static double cellCentre(int j, int cells) {
    return (j + 0.5) / cells;
  }

  /**
   * The initial state u_0 = m + k cos(10 pi x), v_0 = 1 - m - k cos(10 pi x) at the cell centres.
   * StrictMath.cos makes it the same on every JVM.
   */
  public void initialise(double m, double k, double[] u, double[] v) {
    checkLength(u, v);
    for (int j = 0; j < cells; j++) {
      double wave = k * StrictMath.cos(INITIAL_WAVENUMBER * cellCentre(j, cells));
      u[j] = m + wave;
      v[j] = 1.0 - m - wave;
    }
  }

  /**
   * One Euler-Maruyama step of (u, v) in place, drawing 2 x cells Gaussians from {@code rng}: the
   * patch step of {@link #stepPatch} over the whole line.
   */
  public void step(double[] u, double[] v, SampleRandom rng) {
    stepPatch(u, v, 0, cells, false, rng);
  }

  /**
   * One Euler-Maruyama step of cells {@code [from, to)} alone, in place; the other cells stay as
   * they are. A halo patch's edge cells see their real neighbours (the line's zero-flux boundary
   * where the patch touches an end), so with {@code periodic = false} the patch's new values are
   * exactly those {@link #step} would give it; a periodic patch is a ring of its own. Draws
   * 2 x (to - from) Gaussians: the prey's for the patch's cells, then the predator's.
   */
  public void stepPatch(double[] u, double[] v, int from, int to, boolean periodic, SampleRandom rng) {
    checkLength(u, v);
    if (from < 0 || to > cells || to - from < 1) {
      throw new IllegalArgumentException("patch [" + from + ", " + to + ") is not within " + cells + " cells");
    }
    stepPatch(u, from, to, periodic, rng, true, u, v);
    stepPatch(v, from, to, periodic, rng, false, u, v);
    System.arraycopy(nextU, from, u, from, to - from);
    System.arraycopy(nextV, from, v, from, to - from);
  }

  private void stepPatch(double[] x, int from, int to, boolean periodic, SampleRandom rng, boolean prey, double[] u,
                         double[] v) {
    double[] next = prey ? nextU : nextV;
    double d = prey ? du : dv;
    int last = cells - 1;
    for (int j = from; j < to; j++) {
      int left = j > from ? j - 1 : periodic ? to - 1 : j == 0 ? 0 : j - 1;
      int right = j < to - 1 ? j + 1 : periodic ? from : j == last ? last : j + 1;
      double lap = x[left] - 2.0 * x[j] + x[right];
      double reaction = prey ? u[j] * (1.0 - u[j] - v[j]) : PREDATION * v[j] * (u[j] - PREY_THRESHOLD);
      next[j] = x[j] + dt * (reaction + d * lap) + noiseIncrement * rng.nextStrictGaussian();
    }
  }

  /** {@code steps} steps of {@link #step}. */
  public void run(double[] u, double[] v, int steps, SampleRandom rng) {
    for (int s = 0; s < steps; s++) {
      step(u, v, rng);
    }
  }

  private void checkLength(double[] u, double[] v) {
    if (u.length != cells || v.length != cells) {
      throw new IllegalArgumentException("state arrays must have " + cells + " cells, found " + u.length + " and " + v.length);
    }
  }
}
