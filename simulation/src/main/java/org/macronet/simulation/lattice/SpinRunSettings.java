package org.macronet.simulation.lattice;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;

/**
 * A spin system's own keys, {@code simulation.<system>.*}: the lattice and how long each
 * trajectory runs.
 *
 * @param prefix        the keys' prefix, e.g. {@code simulation.ising.}, for error messages and metadata
 * @param size          L, the side of the L x L lattice
 * @param sweeps        sweeps per trajectory; a sweep is L^2 events, of random duration
 * @param snapshotEvery sweeps between stored snapshots (the initial state is stored too)
 */
public record SpinRunSettings(String prefix, int size, int sweeps, int snapshotEvery) implements Serializable {

  public SpinRunSettings {
    ConfigException.require(size >= 2 && size <= 4096, prefix + "size", "must be in [2, 4096], found " + size);
    ConfigException.require(sweeps >= 0, prefix + "sweeps", "must be non-negative, found " + sweeps);
    ConfigException.require(snapshotEvery >= 1, prefix + "snapshot-every", "must be positive, found " + snapshotEvery);
    ConfigException.require(sweeps % snapshotEvery == 0, prefix + "snapshot-every",
        "must divide " + prefix + "sweeps = " + sweeps + ", found " + snapshotEvery);
  }

  /** Reads {@code <prefix>size}, {@code <prefix>sweeps} and {@code <prefix>snapshot-every}. */
  public static SpinRunSettings from(String prefix, Settings c) {
    return new SpinRunSettings(prefix, c.intValue(prefix + "size"), c.intValue(prefix + "sweeps"),
        c.intValue(prefix + "snapshot-every"));
  }

  /** Sites of the lattice, L^2 (also the events of one sweep). */
  public int sites() {
    return size * size;
  }

  /** Stored snapshots per trajectory, the initial state included. */
  public int snapshots() {
    return sweeps / snapshotEvery + 1;
  }

  public Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(prefix + "size", size);
    out.put(prefix + "sweeps", sweeps);
    out.put(prefix + "snapshot-every", snapshotEvery);
    return out;
  }
}
