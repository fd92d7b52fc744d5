package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.training.sde.SdeModel;

/**
 * The {@code rollout} job: Euler-Maruyama paths of a learned SDE ({@code <output.dir>/sde}, or
 * {@code sde-naive} with {@code sde.naive = true}) from the initial states of the direct runs,
 * {@code rollout.paths} per start (path j from run j mod runs), on the evaluation's time grid, written
 * to {@code <output.dir>/rollouts/<model>}. The grid has {@code evaluate.points} times from 0 to the
 * shortest direct run's end; each interval takes {@code rollout.substeps} steps. Path p (over all
 * starts) draws its noise from {@code (salted rollout.seed, p)} alone, so any partitioning gives the
 * same rows. The paths run on the executors in batches of {@link #CHUNK} paths, whole batches per
 * partition, so that the network rounds the same way however the paths are partitioned.
 *
 * <p>Rows (the trajectories' long form): {@code source} (the model), {@code start}, the start's
 * columns ({@code m0}, or a field system's parameters),
 * {@code path}, {@code k} (grid index), {@code t} (physical time), {@code z_0 .. z_{d-1}}.
 */
public final class RolloutJob {
  public static final String GRID = "_grid.json";
  private static final long ROLLOUT_SALT = 0x20C7_A11E_5DE5_11A7L;
  /** Paths integrated as one batch. */
  static final int CHUNK = 32;

  private RolloutJob() {}

