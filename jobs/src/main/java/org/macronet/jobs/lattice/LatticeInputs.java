package org.macronet.jobs.lattice;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.lattice.SpinEnsemble;

/** What the lattice jobs read: spin states from a finished dataset of the configured system. */
public final class LatticeInputs {
  public static final String SPINS = "spins";
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
  public static DatasetMetadata states(FileSystem fs, Path dir, SpinEnsemble system, String key) throws IOException {
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

  /**
   * The rows of {@code df} in Spark's internal form: an array column is read as one primitive copy
   * rather than boxed element by element. The rows may be reused by the reader: take what is
   * needed before the next.
   */
  public static JavaRDD<InternalRow> internalRows(Dataset<Row> df) {
    return df.queryExecution().toRdd().toJavaRDD();
  }

  /** The spins of a row (a copy), each checked to be +1 or -1. */
  public static byte[] spins(InternalRow row, int index, int sites, String where) {
    byte[] out = row.getArray(index).toByteArray();
    if (out.length != sites) {
      throw new IllegalArgumentException(where + ": " + out.length + " spins, expected " + sites);
    }
    for (int i = 0; i < sites; i++) {
      if (out[i] != 1 && out[i] != -1) {
        throw new IllegalArgumentException(where + ": spin " + i + " is " + out[i] + ", not +1 or -1");
      }
    }
    return out;
  }
}
