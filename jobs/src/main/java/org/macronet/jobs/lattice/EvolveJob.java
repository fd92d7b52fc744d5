package org.macronet.jobs.lattice;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.simulation.lattice.PartialEvolution;
import org.macronet.simulation.lattice.SpinEnsemble;

/**
 * The {@code evolve} job: one partial-evolution pair ({@link PartialEvolution}) per state of
 * {@code <output.dir>/<evolve.source>}, computed on the executors and written to
 * {@code <output.dir>/pairs}. A pair's randomness comes from (evolve.seed, sample_id, sweep) alone.
 *
 * <p>Rows: {@code sample_id}, {@code seed} (the pair's own), {@code T}, {@code h}, {@code sweep}
 * (the state's), {@code patch} (I, row-major over the patch grid), {@code patch_size} (p),
 * {@code patches} (K), {@code dt}; then per observable o: {@code o} (z0, the whole lattice),
 * {@code o_1} (z1), {@code patch_o_0} and {@code patch_o_1} (the patch as its own lattice, before and
 * after: the naive pairs); then {@code spins} (x0), {@code patch_0} and {@code patch_1}.
 */
public final class EvolveJob {
  /** Keeps the pairs' streams apart from every other job's, whatever the seeds. */
  private static final long EVOLVE_SALT = 0x3F8E_27C4_A91B_5D06L;

  private EvolveJob() {}

  public static DatasetMetadata run(SparkSession spark, EvolveConfig cfg, PrintStream log) throws IOException {
    if (cfg.system() instanceof FieldEnsemble fields) {
      return FieldJobs.evolve(spark, cfg, fields, log);
    }
    SpinEnsemble system = LatticeInputs.spinSystem(cfg.system(), "evolve");
    Path source = new Path(cfg.outputDir(), cfg.source());
    Path target = new Path(cfg.outputDir(), EvolveConfig.PAIRS);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    DatasetMetadata sourceMd = LatticeInputs.states(fs, source, system, "evolve.source");
    checkNotStale(fs, sourceMd, new Path(cfg.outputDir(), GenerateJob.DATASET), source);
    int side = sourceMd.arrayShape()[0];
    ConfigException.require(side % cfg.patch() == 0, "evolve.patch",
        "must divide the states' side " + side + ", found " + cfg.patch());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    Dataset<Row> states = spark.read().parquet(source.toString()).select("sample_id", "sweep", "T", "h", "spins");
    long total = sourceMd.rows();
    PartialEvolution pe = new PartialEvolution(system, side, cfg.patch(), cfg.boundary(), cfg.eventsPerPair(),
        cfg.time());
    log.printf("evolve: %d states of %d x %d from %s, K = %d patches of %d x %d, %s each (%s)%n", total, side,
        side, cfg.source(), pe.patches(), cfg.patch(), cfg.patch(),
        cfg.time() > 0 ? "time " + cfg.time() : cfg.eventsPerPair() + " events", cfg.boundary().configValue());
    Map<String, Object> described = new LinkedHashMap<>(cfg.resolved());
    described.put(LatticeInputs.SOURCE_PATH, fs.makeQualified(source).toString());
    described.put(LatticeInputs.SOURCE_CHECKSUM, sourceMd.checksum());
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.PATCH_PAIRS, fields(system, side, cfg.patch()),
        List.of("T", "h"), "partial evolution, " + cfg.boundary().configValue() + " patches", described);
    return LatticeOutput.write(spark, out, system, spec, done -> pairs(states, system, pe, cfg, side, done),
        "evolve", "pairs", total, cfg.progressSeconds(), log);
  }

  /**
   * Refuses upsampled states made from another dataset than the run's current one (regenerated
   * since), naming both checksums.
   */
  static void checkNotStale(FileSystem fs, DatasetMetadata states, Path dataset, Path source) throws IOException {
    Object madeFrom = states.configuration().get(LatticeInputs.SOURCE_CHECKSUM);
    if (madeFrom == null || !fs.exists(new Path(dataset, DatasetMetadata.FILE))) {
      return;
    }
    String now = DatasetMetadata.read(fs, dataset).checksum();
    if (!madeFrom.equals(now)) {
      throw new ConfigException("evolve.source", source + " was made from a dataset with checksum " + madeFrom
          + ", but " + dataset + " now has " + now + "; rerun upsample (with output.overwrite=true)");
    }
  }

  static List<Field> fields(SpinEnsemble system, int side, int patch) {
    List<Field> f = new ArrayList<>(List.of(Field.scalar("T", Field.Type.DOUBLE), Field.scalar("h", Field.Type.DOUBLE),
        Field.scalar("sweep", Field.Type.INT), Field.scalar("patch", Field.Type.INT),
        Field.scalar("patch_size", Field.Type.INT), Field.scalar("patches", Field.Type.INT),
        Field.scalar("dt", Field.Type.DOUBLE)));
    for (String suffix : new String[] {"%s", "%s_1", "patch_%s_0", "patch_%s_1"}) {
      for (String o : system.observables()) {
        f.add(Field.scalar(String.format(suffix, o), Field.Type.DOUBLE));
      }
    }
    f.add(Field.array(LatticeInputs.SPINS, Field.Type.BYTES, side, side));
    f.add(Field.array("patch_0", Field.Type.BYTES, patch, patch));
    f.add(Field.array("patch_1", Field.Type.BYTES, patch, patch));
    return List.copyOf(f);
  }

  private static JavaRDD<Object[]> pairs(Dataset<Row> states, SpinEnsemble system, PartialEvolution pe,
                                         EvolveConfig cfg, int side, LongAccumulator done) {
    long masterSeed = SampleSeeds.mix64(cfg.seed() ^ EVOLVE_SALT);
    int patch = cfg.patch();
    int k = pe.patches();
    int obs = system.observables().size();
    return LatticeInputs.internalRows(states).map(row -> {
      long id = row.getLong(0);
      int sweep = row.getInt(1);
      double t = row.getDouble(2);
      double h = row.getDouble(3);
      byte[] x0 = LatticeInputs.spins(row, 4, side * side, "sample " + id + ", sweep " + sweep);
      long seed = SampleSeeds.sampleSeed(SampleSeeds.sampleSeed(masterSeed, id), sweep + 1L);
      PartialEvolution.Pair pair = pe.evolve(x0, t, h, new SampleRandom(seed));
      Object[] r = new Object[2 + 7 + 4 * obs + 3];
      int c = 0;
      r[c++] = id;
      r[c++] = seed;
      r[c++] = t;
      r[c++] = h;
      r[c++] = sweep;
      r[c++] = pair.patchIndex();
      r[c++] = patch;
      r[c++] = k;
      r[c++] = pair.dt();
      for (double[] z : new double[][] {pair.z0(), pair.z1(), pair.patch0(), pair.patch1()}) {
        for (double v : z) {
          r[c++] = v;
        }
      }
      r[c++] = x0;
      r[c++] = pair.before();
      r[c] = pair.after();
      done.add(1);
      return r;
    });
  }
}