  /**
   * The direct runs' common time grid, the unit figures and reports give time in ({@code unitTime}
   * of physical time: a spin system's mean sweep when {@code inSweeps}, otherwise 1, a field system's
   * own time), the starts (each the values of {@code columns}: {@code m0} for a spin system, the
   * fixed parameters of a field system) and each run's initial macrostate.
   */
  record Starts(double[] grid, double unitTime, boolean inSweeps, List<String> columns, double[][] values, int runs,
                double[][][] initial) implements java.io.Serializable {

    int count() {
      return values.length;
    }

    /** The grid's end for people: {@code 500 sweeps}, or {@code t = 30}. */
    String until() {
      double end = grid[grid.length - 1];
      return inSweeps ? SdeTrainJob.fmt(end / unitTime) + " sweeps" : "t = " + SdeTrainJob.fmt(end);
    }

    /** Records the mean sweep duration in {@code target} ({@code sweep_time}), when time is in sweeps. */
    void recordSweepTime(ObjectNode target) {
      if (inSweeps) {
        target.put("sweep_time", unitTime);
      }
    }

    /** Start i for people: {@code m0 = +0.25}, or {@code m = 0.45, k = 0.05}. */
    String label(int i) {
      List<String> parts = new ArrayList<>();
      for (int j = 0; j < columns.size(); j++) {
        parts.add(columns.get(j) + " = " + value(j, i));
      }
      return String.join(", ", parts);
    }

    /** Start i in a file name: {@code m0_+0.25}, or {@code m_0.45_k_0.05}. */
    String tag(int i) {
      List<String> parts = new ArrayList<>();
      for (int j = 0; j < columns.size(); j++) {
        parts.add(columns.get(j) + "_" + value(j, i));
      }
      return String.join("_", parts);
    }

    private boolean magnetisations() {
      return columns.equals(List.of("m0"));
    }

    /**
     * Records the starts in {@code target}: {@code "m0": [...]} for the spin systems' magnetisations,
     * otherwise {@code "starts": {"m": [...], "k": [...]}}, so that no parameter's name can clash
     * with another key.
     */
    void record(ObjectNode target) {
      if (magnetisations()) {
        target.setAll(json());
      } else {
        target.set("starts", json());
      }
    }

    /** What {@link #record} wrote into {@code node}, as {@link #json}. */
    JsonNode recordedIn(JsonNode node) {
      if (magnetisations()) {
        ObjectNode o = SdeArtifact.JSON.createObjectNode();
        o.set("m0", node.path("m0"));
        return o;
      }
      return node.path("starts");
    }

    /** Records start i in its metrics {@code one}: {@code "m0": 0.25}, or {@code "start": {"m": 0.45, "k": 0.05}}. */
    void recordStart(ObjectNode one, int i) {
      ObjectNode at = magnetisations() ? one : one.putObject("start");
      for (int j = 0; j < columns.size(); j++) {
        at.put(columns.get(j), values[i][j]);
      }
    }

    /** Column {@code c} of the start {@link #recordStart} wrote into {@code one}. */
    double startValue(JsonNode one, String c) {
      return (magnetisations() ? one : one.path("start")).path(c).asDouble();
    }

    private String value(int j, int i) {
      return magnetisations() ? String.format(Locale.ROOT, "%+.2f", values[i][j]) : shortNumber(values[i][j]);
    }

    /** {@code x} to 4 significant digits without trailing zeros: 0.45, 0.1. */
    static String shortNumber(double x) {
      return java.math.BigDecimal.valueOf(Standardisation.round4(x)).stripTrailingZeros().toPlainString();
    }

    /** The starts' values per column, {@code {"m0": [...]}}, as the rollouts and metrics record them. */
    ObjectNode json() {
      ObjectNode o = SdeArtifact.JSON.createObjectNode();
      for (int j = 0; j < columns.size(); j++) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = values[i][j];
        }
        o.set(columns.get(j), SdeArtifact.JSON.valueToTree(v));
      }
      return o;
    }
  }

  /**
   * The evaluation grid of {@code <run>/direct} ({@code points} times to the shortest run's end),
   * its time unit, its starts and its runs' initial values of {@code columns}.
   */
  static Starts starts(SparkSession spark, FileSystem fs, Path runDir, SimulatedSystem system, List<String> columns,
                       int points) throws IOException {
    Path directDir = directSource(fs, runDir, columns);
    Dataset<Row> direct = spark.read().parquet(directDir.toString());
    for (String c : columns) {
      if (!List.of(direct.columns()).contains(c)) {
        throw new ConfigException("output.dir", directDir + " has no column '" + c + "' the model needs");
      }
    }
    if (direct.isEmpty()) {
      throw new IllegalStateException(directDir + " holds no direct runs");
    }
    Object named = DatasetMetadata.read(fs, new Path(runDir, SdeConfig.DIRECT)).configuration()
        .get(DirectJob.START_COLUMNS);
    List<String> startColumns = named == null ? List.of("m0") : List.of(named.toString().split(","));
    boolean sweeps = List.of(direct.columns()).contains("sweep");
    String index = sweeps ? "sweep" : system instanceof FieldEnsemble f ? f.indexColumn() : null;
    if (index == null || !List.of(direct.columns()).contains(index)) {
      throw new ConfigException("output.dir", directDir + " has no snapshot index column for " + system.name());
    }
    Row last = direct.groupBy("sample_id").agg(max(index).as("n"), max("time").as("end"))
        .agg(min("end"), org.apache.spark.sql.functions.sum("end"), org.apache.spark.sql.functions.sum("n"))
        .first();
    double end = last.getDouble(0);
    double unitTime = sweeps ? last.getDouble(1) / last.getLong(2) : 1.0;
    List<org.apache.spark.sql.Column> select = new ArrayList<>(List.of(col("start"), col("run")));
    for (String c : startColumns) {
      select.add(col(c));
    }
    for (String c : columns) {
      select.add(col(c));
    }
    // the initial states of the evaluation's runs: starts x runs values, whatever the training data's size
    List<Row> first = direct.where(col(index).equalTo(0)).select(select.toArray(org.apache.spark.sql.Column[]::new))
        .orderBy("start", "run").collectAsList();
    int starts = 0;
    int runs = 0;
    for (Row r : first) {
      starts = Math.max(starts, r.getInt(0) + 1);
      runs = Math.max(runs, r.getInt(1) + 1);
    }
    if ((long) starts * runs != first.size()) {
      throw new IllegalStateException(directDir + ": " + first.size() + " initial states for " + starts + " starts of "
          + runs + " runs");
    }
    int sc = startColumns.size();
    double[][] values = new double[starts][sc];
    double[][][] z = new double[starts][runs][columns.size()];
    for (int i = 0; i < first.size(); i++) {
      Row r = first.get(i);
      for (int j = 0; j < sc; j++) {
        values[r.getInt(0)][j] = r.getDouble(2 + j);
      }
      for (int j = 0; j < columns.size(); j++) {
        z[r.getInt(0)][r.getInt(1)][j] = r.getDouble(2 + sc + j);
      }
    }
    if (first.isEmpty() || !(end > 0)) {
      throw new IllegalStateException(directDir + ": the direct runs are empty or never advance in time");
    }
    return new Starts(org.macronet.analysis.ensemble.TimeGrid.uniform(end, points), unitTime,
        sweeps, startColumns, values, runs, z);
  }

  /**
   * Where the direct runs' macrostates are: {@code <run>/direct}, or {@code <run>/encoded/direct}
   * when {@code columns} include the learned closure's.
   */
  static Path directSource(FileSystem fs, Path runDir, List<String> columns) throws IOException {
    long closure = columns.stream().filter(c -> c.startsWith("c_")).count();
    Path direct = new Path(runDir, SdeConfig.DIRECT);
    if (!fs.exists(new Path(direct, DatasetMetadata.FILE))) {
      throw new ConfigException("output.dir", "no direct runs in " + fs.makeQualified(direct) + "; run direct first");
    }
    if (closure == 0) {
      return direct;
    }
    EncodeJob.checkSources(fs, runDir, (int) closure, null, DatasetMetadata.read(fs, direct).checksum());
    return new Path(new Path(runDir, SdeConfig.ENCODED), EncodeJob.DIRECT);
  }

  /** One row of {@link #schema}: a path's state {@code z} at grid time k. */
  static Row trajectoryRow(String source, int start, double[] startValues, int path, int k, double t, double[] z) {
    int s = startValues.length;
    Object[] v = new Object[5 + s + z.length];
    v[0] = source;
    v[1] = start;
    for (int j = 0; j < s; j++) {
      v[2 + j] = startValues[j];
    }
    v[2 + s] = path;
    v[3 + s] = k;
    v[4 + s] = t;
    for (int j = 0; j < z.length; j++) {
      v[5 + s + j] = z[j];
    }
    return RowFactory.create(v);
  }

  /**
   * {@code source, start}, the start's columns, {@code path, k, t, z_0 .. z_{d-1}}. The start's
   * columns keep their names ({@code m0}) unless one is taken by another column (a parameter
   * {@code k}): then all are {@code start_<name>}.
   */
  static StructType schema(List<String> startColumns, int d) {
    List<StructField> f = new ArrayList<>(List.of(DataTypes.createStructField("source", DataTypes.StringType, false),
        DataTypes.createStructField("start", DataTypes.IntegerType, false)));
    boolean taken = startColumns.stream()
        .anyMatch(c -> List.of("source", "start", "path", "k", "t").contains(c) || c.matches("z_\\d+"));
    for (String c : startColumns) {
      f.add(DataTypes.createStructField(taken ? "start_" + c : c, DataTypes.DoubleType, false));
    }
    f.add(DataTypes.createStructField("path", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("k", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("t", DataTypes.DoubleType, false));
    for (int j = 0; j < d; j++) {
      f.add(DataTypes.createStructField("z_" + j, DataTypes.DoubleType, false));
    }
    return DataTypes.createStructType(f);
  }

  public static void run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    String name = cfg.fit().modelName();
    SdeArtifact artifact = SdeArtifact.read(fs, new Path(runDir, name));
    Starts starts = starts(spark, fs, runDir, cfg.system(), artifact.columns(), cfg.evaluation().points());
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(new Path(runDir, SdeConfig.ROLLOUTS), name),
        cfg.overwrite(), "output.overwrite");
    SdeConfig.Rollout r = cfg.rollout();
    int perStart = r.paths();
    int total = perStart * starts.count();
    int points = starts.grid().length;
    double dt = starts.grid()[points - 1] / (points - 1) / r.substeps();
    log.printf("rollout: %d paths of %s (%d per start) to t = %s%s, step %s, in %d partitions%n", total,
        name, perStart, SdeTrainJob.fmt(starts.grid()[points - 1]), starts.inSweeps()
            ? " (" + SdeTrainJob.fmt(starts.grid()[points - 1] / starts.unitTime()) + " sweeps)" : "",
        SdeTrainJob.fmt(dt), r.partitions());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Starts> shared = sc.broadcast(starts);
    int parts = Math.min(r.partitions(), (total + CHUNK - 1) / CHUNK);
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    int dim = artifact.model().dimension();
    int[] hidden = hidden(artifact);
    String sigma = artifact.description().path("architecture").path("sigma").asText();
    float[] params = artifact.params();
    Standardisation standard = artifact.standardisation();
    long masterSeed = SampleSeeds.mix64(r.seed() ^ ROLLOUT_SALT);
    int substeps = r.substeps();
    try (ProgressReporter progress = new ProgressReporter(spark, "rollout", "paths", total, cfg.progressSeconds(),
        log)) {
      org.apache.spark.util.LongAccumulator done = progress.counter();
      JavaRDD<Row> rows = sc.parallelize(ids, parts).flatMap(p -> {
        Starts s = shared.value();
        SdeModel model = SdeModel.fromDescription(dim, hidden, sigma);
        // whole chunks of CHUNK paths per partition: the network sees the same batches, and rounds
        // the same way, however many partitions there are
        int chunks = (total + CHUNK - 1) / CHUNK;
        List<Row> outRows = new ArrayList<>();
        for (int c = (int) ((long) chunks * p / parts); c < (int) ((long) chunks * (p + 1) / parts); c++) {
          int first = c * CHUNK;
          int end = Math.min(total, first + CHUNK);
          double[][] from = new double[end - first][];
          for (int i = first; i < end; i++) {
            from[i - first] = s.initial()[i / perStart][(i % perStart) % s.runs()].clone();
            if (standard != null) {
              standard.standardise(from[i - first]);
            }
          }
          double[][][] paths = model.rollout(params, from, dt, (points - 1) * substeps, substeps,
              i -> SampleSeeds.forSample(masterSeed, first + i));
          if (standard != null) {
            // back from the networks' standardised z' to z
            for (double[][] path : paths) {
              for (double[] z : path) {
                standard.restore(z);
              }
            }
          }
          for (int i = first; i < end; i++) {
            int start = i / perStart;
            for (int k = 0; k < points; k++) {
              outRows.add(trajectoryRow(name, start, s.values()[start], i % perStart, k, s.grid()[k],
                  paths[i - first][k]));
            }
            done.add(1);
          }
        }
        return outRows.iterator();
      });
      out.publishAfter(staging -> {
        spark.createDataFrame(rows, schema(starts.columns(), dim)).write().parquet(new Path(staging, "paths").toString());
        ObjectNode grid = SdeArtifact.JSON.createObjectNode();
        grid.put("model", name);
        grid.put("model_checksum", artifact.weightChecksum());
        grid.put("paths_per_start", perStart);
        starts.record(grid);
        grid.put("points", points);
        grid.put("end", starts.grid()[points - 1]);
        starts.recordSweepTime(grid);
        grid.put("dt", dt);
        grid.put("seed", r.seed());
        grid.set("z_columns", SdeArtifact.JSON.valueToTree(artifact.columns()));
        grid.put("code_version", BuildInfo.version());
        try (OutputStream o = fs.create(new Path(staging, GRID), false)) {
          o.write(SdeArtifact.JSON.writeValueAsString(grid).getBytes(StandardCharsets.UTF_8));
        }
        return null;
      });
      log.println(progress.line());
    } finally {
      shared.destroy();
    }
    log.printf("rollout: wrote %s in %s%n", fs.makeQualified(out.target()),
        ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
  }

  static int[] hidden(SdeArtifact a) {
    return SdeArtifact.JSON.convertValue(a.description().path("architecture").path("hidden"), int[].class);
  }
}
