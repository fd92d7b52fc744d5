package org.macronet.jobs.sde;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.io.Flattened;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.lattice.LatticeOutput;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.simulation.lattice.SpinEnsemble;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The {@code direct} job: the runs that judge a learned SDE. {@code direct.runs} trajectories of
 * the large lattice from each initial magnetisation of {@code direct.starts} (exactly, with the
 * up-spins placed at random), T and h from the prior, written to {@code <output.dir>/direct}; for
 * a field system, of the long line from each point of {@code direct.grid} ({@link #runFields}).
 * Run i (starts in order, then runs) has seed {@code sampleSeed(salted direct.seed, i)}, so any
 * partitioning gives the same rows.
 *
 * <p>Rows: {@code sample_id} (i), {@code seed}, {@code start} (the index into direct.starts),
 * {@code run}, then the system's snapshot columns ({@code T, h, m0, sweep, time, m, rho, spins}).
 */
public final class DirectJob {
  /**
   * Where the direct runs' description names the columns that tell the starts apart (comma
   * separated); absent for the spin systems', whose start is {@code m0}.
   */
  public static final String START_COLUMNS = "direct.start-columns";
  /** Keeps these runs' streams apart from every other job's, whatever the seeds. */
  private static final long DIRECT_SALT = 0x1D1E_C7B0_A5E5_0F3DL;

  private DirectJob() {}

  public static DatasetMetadata run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    if (cfg.system() instanceof FieldEnsemble fields) {
      return runFields(spark, cfg, fields, log);
    }
    SpinEnsemble system = LatticeInputs.spinSystem(cfg.system(), "direct");
    SdeConfig.Direct d = cfg.direct();
    int size = cfg.directSize();
    SpinRunSettings runs = new SpinRunSettings("direct.", size, d.sweeps(), d.snapshotEvery());
    Prior[] priors = new Prior[d.starts().length];
    for (int s = 0; s < priors.length; s++) {
      Map<String, PriorEntry> entries = new LinkedHashMap<>();
      for (String name : SpinEnsemble.PARAMETERS) {
        entries.put(name, name.equals("m0") ? new PriorEntry.Fixed(d.starts()[s]) : system.prior().entry(name));
      }
      priors[s] = new Prior(entries);
    }
    Path target = new Path(cfg.outputDir(), SdeConfig.DIRECT);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    List<Field> fields = rowFields(system.fields(size));
    long samples = d.samples();
    long rows = samples * runs.snapshots();
    log.printf("direct: %d runs of %d x %d, %d sweeps, from m0 in %s, in %d partitions%n", samples, size, size,
        d.sweeps(), Arrays.toString(d.starts()), d.partitions());
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.ENSEMBLE, fields,
        SpinEnsemble.PARAMETERS, "direct runs: " + system.openSimulator().description(), cfg.resolvedDirect());
    long masterSeed = SampleSeeds.mix64(d.seed() ^ DIRECT_SALT);
    return LatticeOutput.write(spark, out, system, spec,
        done -> simulate(spark, system, runs, priors, d.runs(), samples, d.partitions(), masterSeed, done),
        "direct", "snapshots", rows, cfg.progressSeconds(), log);
  }

  /**
   * The direct runs of a field system: {@code direct.runs} runs on {@code direct.size} cells from
   * each point of the {@code direct.grid} (the prior's parameters fixed there), {@code direct.steps}
   * steps, a snapshot every {@code direct.snapshot-every}. Rows: {@code sample_id, seed, start, run},
   * then the system's snapshot columns. The description records the start columns (the parameters).
   */
  private static DatasetMetadata runFields(SparkSession spark, SdeConfig cfg, FieldEnsemble system, PrintStream log)
      throws IOException {
    SdeConfig.Direct d = cfg.direct();
    int cells = cfg.directSize();
    List<String> names = system.prior().names();
    double[][] points = d.gridStarts();
    Prior[] priors = new Prior[points.length];
    for (int s = 0; s < priors.length; s++) {
      Map<String, PriorEntry> entries = new LinkedHashMap<>();
      for (int j = 0; j < names.size(); j++) {
        entries.put(names.get(j), new PriorEntry.Fixed(points[s][j]));
      }
      priors[s] = new Prior(entries);
    }
    // refuses an unstable or otherwise invalid run before any task starts, naming the key
    String description;
    try (EnsembleSystem.Simulator probe = system.openSimulator(cells, d.steps(), d.snapshotEvery(), priors[0])) {
      description = probe.description();
    } catch (ConfigException e) {
      throw new ConfigException(e.key(), "on " + cells + " cells (direct.size): "
          + e.getMessage().substring(e.key().length() + 2));
    }
    Path target = new Path(cfg.outputDir(), SdeConfig.DIRECT);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, cfg.overwrite(), "output.overwrite");
    List<Field> fields = rowFields(system.fields(cells));
    long samples = d.samples();
    long rows = samples * (d.steps() / d.snapshotEvery() + 1);
    log.printf("direct: %d runs of %d cells, %d steps, from each %s of %s, in %d partitions%n", samples, cells,
        d.steps(), names, d.gridText(), d.partitions());
    Map<String, Object> described = new LinkedHashMap<>(cfg.resolvedDirect());
    described.put(START_COLUMNS, String.join(",", names));
    LatticeOutput.Spec spec = new LatticeOutput.Spec(DatasetMetadata.ENSEMBLE, fields, names,
        "direct runs: " + description, described);
    long masterSeed = SampleSeeds.mix64(d.seed() ^ DIRECT_SALT);
    return LatticeOutput.write(spark, out, system, spec,
        done -> simulate(spark, start -> system.openSimulator(cells, d.steps(), d.snapshotEvery(), priors[start]),
            d.runs(), samples, d.partitions(), masterSeed, done),
        "direct", "snapshots", rows, cfg.progressSeconds(), log);
  }

  /** A direct run's columns after {@code sample_id} and {@code seed}: {@code start, run}, then a snapshot's. */
  private static List<Field> rowFields(List<Field> snapshot) {
    List<Field> fields = new ArrayList<>(List.of(Field.scalar("start", Field.Type.INT),
        Field.scalar("run", Field.Type.INT)));
    fields.addAll(snapshot);
    return List.copyOf(fields);
  }

  /** Opens the simulator of a start's runs on the executor. */
  interface Simulators extends java.io.Serializable {
    EnsembleSystem.Simulator open(int start);
  }

  private static JavaRDD<Object[]> simulate(SparkSession spark, SpinEnsemble system, SpinRunSettings settings,
                                            Prior[] priors, int perStart, long samples, int partitions,
                                            long masterSeed, LongAccumulator done) {
    return simulate(spark, start -> system.openSimulator(settings, priors[start]), perStart, samples, partitions,
        masterSeed, done);
  }

  private static JavaRDD<Object[]> simulate(SparkSession spark, Simulators simulators, int perStart, long samples,
                                            int partitions, long masterSeed, LongAccumulator done) {
    int parts = (int) Math.min(partitions, samples);
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, parts).flatMap(p -> {
      long first = GenerateJob.partitionStart(p, samples, parts);
      long end = GenerateJob.partitionStart(p + 1, samples, parts);
      // one run's rows at a time
      return new Flattened<>(LongStream.range(first, end).iterator(), id -> {
        int start = (int) (id / perStart);
        int run = (int) (id % perStart);
        long seed = SampleSeeds.sampleSeed(masterSeed, id);
        List<Object[]> rows = new ArrayList<>();
        EnsembleSystem.Simulator sim = simulators.open(start);
        try {
          sim.simulate(seed, values -> {
            Object[] row = new Object[4 + values.length];
            row[0] = id;
            row[1] = seed;
            row[2] = start;
            row[3] = run;
            System.arraycopy(values, 0, row, 4, values.length);
            rows.add(row);
          });
        } finally {
          sim.close();
        }
        done.add(rows.size());
        return rows;
      });
    });
  }
}
