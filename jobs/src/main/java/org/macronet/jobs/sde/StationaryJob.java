package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.macronet.analysis.ensemble.MagnetisationMoments;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.config.StationaryConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.training.sde.SdeModel;

/**
 * The {@code stationary} job: long Euler-Maruyama paths of a learned SDE ({@code <output.dir>/sde},
 * or {@code sde-naive} with {@code sde.naive = true}) and the stationary moments of the
 * magnetisation they sample, for finite-size scaling: the susceptibility and the Binder cumulant
 * of the lattice the SDE was learned for, as {@code <output.dir>/stationary/<model>/stationary.json}.
 *
 * <p>Path p starts from the macrostate of a pair of {@code <output.dir>/pairs}: the pairs ordered by
 * a hash of (salted {@code stationary.seed}, the pair's key), the first {@code paths} of them, so
 * that the starts are a uniform draw that does not depend on how the pairs are stored. It draws its
 * noise from {@code (salted seed, p)} alone; the paths run in fixed batches of
 * {@link RolloutJob#CHUNK}, whole batches per partition, and the batches' moments are added in batch
 * order on the driver, so the numbers do not depend on the partitioning. Each path runs
 * {@code burn-in} of time unsampled, then {@code time} sampled every {@code every} steps.
 */
public final class StationaryJob {
  public static final String FILE = "stationary.json";
  private static final long STATIONARY_SALT = 0x57A7_10DA_2B3C_4E61L;

  private StationaryJob() {}

  /** One batch of paths' samples: its index, the moments of m and the sum of each component. */
  private record Batch(int index, MagnetisationMoments moments, double[] sums) implements java.io.Serializable {}

