package org.macronet.jobs.lattice;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.simulation.lattice.SpinEnsemble;
import org.macronet.simulation.lattice.SpinLattice;
import org.macronet.simulation.lattice.Upsampling;

/**
 * The {@code upsample} job: every snapshot of {@code <output.dir>/dataset} whose sweep is a multiple
 * of {@code upsample.every}, upsampled to {@code upsample.size} ({@link Upsampling}) on the
 * executors, plus {@code upsample.random-states} states of random magnetisation, written to
 * {@code <output.dir>/upsampled}. A state's randomness comes from (upsample.seed, sample_id, sweep)
 * alone, so any partitioning gives the same rows and checksum.
 *
 * <p>Rows: {@code sample_id}, {@code seed} (the state's own), {@code T}, {@code h}, {@code sweep}
 * (the source snapshot's; -1 for a random state, whose sample_id counts them), the observables, and
 * {@code spins}.
 */
public final class UpsampleJob {
  public static final String UPSAMPLED = "upsampled";
  /** Keep this job's streams apart from every other job's, whatever the seeds: upsampled and random states. */
  private static final long UPSAMPLE_SALT = 0x7A3C_91E5_0D62_B84FL;
  private static final long RANDOM_SALT = 0x5EED_0F_4A2D_0B5EL;

  private UpsampleJob() {}

  public static DatasetMetadata run(SparkSession spark, UpsampleConfig cfg, PrintStream log) throws IOException {
    if (cfg.system() instanceof FieldEnsemble fields) {
      return FieldJobs.upsample(spark, cfg, fields, log);
    }
    SpinEnsemble system = LatticeInputs.spinSystem(cfg.system(), "upsample");
    Path source = new Path(cfg.outputDir(), GenerateJob.DATASET);
    Path target = new Path(cfg.outputDir(), UPSAMPLED);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    DatasetMetadata sourceMd = LatticeInputs.states(fs, source, system, "output.dir");
    int from = sourceMd.arrayShape()[0];
    int ratio = cfg.size() / from;
    ConfigException.require(cfg.size() % from == 0 && Integer.bitCount(ratio) == 1, "upsample.size",
        "must be the dataset's side " + from + " times a power of 2, found " + cfg.size());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    Dataset<Row> snapshots = spark.read().parquet(source.toString()).select("sample_id", "sweep", "T", "h", "spins")
        .where(col("sweep").mod(cfg.every()).equalTo(0));
    long fromSnapshots = snapshots.count();
    long total = fromSnapshots + cfg.randomStates();
    log.printf("upsample: %d snapshots of %d x %d and %d random states -> %d x %d%n", fromSnapshots, from, from,
        cfg.randomStates(), cfg.size(), cfg.size());
    Upsampling up = new Upsampling(system, from, cfg.size(), cfg.window(), cfg.stride(), cfg.events(), cfg.boundary(),
        cfg.time());
    List<Field> fields = fields(system, cfg.size());
    Map<String, Object> described = new LinkedHashMap<>(cfg.resolved());
    described.put(LatticeInputs.SOURCE_PATH, fs.makeQualified(source).toString());
    described.put(LatticeInputs.SOURCE_CHECKSUM, sourceMd.checksum());
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.STATES, fields, List.of("T", "h"),
        "hierarchical upsampling " + from + " -> " + cfg.size() + ", " + cfg.boundary().configValue() + " windows, "
            + (cfg.time() > 0 ? "time " + cfg.time() : cfg.events() + " events") + " each",
        described);
    return LatticeOutput.write(spark, out, system, spec,
        done -> upsampled(snapshots, system, up, cfg, from, done).union(random(spark, system, cfg, done)),
        "upsample", "states", total, cfg.progressSeconds(), log);
  }

  static List<Field> fields(SpinEnsemble system, int size) {
    List<Field> f = new ArrayList<>(List.of(Field.scalar("T", Field.Type.DOUBLE), Field.scalar("h", Field.Type.DOUBLE),
        Field.scalar("sweep", Field.Type.INT)));
    for (String o : system.observables()) {
      f.add(Field.scalar(o, Field.Type.DOUBLE));
    }
    f.add(Field.array(LatticeInputs.SPINS, Field.Type.BYTES, size, size));
    return List.copyOf(f);
  }

  private static JavaRDD<Object[]> upsampled(Dataset<Row> snapshots, SpinEnsemble system, Upsampling up,
                                             UpsampleConfig cfg, int from, LongAccumulator done) {
    long masterSeed = SampleSeeds.mix64(cfg.seed() ^ UPSAMPLE_SALT);
    int size = cfg.size();
    return LatticeInputs.internalRows(snapshots).map(row -> {
      long id = row.getLong(0);
      int sweep = row.getInt(1);
      double t = row.getDouble(2);
      double h = row.getDouble(3);
      byte[] small = LatticeInputs.spins(row, 4, from * from, "sample " + id + ", sweep " + sweep);
      long seed = SampleSeeds.sampleSeed(SampleSeeds.sampleSeed(masterSeed, id), sweep + 1L);
      byte[] big = up.upsample(small, t, h, new SampleRandom(seed));
      done.add(1);
      return row(id, seed, t, h, sweep, system.observe(big, size), big);
    });
  }

  private static JavaRDD<Object[]> random(SparkSession spark, SpinEnsemble system, UpsampleConfig cfg,
                                          LongAccumulator done) {
    long n = cfg.randomStates();
    int partitions = n == 0 ? 1 : (int) Math.min(cfg.partitions(), n);
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    long masterSeed = SampleSeeds.mix64(cfg.seed() ^ RANDOM_SALT);
    int size = cfg.size();
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, partitions).flatMap(p -> {
      long first = GenerateJob.partitionStart(p, n, partitions);
      long end = GenerateJob.partitionStart(p + 1, n, partitions);
      return new Iterator<Object[]>() {
        private long next = first;

        @Override
        public boolean hasNext() {
          return next < end;
        }

        @Override
        public Object[] next() {
          long id = next++;
          long seed = SampleSeeds.sampleSeed(masterSeed, id);
          SampleRandom rng = new SampleRandom(seed);
          double[] theta = new double[3];
          system.prior().draw(rng, 0, theta);
          byte[] s = SpinLattice.withMagnetisation(size * size, theta[2], rng);
          done.add(1);
          return row(id, seed, theta[0], theta[1], -1, system.observe(s, size), s);
        }
      };
    });
  }

  private static Object[] row(long id, long seed, double t, double h, int sweep, double[] observables, byte[] spins) {
    Object[] r = new Object[6 + observables.length];
    r[0] = id;
    r[1] = seed;
    r[2] = t;
    r[3] = h;
    r[4] = sweep;
    for (int k = 0; k < observables.length; k++) {
      r[5 + k] = observables[k];
    }
    r[r.length - 1] = spins;
    return r;
  }
}
