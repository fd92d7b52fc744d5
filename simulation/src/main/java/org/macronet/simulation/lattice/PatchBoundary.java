package org.macronet.simulation.lattice;

import org.macronet.common.config.ConfigException;

/** What a patch evolved on its own sees beyond its edge. */
public enum PatchBoundary {
  /** The patch as an isolated periodic torus; the rest of the lattice is ignored (the reference's choice). */
  PERIODIC,
  /** The rest of the lattice, frozen: the patch's edge sites feel their real neighbours (or the whole lattice's mean field). */
  HALO;

  /** Parses {@code periodic} or {@code halo}, naming {@code key} when it is neither. */
  public static PatchBoundary parse(String key, String value) {
    return switch (value) {
      case "periodic" -> PERIODIC;
      case "halo" -> HALO;
      default -> throw new ConfigException(key, "must be periodic or halo, found '" + value + "'");
    };
  }

  public String configValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