  public static ObjectNode run(SparkSession spark, SdeConfig cfg, StationaryConfig st, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    LatticeInputs.spinSystem(cfg.system(), "stationary");
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    String name = cfg.fit().modelName();
    SdeArtifact artifact = SdeArtifact.read(fs, new Path(runDir, name));
    List<String> columns = artifact.columns();
    if (columns.stream().anyMatch(c -> c.startsWith("c_"))) {
      throw new ConfigException("closure.dimension", "stationary runs an SDE on the observables alone; "
          + name + " also has the learned closure " + columns);
    }
    if (!columns.get(0).equals("m")) {
      throw new IllegalStateException(name + "'s first component is " + columns.get(0) + ", not the magnetisation m");
    }
    Path pairsDir = new Path(runDir, EvolveConfig.PAIRS);
    if (!fs.exists(new Path(pairsDir, DatasetMetadata.FILE))) {
      throw new ConfigException("output.dir", "no pairs in " + fs.makeQualified(pairsDir) + "; run evolve first");
    }
    DatasetMetadata pairsMd = DatasetMetadata.read(fs, pairsDir);
    int side = pairsMd.arrayShape()[0];
    Dataset<Row> pairs = spark.read().parquet(pairsDir.toString());
    Row temperatures = pairs.agg(min("T"), max("T")).first();
    double t = temperatures.getDouble(0);
    if (t != temperatures.getDouble(1)) {
      throw new ConfigException("prior.T", "the stationary moments are those of one temperature; the pairs of "
          + pairsDir + " range over T in [" + t + ", " + temperatures.getDouble(1) + "]");
    }
    AtomicDirectory out = AtomicDirectory.prepare(fs,
        new Path(new Path(runDir, StationaryConfig.STATIONARY), name), cfg.overwrite(), "output.overwrite");
    double[][] starts = starts(pairs, columns, st);
    int total = starts.length;
    long burn = st.burnSteps();
    long sampled = st.sampleSteps();
    log.printf("stationary: %d paths of %s on %d x %d at T = %s, step %s, burn-in %d steps, then %d steps sampled "
        + "every %d, in %d partitions%n", total, name, side, side, SdeTrainJob.fmt(t), SdeTrainJob.fmt(st.dt()), burn,
        sampled, st.every(), st.partitions());

    int dim = artifact.model().dimension();
    int[] hidden = RolloutJob.hidden(artifact);
    String sigma = artifact.description().path("architecture").path("sigma").asText();
    float[] params = artifact.params();
    Standardisation standard = artifact.standardisation();
    long masterSeed = SampleSeeds.mix64(st.seed() ^ STATIONARY_SALT);
    int chunk = RolloutJob.CHUNK;
    int chunks = (total + chunk - 1) / chunk;
    int parts = Math.min(st.partitions(), chunks);
    List<Integer> ids = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      ids.add(p);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    MagnetisationMoments moments = new MagnetisationMoments();
    double[] componentSums = new double[dim];
    try (ProgressReporter progress = new ProgressReporter(spark, "stationary", "paths", total,
        cfg.progressSeconds(), log)) {
      org.apache.spark.util.LongAccumulator done = progress.counter();
      List<Batch> results = sc.parallelize(ids, parts).flatMap(p -> {
        SdeModel model = SdeModel.fromDescription(dim, hidden, sigma);
        List<Batch> list = new ArrayList<>();
        for (int c = (int) ((long) chunks * p / parts); c < (int) ((long) chunks * (p + 1) / parts); c++) {
          int first = c * chunk;
          int end = Math.min(total, first + chunk);
          double[][] from = new double[end - first][];
          for (int i = first; i < end; i++) {
            from[i - first] = starts[i].clone();
            if (standard != null) {
              standard.standardise(from[i - first]);
            }
          }
          MagnetisationMoments m = new MagnetisationMoments();
          double[] sums = new double[dim];
          // the burn-in, unstored, then the sampled stretch from where it ended
          double[][] burnt = from;
          if (burn > 0) {
            double[][][] warm = model.rollout(params, from, st.dt(), (int) burn, (int) burn,
                i -> SampleSeeds.forSample(masterSeed, first + i));
            burnt = new double[warm.length][];
            for (int i = 0; i < warm.length; i++) {
              burnt[i] = warm[i][1];
            }
          }
          // the sampled stretch draws from a second stream per path, so its noise is not the burn-in's again
          double[][][] paths = model.rollout(params, burnt, st.dt(), (int) sampled, st.every(),
              i -> SampleSeeds.forSample(SampleSeeds.mix64(masterSeed + 1), first + i));
          for (double[][] path : paths) {
            for (int k = 1; k < path.length; k++) {
              double[] z = path[k].clone();
              if (standard != null) {
                standard.restore(z);
              }
              m.add(z[0]);
              for (int j = 0; j < dim; j++) {
                sums[j] += z[j];
              }
            }
            done.add(1);
          }
          list.add(new Batch(c, m, sums));
        }
        return list.iterator();
      }).collect();
      List<Batch> ordered = new ArrayList<>(results);
      ordered.sort(java.util.Comparator.comparingInt(Batch::index));
      for (Batch b : ordered) {
        moments.merge(b.moments());
        for (int j = 0; j < dim; j++) {
          componentSums[j] += b.sums()[j];
        }
      }
      log.println(progress.line());
    }
    long sites = (long) side * side;
    if (!Double.isFinite(moments.second()) || !Double.isFinite(moments.fourth())) {
      throw new IllegalStateException("the paths of " + name + " left the finite numbers: the SDE diverges at "
          + "stationary.dt = " + st.dt() + "; try a smaller step");
    }
    ObjectNode json = SdeArtifact.JSON.createObjectNode();
    json.put("model", name);
    json.put("model_checksum", artifact.weightChecksum());
    json.put("pairs_checksum", pairsMd.checksum());
    json.put("side", side);
    json.put("sites", sites);
    json.put("T", t);
    json.set("settings", SdeArtifact.JSON.valueToTree(st.resolved()));
    json.put("burn_in_steps", burn);
    json.put("sampled_steps", sampled);
    json.put("samples", moments.count());
    json.put("mean_m", moments.mean());
    json.put("mean_abs_m", moments.meanAbs());
    json.put("mean_m2", moments.second());
    json.put("mean_m4", moments.fourth());
    json.put("susceptibility", moments.susceptibility(sites, t));
    json.put("susceptibility_second_moment", moments.susceptibilityOfSecondMoment(sites, t));
    json.put("binder_cumulant", moments.binderCumulant());
    ObjectNode means = json.putObject("component_means");
    for (int j = 0; j < dim; j++) {
      means.put(columns.get(j), componentSums[j] / moments.count());
    }
    json.put("definitions", "susceptibility = N (<m^2> - <|m|>^2) / T, susceptibility_second_moment = N <m^2> / T, "
        + "binder_cumulant = 1 - <m^4> / (3 <m^2>^2); N = side^2, averages over every path's samples after the "
        + "burn-in");
    json.put("code_version", BuildInfo.version());
    out.publishAfter(staging -> {
      try (OutputStream o = fs.create(new Path(staging, FILE), false)) {
        o.write(SdeArtifact.JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
      }
      return null;
    });
    log.printf("stationary: <|m|> %s, chi %s, chi' %s, Binder U %s over %d samples; wrote %s in %s%n",
        SdeTrainJob.fmt(moments.meanAbs()), SdeTrainJob.fmt(moments.susceptibility(sites, t)),
        SdeTrainJob.fmt(moments.susceptibilityOfSecondMoment(sites, t)), SdeTrainJob.fmt(moments.binderCumulant()),
        moments.count(), fs.makeQualified(out.target()), ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
    return json;
  }

  /**
   * The paths' initial macrostates: the pairs ordered by a hash of the salted seed and their key
   * (sample, sweep, own seed; ties broken by the key), the first {@code paths}; repeated in turn
   * when there are fewer pairs.
   */
  static double[][] starts(Dataset<Row> pairs, List<String> columns, StationaryConfig st) {
    List<Column> select = new ArrayList<>();
    for (String c : columns) {
      select.add(col(c));
    }
    long salt = SampleSeeds.mix64(st.seed() ^ STATIONARY_SALT);
    List<Row> rows = pairs.orderBy(xxhash64(lit(salt), col("sample_id"), col("sweep"), col("seed")), col("sample_id"),
        col("sweep"), col("seed")).select(select.toArray(Column[]::new)).limit(st.paths()).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalStateException("the pairs hold no rows to start the paths from");
    }
    double[][] starts = new double[st.paths()][columns.size()];
    for (int p = 0; p < starts.length; p++) {
      Row r = rows.get(p % rows.size());
      for (int j = 0; j < columns.size(); j++) {
        starts[p][j] = r.getDouble(j);
      }
    }
    return starts;
  }
}
