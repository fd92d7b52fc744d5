package org.macronet.jobs.lattice;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.ensemble.FieldEnsemble;

/**
 * {@code upsample} and {@code evolve} for a field system ({@link FieldEnsemble}: fields on a line of
 * cells, such as two species' densities): the training states of a longer line are the
 * snapshots resampled onto {@code upsample.size} cells, and a pair advances one of K =
 * cells / {@code evolve.patch} patches of a state by {@code evolve.events} steps (0: one). The
 * rows mirror the spin systems' ({@link UpsampleJob}, {@link EvolveJob}) with the species' float32
 * arrays in place of {@code spins}.
 */
final class FieldJobs {
  /** Keeps the pairs' streams apart from every other job's, whatever the seeds. */
  private static final long EVOLVE_SALT = 0x5C1E_D0A7_93B4_2E61L;

  private FieldJobs() {}

  /**
   * Rows of {@code upsampled/}: {@code sample_id}, {@code seed} (0: resampling draws nothing), the
   * parameters, the index column, the observables, and each species on {@code upsample.size} cells.
   */
  static DatasetMetadata upsample(SparkSession spark, UpsampleConfig cfg, FieldEnsemble system, PrintStream log)
      throws IOException {
    Path source = new Path(cfg.outputDir(), GenerateJob.DATASET);
    Path target = new Path(cfg.outputDir(), UpsampleJob.UPSAMPLED);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    DatasetMetadata sourceMd = LatticeInputs.fieldStates(fs, source, system, "output.dir");
    int from = LatticeInputs.cells(sourceMd, system);
    ConfigException.require(cfg.randomStates() == 0, "upsample.random-states",
        "applies to spin systems; " + system.name() + " resamples its snapshots only, found " + cfg.randomStates());
    checkCells(system, cfg.size(), "upsample.size");
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    Dataset<Row> snapshots = spark.read().parquet(source.toString()).select(stateColumns(system))
        .where(col(system.indexColumn()).mod(cfg.every()).equalTo(0));
    long total = snapshots.count();
    log.printf("upsample: %d snapshots of %d cells -> %d cells (linear interpolation)%n", total, from, cfg.size());
    Map<String, Object> described = new LinkedHashMap<>(cfg.resolved());
    described.put(LatticeInputs.SOURCE_PATH, fs.makeQualified(source).toString());
    described.put(LatticeInputs.SOURCE_CHECKSUM, sourceMd.checksum());
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.STATES, stateFields(system, cfg.size()),
        system.prior().names(), "linear interpolation " + from + " -> " + cfg.size() + " cells", described);
    int size = cfg.size();
    int params = system.prior().names().size();
    int species = system.species().size();
    return LatticeOutput.write(spark, out, system, spec, done -> LatticeInputs.internalRows(snapshots).map(row -> {
      long id = row.getLong(0);
      int index = row.getInt(1 + params);
      double[][] small = LatticeInputs.fields(row, 2 + params, species, from, "sample " + id + ", "
          + system.indexColumn() + " " + index);
      double[][] big = stored(system.resample(small, size));
      Object[] r = new Object[2 + params + 1 + system.observables().size() + species];
      int c = 0;
      r[c++] = id;
      r[c++] = 0L;
      for (int p = 0; p < params; p++) {
        r[c++] = row.getDouble(1 + p);
      }
      r[c++] = index;
      for (double o : system.observe(big)) {
        r[c++] = o;
      }
      for (double[] x : big) {
        r[c++] = LatticeInputs.floats(x);
      }
      done.add(1);
      return r;
    }), "upsample", "states", total, cfg.progressSeconds(), log);
  }

  /**
   * Refuses, on the driver and before any output is touched, a number of cells the dynamics
   * cannot run on, naming the system's key and where the number came from.
   */
  static void checkCells(FieldEnsemble system, int cells, String from) {
    try {
      system.checkCells(cells);
    } catch (ConfigException e) {
      throw new ConfigException(e.key(), "on " + cells + " cells (" + from + "): "
          + e.getMessage().substring(e.key().length() + 2));
    }
  }

  /** {@code sample_id}, the parameters, the index column and the species of a state. */
  private static Column[] stateColumns(FieldEnsemble system) {
    List<Column> c = new ArrayList<>(List.of(col("sample_id")));
    for (String p : system.prior().names()) {
      c.add(col(p));
    }
    c.add(col(system.indexColumn()));
    for (String s : system.species()) {
      c.add(col(s));
    }
    return c.toArray(Column[]::new);
  }

  static List<Field> stateFields(FieldEnsemble system, int cells) {
    List<Field> f = new ArrayList<>();
    for (String p : system.prior().names()) {
      f.add(Field.scalar(p, Field.Type.DOUBLE));
    }
    f.add(Field.scalar(system.indexColumn(), Field.Type.INT));
    for (String o : system.observables()) {
      f.add(Field.scalar(o, Field.Type.DOUBLE));
    }
    for (String s : system.species()) {
      f.add(Field.array(s, Field.Type.FLOATS, cells));
    }
    return List.copyOf(f);
  }

  /** The state as it is stored (float32), so that the observables are those of the stored values. */
  private static double[][] stored(double[][] state) {
    double[][] out = new double[state.length][];
    for (int s = 0; s < state.length; s++) {
      out[s] = new double[state[s].length];
      for (int j = 0; j < out[s].length; j++) {
        out[s][j] = (float) state[s][j];
      }
    }
    return out;
  }

  /** Euler steps per pair: {@code evolve.events}, or one. */
  static int steps(EvolveConfig cfg) {
    ConfigException.require(cfg.eventsPerPair() <= 1_000_000, "evolve.events", "steps per pair must be at most "
        + "1000000 for a field system, found " + cfg.events());
    return (int) cfg.eventsPerPair();
  }

  /**
   * Rows of {@code pairs/}: {@code sample_id}, {@code seed} (the pair's own), the parameters, the
   * index column, {@code patch} (I), {@code patch_size} (cells), {@code patches} (K), {@code dt}; per
   * observable o: {@code o}, {@code o_1}, {@code patch_o_0}, {@code patch_o_1} (as for spins); then
   * each species of x0, then {@code patch_<s>_0} and {@code patch_<s>_1} per species.
   */
  static DatasetMetadata evolve(SparkSession spark, EvolveConfig cfg, FieldEnsemble system, PrintStream log)
      throws IOException {
    Path source = new Path(cfg.outputDir(), cfg.source());
    Path target = new Path(cfg.outputDir(), EvolveConfig.PAIRS);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    DatasetMetadata sourceMd = LatticeInputs.fieldStates(fs, source, system, "evolve.source");
    EvolveJob.checkNotStale(fs, sourceMd, new Path(cfg.outputDir(), GenerateJob.DATASET), source);
    int cells = LatticeInputs.cells(sourceMd, system);
    int patch = cfg.patch();
    ConfigException.require(cells % patch == 0, "evolve.patch", "must divide the states' " + cells + " cells, found "
        + patch);
    int steps = steps(cfg);
    checkCells(system, cells, cfg.source() + "'s cells");
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    Dataset<Row> states = spark.read().parquet(source.toString()).select(stateColumns(system));
    long total = sourceMd.rows();
    int k = cells / patch;
    log.printf("evolve: %d states of %d cells from %s, K = %d patches of %d cells, %d step%s each (%s)%n", total, cells,
        cfg.source(), k, patch, steps, steps == 1 ? "" : "s", cfg.boundary().configValue());
    Map<String, Object> described = new LinkedHashMap<>(cfg.resolved());
    described.put(LatticeInputs.SOURCE_PATH, fs.makeQualified(source).toString());
    described.put(LatticeInputs.SOURCE_CHECKSUM, sourceMd.checksum());
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.PATCH_PAIRS, pairFields(system, cells, patch),
        system.prior().names(), "partial evolution, " + cfg.boundary().configValue() + " patches, " + steps
            + " step" + (steps == 1 ? "" : "s"), described);
    return LatticeOutput.write(spark, out, system, spec, done -> pairs(states, system, cfg, cells, steps, done),
        "evolve", "pairs", total, cfg.progressSeconds(), log);
  }

  static List<Field> pairFields(FieldEnsemble system, int cells, int patch) {
    List<Field> f = new ArrayList<>();
    for (String p : system.prior().names()) {
      f.add(Field.scalar(p, Field.Type.DOUBLE));
    }
    f.add(Field.scalar(system.indexColumn(), Field.Type.INT));
    f.addAll(List.of(Field.scalar("patch", Field.Type.INT), Field.scalar("patch_size", Field.Type.INT),
        Field.scalar("patches", Field.Type.INT), Field.scalar("dt", Field.Type.DOUBLE)));
    for (String suffix : new String[] {"%s", "%s_1", "patch_%s_0", "patch_%s_1"}) {
      for (String o : system.observables()) {
        f.add(Field.scalar(String.format(suffix, o), Field.Type.DOUBLE));
      }
    }
    for (String s : system.species()) {
      f.add(Field.array(s, Field.Type.FLOATS, cells));
    }
    for (String suffix : new String[] {"patch_%s_0", "patch_%s_1"}) {
      for (String s : system.species()) {
        f.add(Field.array(String.format(suffix, s), Field.Type.FLOATS, patch));
      }
    }
    return List.copyOf(f);
  }

  private static JavaRDD<Object[]> pairs(Dataset<Row> states, FieldEnsemble system, EvolveConfig cfg, int cells,
                                         int steps, LongAccumulator done) {
    long masterSeed = SampleSeeds.mix64(cfg.seed() ^ EVOLVE_SALT);
    int patch = cfg.patch();
    int k = cells / patch;
    int params = system.prior().names().size();
    int species = system.species().size();
    int obs = system.observables().size();
    double dt = steps * system.stepTime();
    var boundary = cfg.boundary();
    return LatticeInputs.internalRows(states).map(row -> {
      long id = row.getLong(0);
      int index = row.getInt(1 + params);
      double[][] x0 = LatticeInputs.fields(row, 2 + params, species, cells, "sample " + id + ", "
          + system.indexColumn() + " " + index);
      long seed = SampleSeeds.sampleSeed(SampleSeeds.sampleSeed(masterSeed, id), index + 1L);
      SampleRandom rng = new SampleRandom(seed);
      int at = rng.nextInt(k);
      int from = at * patch;
      double[][] patch0 = slice(x0, from, patch);
      double[][] x1 = new double[species][];
      for (int s = 0; s < species; s++) {
        x1[s] = x0[s].clone();
      }
      system.evolvePatch(x1, from, from + patch, boundary, steps, rng);
      double[][] patch1 = stored(slice(x1, from, patch));
      double[] z0 = system.observe(x0);
      double[] p0 = system.observe(patch0);
      double[] p1 = system.observe(patch1);
      double[] z1 = new double[obs];
      for (int j = 0; j < obs; j++) {
        // the whole line's change is the patch's own: z1 = z0 + phi(patch after) - phi(patch before)
        z1[j] = z0[j] + (p1[j] - p0[j]);
      }
      Object[] r = new Object[2 + params + 5 + 4 * obs + 3 * species];
      int c = 0;
      r[c++] = id;
      r[c++] = seed;
      for (int p = 0; p < params; p++) {
        r[c++] = row.getDouble(1 + p);
      }
      r[c++] = index;
      r[c++] = at;
      r[c++] = patch;
      r[c++] = k;
      r[c++] = dt;
      for (double[] z : new double[][] {z0, z1, p0, p1}) {
        for (double v : z) {
          r[c++] = v;
        }
      }
      for (double[] x : x0) {
        r[c++] = LatticeInputs.floats(x);
      }
      for (double[] x : patch0) {
        r[c++] = LatticeInputs.floats(x);
      }
      for (double[] x : patch1) {
        r[c++] = LatticeInputs.floats(x);
      }
      done.add(1);
      return r;
    });
  }

  private static double[][] slice(double[][] state, int from, int length) {
    double[][] out = new double[state.length][length];
    for (int s = 0; s < state.length; s++) {
      System.arraycopy(state[s], from, out[s], 0, length);
    }
    return out;
  }
}
