package org.macronet.systems.predatorprey;

import java.util.Locale;
import org.macronet.common.config.ConfigException;

/**
 * How the continuum model is put on {@code cells} cells. The two agree at
 * {@code reference-cells} cells and differ everywhere else.
 *
 * <ul>
 *   <li>{@link #REFERENCE}: what the source paper's code does. The Laplacian is the raw
 *       [1, -2, 1] stencil without 1 / dx^2 and the per-cell noise amplitude does not depend on
 *       dx, so refining the grid changes the physics: the effective diffusion constant D dx^2 and
 *       the effective space-time noise intensity sigma^2 dx both shrink with dx, and as cells grow
 *       the trajectories tend to those of uncoupled cells. The model is the paper's only at the
 *       resolution it was run at.
 *   <li>{@link #CONSISTENT}: one physical model, discretised on any grid. The diffusion constant
 *       is D_phys = D / reference-cells^2 (so the model equals the reference at
 *       {@code reference-cells} cells) and the Laplacian is stencil / dx^2, i.e. the stencil is
 *       multiplied by D {@code (cells / reference-cells)^2}. The noise is space-time white noise,
 *       whose cell average has variance proportional to 1 / dx: the per-cell amplitude is
 *       multiplied by {@code sqrt(cells / reference-cells)}. Refining the grid converges (second
 *       order in dx for the deterministic part), and explicit stability then needs dt of order dx^2.
 * </ul>
 */
public enum Discretisation {
  REFERENCE,
  CONSISTENT;

  /** Parses a configuration value (case-insensitive), naming {@code key} when it is neither. */
  public static Discretisation parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(key, "must be one of reference, consistent, found '" + value + "'");
    }
  }

  /** The value as written in configurations and metadata. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The factor on the raw stencil: 1 for the reference, {@code (cells / referenceCells)^2} for
   * the consistent discretisation (exactly 1 when {@code cells == referenceCells}). The consistent
   * Laplacian is stencil / dx^2 = cells^2 stencil with the diffusion constant D / referenceCells^2,
   * so finer grids need smaller steps (dt <= dx^2 / (2 D_phys)).
   */
  public double laplacianFactor(int cells, int referenceCells) {
    if (this == REFERENCE) {
      return 1.0;
    }
    double ratio = (double) cells / referenceCells;
    return ratio * ratio;
  }

  /**
   * The factor on the per-cell noise amplitude: 1 for the reference,
   * {@code sqrt(cells / referenceCells)} for the consistent discretisation (exactly 1 when
   * {@code cells == referenceCells}).
   */
  public double noiseFactor(int cells, int referenceCells) {
    if (this == REFERENCE) {
      return 1.0;
    }
    return Math.sqrt((double) cells / referenceCells);
  }
}
