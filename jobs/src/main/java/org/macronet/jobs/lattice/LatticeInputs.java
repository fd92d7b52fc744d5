package org.macronet.jobs.lattice;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.lattice.SpinEnsemble;

/** What the lattice jobs read: spin states from a finished dataset of the configured system. */
public final class LatticeInputs {
  static final String SPINS = "spins";
  /** Where a derived dataset records its source, in its description's configuration. */
  static final String SOURCE_PATH = "source.path";
  static final String SOURCE_CHECKSUM = "source.checksum";
  /** The columns a state needs besides {@code spins}, with their types. */
  private static final Map<String, Field.Type> STATE_COLUMNS = Map.of("sweep", Field.Type.INT, "T", Field.Type.DOUBLE,
      "h", Field.Type.DOUBLE);

  private LatticeInputs() {}

  /** The configured system as a spin system, refused naming {@code system} otherwise. */
  public static SpinEnsemble spinSystem(SimulatedSystem system, String command) {
    if (system instanceof SpinEnsemble spins) {
      return spins;
    }
    throw new ConfigException("system", command + " applies to spin lattice systems (states of +-1 spins); '"
        + system.name() + "' is not one");
  }

  /**
   * The description of the states in {@code dir}: snapshots ({@code generate}) or upsampled states
   * of {@code system}, with square int8 {@code spins} and the columns a state needs, refused
   * naming {@code key} otherwise.
   */
  static DatasetMetadata states(FileSystem fs, Path dir, SpinEnsemble system, String key) throws IOException {
    DatasetMetadata md = DatasetMetadata.read(fs, dir);
    if (!md.system().equals(system.name())) {
      throw new ConfigException(key, dir + " holds " + md.system() + " data, but the configuration is for "
          + system.name());
    }
    if (!DatasetMetadata.ENSEMBLE.equals(md.kind()) && !DatasetMetadata.STATES.equals(md.kind())) {
      throw new ConfigException(key, dir + " holds " + (md.kind() == null ? "(u, v) pairs" : md.kind())
          + ", not spin states (snapshots of generate, or upsampled states)");
    }
    if (!SPINS.equals(md.arrayColumn()) || md.arrayShape() == null || md.arrayShape().length != 2
        || md.arrayShape()[0] != md.arrayShape()[1]) {
      throw new ConfigException(key, dir + " does not hold square spin states (its array column is "
          + md.arrayColumn() + ")");
    }
    for (Map.Entry<String, Field.Type> need : STATE_COLUMNS.entrySet()) {
      boolean present = md.fields().stream()
          .anyMatch(f -> f.name().equals(need.getKey()) && f.type() == need.getValue());
      if (!present) {
        throw new ConfigException(key, dir + " has no " + need.getValue() + " column '" + need.getKey()
            + "'; its columns are " + md.fields());
      }
    }
    return md;
  }

  /** The spins of a row, unboxed. */
  static byte[] spins(Row row, int index, int sites, String where) {
    List<Object> list = row.getList(index);
    if (list.size() != sites) {
      throw new IllegalArgumentException(where + ": " + list.size() + " spins, expected " + sites);
    }
    byte[] out = new byte[sites];
    for (int i = 0; i < sites; i++) {
      byte b = (Byte) list.get(i);
      if (b != 1 && b != -1) {
        throw new IllegalArgumentException(where + ": spin " + i + " is " + b + ", not +1 or -1");
      }
      out[i] = b;
    }
    return out;
  }
}
