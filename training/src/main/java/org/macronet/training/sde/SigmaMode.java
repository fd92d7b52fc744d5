package org.macronet.training.sde;

/** How the SDE's diffusion matrix sigma(z) is modelled. */
public enum SigmaMode {
  /** A network from z to all d x d entries (the reference's). */
  FULL,
  /** A network from z to the d diagonal entries; no correlated noise. */
  DIAGONAL,
  /** One d x d matrix, the same at every z (additive noise). */
  CONSTANT;

  /** Parses {@code full}, {@code diagonal} or {@code constant}. */
  public static SigmaMode parse(String value) {
    for (SigmaMode m : values()) {
      if (m.name().equalsIgnoreCase(value)) {
        return m;
      }
    }
    throw new IllegalArgumentException("sigma mode must be full, diagonal or constant, found '" + value + "'");
  }
}
