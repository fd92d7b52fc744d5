package org.macronet.jobs.lattice;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.macronet.simulation.ensemble.FieldEnsemble;
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

  /**
   * The configured system as a spin system, refused naming {@code system} otherwise (the commands
   * that take field systems too ask for those first).
   */
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
    DatasetMetadata md = statesOf(fs, dir, system, key, "spin states");
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
   * The description of the states in {@code dir}: snapshots ({@code generate}) or resampled states
   * of the field system {@code system}, with a float32 array column per species of one length and
   * the columns a state needs, refused naming {@code key} otherwise.
   */
  public static DatasetMetadata fieldStates(FileSystem fs, Path dir, FieldEnsemble system, String key)
      throws IOException {
    DatasetMetadata md = statesOf(fs, dir, system, key, "states");
    int cells = -1;
    for (String s : system.species()) {
      Field f = md.fields().stream().filter(x -> x.name().equals(s)).findFirst().orElse(null);
      if (f == null || f.type() != Field.Type.FLOATS || f.shape().length != 1 || (cells >= 0 && f.shape()[0] != cells)) {
        throw new ConfigException(key, dir + " has no float32 column '" + s + "' of one length with the other "
            + "species; its columns are " + md.fields());
      }
      cells = f.shape()[0];
    }
    List<String> need = new ArrayList<>(system.prior().names());
    need.add(system.indexColumn());
    for (String n : need) {
      if (md.fields().stream().noneMatch(f -> f.name().equals(n) && !f.type().isArray())) {
        throw new ConfigException(key, dir + " has no column '" + n + "'; its columns are " + md.fields());
      }
    }
    return md;
  }

  /** The description in {@code dir}, refused naming {@code key} unless it holds states of {@code system}. */
  private static DatasetMetadata statesOf(FileSystem fs, Path dir, SimulatedSystem system, String key, String what)
      throws IOException {
    DatasetMetadata md = DatasetMetadata.read(fs, dir);
    if (!md.system().equals(system.name())) {
      throw new ConfigException(key, dir + " holds " + md.system() + " data, but the configuration is for "
          + system.name());
    }
    if (!DatasetMetadata.ENSEMBLE.equals(md.kind()) && !DatasetMetadata.STATES.equals(md.kind())) {
      throw new ConfigException(key, dir + " holds " + (md.kind() == null ? "(u, v) pairs" : md.kind())
          + ", not " + what + " (snapshots of generate, or upsampled states)");
    }
    return md;
  }

  /** The cells of a field system's states described by {@code md}. */
  public static int cells(DatasetMetadata md, FieldEnsemble system) {
    String first = system.species().get(0);
    return md.fields().stream().filter(f -> f.name().equals(first)).findFirst().orElseThrow().shape()[0];
  }

  /** A field system's state from {@code row}'s array columns at {@code first}, {@code first + 1}, ..., each checked to be finite. */
  public static double[][] fields(InternalRow row, int first, int species, int cells, String where) {
    double[][] out = new double[species][cells];
    for (int s = 0; s < species; s++) {
      float[] x = row.getArray(first + s).toFloatArray();
      if (x.length != cells) {
        throw new IllegalArgumentException(where + ": " + x.length + " cells in species " + s + ", expected " + cells);
      }
      for (int j = 0; j < cells; j++) {
        if (!Float.isFinite(x[j])) {
          throw new IllegalArgumentException(where + ": cell " + j + " of species " + s + " is " + x[j]);
        }
        out[s][j] = x[j];
      }
    }
    return out;
  }

  /** {@code x} as float32, as the field columns store it. */
  public static float[] floats(double[] x) {
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (float) x[j];
    }
    return out;
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
