package org.macronet.systems.predatorprey;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;

/**
 * The {@code simulation.predator-prey.*} settings, validated on construction; every rejection
 * names its key and the value found. {@link #from(Settings)} and {@link #toConfig()} are the only
 * places that read or write these keys.
 *
 * @param cells          cells on [0, 1], cell-centred: x_j = (j + 0.5) / cells
 * @param steps          Euler-Maruyama steps per trajectory
 * @param dt             time step
 * @param snapshotEvery  steps between stored snapshots; must divide {@code steps}
 * @param noise          amplitude of the additive noise per cell and species at
 *                       {@code reference-cells} cells (the increment is noise sqrt(dt) N(0, 1))
 * @param du             prey diffusion coefficient on the raw [1, -2, 1] stencil at
 *                       {@code reference-cells} cells (the physical constant is du / reference-cells^2)
 * @param dv             predator diffusion coefficient, likewise
 * @param discretisation how the model depends on {@code cells}, see {@link Discretisation}
 * @param referenceCells the resolution at which both discretisations are the source paper's model
 */
public record PredatorPreySettings(int cells, int steps, double dt, int snapshotEvery, double noise,
                                   double du, double dv, Discretisation discretisation, int referenceCells)
    implements Serializable {

  public static final String PREFIX = "simulation.predator-prey.";
  public static final String CELLS = PREFIX + "cells";
  public static final String STEPS = PREFIX + "steps";
  public static final String DT = PREFIX + "dt";
  public static final String SNAPSHOT_EVERY = PREFIX + "snapshot-every";
  public static final String NOISE = PREFIX + "noise";
  public static final String DU = PREFIX + "du";
  public static final String DV = PREFIX + "dv";
  public static final String DISCRETISATION = PREFIX + "discretisation";
  public static final String REFERENCE_CELLS = PREFIX + "reference-cells";

  /** Largest stable coefficient D dt factor of the explicit [1, -2, 1] stencil. */
  static final double STABLE_COEFFICIENT = 0.5;

  public PredatorPreySettings {
    ConfigException.require(cells >= 1, CELLS, "must be positive, found " + cells);
    ConfigException.require(steps >= 1, STEPS, "must be positive, found " + steps);
    ConfigException.require(Double.isFinite(dt) && dt > 0, DT, "must be a positive number, found " + dt);
    ConfigException.require(snapshotEvery >= 1, SNAPSHOT_EVERY, "must be positive, found " + snapshotEvery);
    ConfigException.require(steps % snapshotEvery == 0, SNAPSHOT_EVERY,
        "must divide " + STEPS + " = " + steps + ", found " + snapshotEvery);
    ConfigException.require(Double.isFinite(noise) && noise >= 0, NOISE, "must be a non-negative number, found " + noise);
    ConfigException.require(Double.isFinite(du) && du >= 0, DU, "must be a non-negative number, found " + du);
    ConfigException.require(Double.isFinite(dv) && dv >= 0, DV, "must be a non-negative number, found " + dv);
    ConfigException.require(discretisation != null, DISCRETISATION, "must be one of reference, consistent, found null");
    ConfigException.require(referenceCells >= 1, REFERENCE_CELLS, "must be positive, found " + referenceCells);
    double factor = discretisation.laplacianFactor(cells, referenceCells);
    requireStable("du", du, dt, factor, discretisation, cells, referenceCells);
    requireStable("dv", dv, dt, factor, discretisation, cells, referenceCells);
  }

  /** Explicit diffusion is stable only while D dt factor <= 1/2 (von Neumann, the [1, -2, 1] stencil). */
  private static void requireStable(String name, double d, double dt, double factor, Discretisation discretisation,
                                    int cells, int referenceCells) {
    double coefficient = d * dt * factor;
    if (coefficient > STABLE_COEFFICIENT) {
      String how = discretisation == Discretisation.REFERENCE ? ""
          : " (the " + discretisation.configValue() + " discretisation multiplies the stencil by (" + CELLS + " / "
              + REFERENCE_CELLS + ")^2 = (" + cells + " / " + referenceCells + ")^2 = " + factor + ")";
      throw new ConfigException(DT, "unstable explicit diffusion: " + name + " * dt * factor = " + d + " * " + dt
          + " * " + factor + " = " + coefficient + " > " + STABLE_COEFFICIENT + how + "; lower " + DT + " to at most "
          + STABLE_COEFFICIENT / (d * factor) + ", or " + PREFIX + name);
    }
  }

  /** The source paper's choices: 100 cells, dt = 0.01, 3,000 steps, noise 0.02, D_u = 0, D_v = 1. */
  public static PredatorPreySettings defaults() {
    return new PredatorPreySettings(100, 3000, 0.01, 30, 0.02, 0.0, 1.0, Discretisation.REFERENCE, 100);
  }

  /** Reads the keys from a resolved configuration. */
  public static PredatorPreySettings from(Settings c) {
    return new PredatorPreySettings(
        c.intValue(CELLS),
        c.intValue(STEPS),
        c.doubleValue(DT),
        c.intValue(SNAPSHOT_EVERY),
        c.doubleValue(NOISE),
        c.doubleValue(DU),
        c.doubleValue(DV),
        Discretisation.parse(DISCRETISATION, c.string(DISCRETISATION)),
        c.intValue(REFERENCE_CELLS));
  }

  /** The settings as configuration keys and values, for dataset metadata; {@link #from} reads them back. */
  public Map<String, Object> toConfig() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(CELLS, cells);
    out.put(STEPS, steps);
    out.put(DT, dt);
    out.put(SNAPSHOT_EVERY, snapshotEvery);
    out.put(NOISE, noise);
    out.put(DU, du);
    out.put(DV, dv);
    out.put(DISCRETISATION, discretisation.configValue());
    out.put(REFERENCE_CELLS, referenceCells);
    return out;
  }

  /**
   * The same model run on {@code cells} cells for {@code steps} steps, a snapshot every
   * {@code snapshotEvery}: the direct runs and the patches of a longer line. Under the
   * {@link Discretisation#REFERENCE reference} discretisation the per-cell coefficients stay as
   * they are (the reference's choice, whose physics changes with the resolution); under
   * {@link Discretisation#CONSISTENT consistent} the same physical model is discretised on the new grid.
   */
  public PredatorPreySettings with(int cells, int steps, int snapshotEvery) {
    return new PredatorPreySettings(cells, steps, dt, snapshotEvery, noise, du, dv, discretisation, referenceCells);
  }

  /** Stored snapshots per trajectory, the initial state included. */
  public int snapshots() {
    return steps / snapshotEvery + 1;
  }

  /** The effective coefficient on the raw stencil for the prey: du times the discretisation's factor. */
  public double stencilDu() {
    return du * discretisation.laplacianFactor(cells, referenceCells);
  }

  /** The effective coefficient on the raw stencil for the predator: dv times the discretisation's factor. */
  public double stencilDv() {
    return dv * discretisation.laplacianFactor(cells, referenceCells);
  }

  /** The per-cell noise amplitude: noise times the discretisation's factor. */
  public double cellNoise() {
    return noise * discretisation.noiseFactor(cells, referenceCells);
  }
}
