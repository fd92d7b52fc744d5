package org.macronet.jobs.lattice;

import java.io.IOException;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.lattice.SpinEnsemble;

/** What the lattice jobs read: spin states from a finished dataset of the configured system. */
final class LatticeInputs {
  static final String SPINS = "spins";

  private LatticeInputs() {}

  /** The configured system as a spin system, refused naming {@code system} otherwise. */
  static SpinEnsemble spinSystem(SimulatedSystem system, String command) {
    if (system instanceof SpinEnsemble spins) {
      return spins;
    }
    throw new ConfigException("system", command + " applies to spin lattice systems (states of +-1 spins); '"
        + system.name() + "' is not one");
  }

  /**
   * The description of the dataset in {@code dir}, checked to be states of {@code system} with a
   * square {@code spins} column; returns its side.
   */
  static int side(FileSystem fs, Path dir, SpinEnsemble system, String key) throws IOException {
    DatasetMetadata md = DatasetMetadata.read(fs, dir);
    if (!md.system().equals(system.name())) {
      throw new ConfigException(key, dir + " holds " + md.system() + " data, but the configuration is for "
          + system.name());
    }
    if (!md.isEnsemble() || !SPINS.equals(md.arrayColumn()) || md.arrayShape() == null || md.arrayShape().length != 2
        || md.arrayShape()[0] != md.arrayShape()[1]) {
      throw new ConfigException(key, dir + " does not hold square spin states (its array column is "
          + md.arrayColumn() + ")");
    }
    return md.arrayShape()[0];
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
