package org.macronet.jobs.design;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.macronet.analysis.pattern.DescriptorDistance;
import org.macronet.analysis.pattern.PatternDescriptor;
import org.macronet.analysis.stats.ParameterImportance;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.jobs.train.PairDatasets;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.systems.grayscott.GrayScottKernel;
import org.macronet.systems.grayscott.GrayScottKernels;
import org.macronet.systems.grayscott.GrayScottSystem;
import scala.Tuple2;

/**
 * The Gray-Scott design sweep on Spark: targets (held-out dataset rows or a Parquet file of
 * patterns) and a reference of patterns from parameters drawn at random from the prior are spread
 * over {@code design.partitions} tasks; each task designs, re-simulates and scores its targets'
 * designs ({@link TuringDesigner}). Writes {@code designs.parquet} (one row per design, invalid
 * ones included with their reason), {@code targets.parquet} (one row per target with its
 * summary) and {@code metrics.json}. The driver holds only the reference descriptors and
 * per-target summaries, never the designed patterns.
 */
public final class TuringSweep {
  public static final String DESIGNS = "designs.parquet";
  public static final String TARGETS = "targets.parquet";
  private static final long REFERENCE_SALT = 0x7265666572656eL;
  private static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  private TuringSweep() {}

  public static DesignJob.Result run(SparkSession spark, FileSystem fs, Path staging, ModelArtifact model,
      Path datasetDir, DesignConfig config, PrintStream log) throws IOException {
    if (!(config.system() instanceof GrayScottSystem system)) {
      throw new IllegalArgumentException("the design sweep needs a Gray-Scott configuration (system = grayscott), found "
          + (config.system() == null ? "none" : config.system().name()));
    }
    if (model.net().vDim() != 2 * system.settings().cells()) {
      throw new IllegalArgumentException("the model's patterns have " + model.net().vDim() + " values but "
          + "simulation.grayscott.size = " + system.settings().size() + " makes " + 2 * system.settings().cells());
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    long t0 = System.nanoTime();
    List<PatternDescriptor> reference = reference(sc, system, config);
    DescriptorDistance distance = DescriptorDistance.fit(reference);
    log.printf(Locale.ROOT, "design: %d reference patterns from the prior simulated in %.1f s%n", reference.size(),
        (System.nanoTime() - t0) / 1e9);

    JavaRDD<TuringDesigner.Target> targets = targets(spark, model, datasetDir, config).persist(
        StorageLevel.MEMORY_AND_DISK());
    try {
      return sweep(spark, fs, staging, model, config, system, sc, reference, distance, targets, log);
    } finally {
      targets.unpersist(false);
    }
  }

  private static DesignJob.Result sweep(SparkSession spark, FileSystem fs, Path staging, ModelArtifact model,
      DesignConfig config, GrayScottSystem system, JavaSparkContext sc, List<PatternDescriptor> reference,
      DescriptorDistance distance, JavaRDD<TuringDesigner.Target> targets, PrintStream log) throws IOException {
    long count = targets.count();
    if (count == 0) {
      throw new IllegalArgumentException("design: no targets ("
          + (config.targetsPath().isEmpty() ? "no held-out rows" : "design.targets-path " + config.targetsPath()
          + " has no rows") + ")");
    }
    int d = model.net().macroDim();
    Broadcast<TuringDesigner.Model> modelB = sc.broadcast(TuringDesigner.Model.of(model.spec(), model.net(),
        model.params()));
    Broadcast<DescriptorDistance> distanceB = sc.broadcast(distance);
    Broadcast<List<PatternDescriptor>> referenceB = sc.broadcast(reference);
    long seed = config.seed();
    double temperature = config.temperature();
    int samples = config.samples();
    long t1 = System.nanoTime();
    Path designsPath = new Path(staging, DESIGNS);
    try (ProgressReporter progress = new ProgressReporter(spark, "design", "designs", count * samples,
        config.progressSeconds(), log)) {
      LongAccumulator done = progress.counter();
      JavaRDD<TuringDesigner.Design> designs = targets.mapPartitions(it -> {
        List<TuringDesigner.Design> out = new ArrayList<>();
        TuringDesigner designer = new TuringDesigner(modelB.value(), system, seed, temperature, samples);
        try (GrayScottKernel kernel = GrayScottKernels.open(system.settings().kernel(), system.settings().threads())) {
          while (it.hasNext()) {
            out.addAll(designer.design(it.next(), kernel, distanceB.value(), referenceB.value()));
            done.add(samples);
          }
        }
        return out.iterator();
      });
      spark.createDataFrame(designs.map(TuringSweep::designRow), designSchema(d, system.settings().size()))
          .write().mode(SaveMode.ErrorIfExists).parquet(designsPath.toString());
    }
    log.printf(Locale.ROOT, "design: %d targets x %d designs re-simulated and scored in %.1f s%n", count,
        samples, (System.nanoTime() - t1) / 1e9);

    Dataset<Row> written = spark.read().parquet(designsPath.toString()).drop("pattern");
    // invalid designs rank last (100): they count against the sweep instead of vanishing from it
    Dataset<Row> scored = written.withColumn("score", when(col("valid"), col("percentile")).otherwise(lit(100.0)));
    List<Column> perTarget = new ArrayList<>();
    perTarget.add(org.apache.spark.sql.functions.expr("percentile(score, 0.5)").as("median_percentile"));
    perTarget.add(sum(when(col("valid"), 1).otherwise(0)).as("valid_designs"));
    for (int k = 0; k < d; k++) {
      perTarget.add(first(col("alpha_" + k)).as("alpha_" + k));
    }
    for (String p : PARAMETERS) {
      perTarget.add(org.apache.spark.sql.functions.avg(when(col("valid"), col(p))).as("mean_" + p));
      perTarget.add(org.apache.spark.sql.functions.var_samp(when(col("valid"), col(p))).as("var_" + p));
    }
    List<Row> summaries = scored.groupBy("target_id").agg(perTarget.get(0), perTarget.subList(1, perTarget.size())
        .toArray(new Column[0])).orderBy("target_id").collectAsList();
    Row overall = scored.agg(org.apache.spark.sql.functions.expr("percentile(score, 0.5)").as("median"),
        org.apache.spark.sql.functions.expr("percentile(percentile, 0.5)").as("median_valid"),
        sum(when(col("score").leq(10.0), 1).otherwise(0)).as("within10"), count(lit(1)).as("n"),
        sum(when(col("valid"), 1).otherwise(0)).as("valid")).first();
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r : written.filter(col("valid").equalTo(false)).groupBy("invalid_reason").count().collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }

    writeTargets(spark, sc, targets, summaries, d, new Path(staging, TARGETS));
    Map<String, Object> metrics = metrics(config, (int) count, reference.size(), d, summaries, overall, byReason);
    try (OutputStream o = fs.create(new Path(staging, "metrics.json"), false)) {
      o.write(ModelArtifact.jsonBytes(metrics));
    }
    return new DesignJob.Result(List.of(), metrics, List.of(), List.of());
  }

  /** Descriptors of {@code design.random-samples} patterns from the prior, simulated on the executors. */
  private static List<PatternDescriptor> reference(JavaSparkContext sc, GrayScottSystem system, DesignConfig config) {
    int n = config.randomSamples();
    int parts = Math.min(config.partitions(), n);
    PairSystem.Sampling sampling = new PairSystem.Sampling(SampleSeeds.mix64(config.seed() ^ REFERENCE_SALT), 1);
    int size = system.settings().size();
    return sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts).flatMap(k -> {
      long from = (long) k * n / parts;
      long to = (long) (k + 1) * n / parts;
      List<PatternDescriptor> out = new ArrayList<>();
      try (PairSystem.BlockSimulator simulator = system.openSimulator()) {
        SampleBlock block = simulator.simulate(sampling, from, (int) (to - from));
        for (float[] pattern : block.arrays()) {
          out.add(PatternDescriptor.of(pattern, 0, size));
        }
      }
      return out.iterator();
    }).collect();
  }

  /**
   * The targets, read on the executors: the first {@code design.targets} held-out dataset rows in
   * sample_id order, or the first rows of {@code design.targets-path} (in sample_id order when it
   * has that column), numbered from 0 and spread over {@code design.partitions} partitions.
   */
  private static JavaRDD<TuringDesigner.Target> targets(SparkSession spark, ModelArtifact model, Path datasetDir,
      DesignConfig config) throws IOException {
    Dataset<Row> ds;
    if (config.targetsPath().isEmpty()) {
      long trainSeed = model.description().path("training").path("train.seed").asLong();
      double holdout = model.description().path("training").path("train.holdout").asDouble();
      ds = PairDatasets.open(spark, datasetDir).filter(PairDatasets.isHeldOut(trainSeed, holdout));
    } else {
      try {
        ds = spark.read().parquet(config.targetsPath());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("design.targets-path: cannot read " + config.targetsPath() + " as Parquet: "
            + e.getMessage(), e);
      }
      if (!List.of(ds.columns()).contains("pattern")) {
        throw new IllegalArgumentException("design.targets-path: " + config.targetsPath()
            + " has no 'pattern' column (array<float> of a then b), found " + List.of(ds.columns()));
      }
    }
    List<String> columns = List.of(ds.columns());
    boolean ids = columns.contains(DatasetSchema.SAMPLE_ID);
    List<String> keep = new ArrayList<>();
    if (ids) {
      keep.add(DatasetSchema.SAMPLE_ID);
    }
    boolean withParameters = columns.containsAll(PARAMETERS);
    if (withParameters) {
      keep.addAll(PARAMETERS);
    }
    keep.add("pattern");
    ds = ds.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    int limit = config.targets();
    if (ids) {
      // the first `limit` sample ids are found on the id column alone (a top-k per partition), so
      // that only their rows, not every held-out pattern, are then put in order
      List<Row> first = ds.select(DatasetSchema.SAMPLE_ID).orderBy(DatasetSchema.SAMPLE_ID).limit(limit)
          .collectAsList();
      if (!first.isEmpty()) {
        long last = first.get(first.size() - 1).getLong(0);
        ds = ds.filter(col(DatasetSchema.SAMPLE_ID).leq(last));
      }
      ds = ds.orderBy(DatasetSchema.SAMPLE_ID);
    }
    int partitions = Math.max(1, Math.min(config.partitions(), limit));
    int values = model.net().vDim();
    String where = config.targetsPath().isEmpty() ? datasetDir.toString() : config.targetsPath();
    return ds.javaRDD().zipWithIndex().filter(t -> t._2() < limit).mapToPair(t -> {
      Row r = t._1();
      int id = (int) (long) t._2();
      float[] pattern = floats(r.getList(r.fieldIndex("pattern")));
      if (pattern.length != values) {
        throw new IllegalArgumentException(where + ": target " + id + " has a pattern of " + pattern.length
            + " values; the model's has " + values);
      }
      double[] theta = null;
      if (withParameters) {
        theta = new double[PARAMETERS.size()];
        for (int c = 0; c < theta.length; c++) {
          theta[c] = r.getDouble(r.fieldIndex(PARAMETERS.get(c)));
        }
      }
      return new Tuple2<>(id, new TuringDesigner.Target(id, ids ? r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID))
          : null, theta, pattern));
    }).partitionBy(new HashPartitioner(partitions)).values();
  }

  private static float[] floats(List<Object> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).floatValue();
    }
    return out;
  }

  static StructType designSchema(int d, int size) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("target_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("design_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("target_sample_id", DataTypes.LongType, true));
    for (int k = 0; k < d; k++) {
      f.add(DataTypes.createStructField("alpha_" + k, DataTypes.DoubleType, false));
    }
    for (String p : PARAMETERS) {
      f.add(DataTypes.createStructField(p, DataTypes.DoubleType, false));
    }
    f.add(DataTypes.createStructField("seed", DataTypes.LongType, false));
    f.add(DataTypes.createStructField("valid", DataTypes.BooleanType, false));
    f.add(DataTypes.createStructField("invalid_reason", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("pattern", DataTypes.createArrayType(DataTypes.FloatType, false), true,
        new org.apache.spark.sql.types.MetadataBuilder().putLongArray(DatasetSchema.SHAPE_KEY,
            new long[] {2, size, size}).build()));
    f.add(DataTypes.createStructField("distance", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("percentile", DataTypes.DoubleType, true));
    return DataTypes.createStructType(f);
  }

  private static Row designRow(TuringDesigner.Design x) {
    List<Object> v = new ArrayList<>();
    v.add(x.targetId());
    v.add(x.designId());
    v.add(x.targetSampleId());
    for (float a : x.alpha()) {
      v.add((double) a);
    }
    for (double p : x.parameters()) {
      v.add(p);
    }
    v.add(x.seed());
    v.add(x.valid());
    v.add(x.invalidReason());
    v.add(x.pattern());
    v.add(x.distance());
    v.add(x.percentile());
    return RowFactory.create(v.toArray());
  }

  /** targets.parquet: each target's row, with its summary (from the driver's small per-target table) joined in. */
  private static void writeTargets(SparkSession spark, JavaSparkContext sc, JavaRDD<TuringDesigner.Target> targets,
      List<Row> summaries, int d, Path path) {
    Map<Integer, double[]> byId = new LinkedHashMap<>();
    for (Row s : summaries) {
      double[] v = new double[d + 2];
      for (int k = 0; k < d; k++) {
        v[k] = s.getDouble(s.fieldIndex("alpha_" + k));
      }
      v[d] = s.getDouble(s.fieldIndex("median_percentile"));
      v[d + 1] = s.getLong(s.fieldIndex("valid_designs"));
      byId.put(s.getInt(s.fieldIndex("target_id")), v);
    }
    Broadcast<Map<Integer, double[]>> summary = sc.broadcast(byId);
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("target_id", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("target_sample_id", DataTypes.LongType, true));
    for (String p : PARAMETERS) {
      f.add(DataTypes.createStructField(p, DataTypes.DoubleType, true));
    }
    for (int k = 0; k < d; k++) {
      f.add(DataTypes.createStructField("alpha_" + k, DataTypes.DoubleType, false));
    }
    f.add(DataTypes.createStructField("pattern", DataTypes.createArrayType(DataTypes.FloatType, false), false));
    f.add(DataTypes.createStructField("median_percentile", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("valid_designs", DataTypes.IntegerType, false));
    JavaRDD<Row> rows = targets.map(t -> {
      double[] s = summary.value().get(t.targetId());
      List<Object> v = new ArrayList<>();
      v.add(t.targetId());
      v.add(t.sampleId());
      for (int c = 0; c < PARAMETERS.size(); c++) {
        v.add(t.parameters() == null ? null : t.parameters()[c]);
      }
      for (int k = 0; k < d; k++) {
        v.add(s[k]);
      }
      v.add(t.pattern());
      int valid = (int) s[d + 1];
      v.add(valid > 0 ? s[d] : null);
      v.add(valid);
      return RowFactory.create(v.toArray());
    });
    spark.createDataFrame(rows, DataTypes.createStructType(f)).orderBy("target_id").write()
        .mode(SaveMode.ErrorIfExists).parquet(path.toString());
    summary.destroy();
  }

  private static Map<String, Object> metrics(DesignConfig config, int targets, int reference, int d, List<Row> summaries,
      Row overall, Map<String, Long> byReason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", GrayScottSystem.NAME);
    m.put("targets", targets);
    m.put("designs_per_target", config.samples());
    m.put("designs", overall.getLong(overall.fieldIndex("n")));
    m.put("valid", overall.getLong(overall.fieldIndex("valid")));
    long invalid = overall.getLong(overall.fieldIndex("n")) - overall.getLong(overall.fieldIndex("valid"));
    m.put("invalid", Map.of("count", invalid, "by_reason", byReason));
    m.put("random_reference", reference);
    m.put("temperature", config.temperature());
    m.put("median_percentile", overall.getDouble(overall.fieldIndex("median")));
    m.put("median_percentile_note", "invalid designs count as percentile 100");
    Object medianValid = overall.get(overall.fieldIndex("median_valid"));
    m.put("median_percentile_valid", medianValid);
    double within10 = (double) overall.getLong(overall.fieldIndex("within10"))
        / overall.getLong(overall.fieldIndex("n"));
    m.put("fraction_within_10th_percentile", within10);
    List<Double> perTarget = new ArrayList<>();
    for (Row s : summaries) {
      perTarget.add(s.getDouble(s.fieldIndex("median_percentile")));
    }
    m.put("median_percentile_per_target", perTarget);
    Map<String, Object> importance = new LinkedHashMap<>();
    for (String p : PARAMETERS) {
      double v = importance(summaries, p);
      importance.put(p, Double.isFinite(v) ? (Object) v : String.valueOf(v));
    }
    m.put("importance", importance);
    m.put("importance_definition", "std over targets of the per-target mean of the designed value / sqrt(mean over "
        + "targets of its per-target variance), valid designs, targets with 2 or more");
    m.put("summary", String.format(Locale.ROOT, "median percentile %.1f (random = 50), %.0f%% within the 10th, "
        + "%d invalid", overall.getDouble(overall.fieldIndex("median")), 100 * within10, invalid));
    return m;
  }

  /**
   * {@link ParameterImportance#ofSummaries} over the targets with 2 or more valid designs (their
   * per-target mean and sample variance of the designed value); NaN with fewer than 2 such targets.
   */
  static double importance(List<Row> summaries, String parameter) {
    List<double[]> mv = new ArrayList<>();
    for (Row s : summaries) {
      Object mean = s.get(s.fieldIndex("mean_" + parameter));
      Object var = s.get(s.fieldIndex("var_" + parameter));
      if (mean != null && var != null && Double.isFinite((Double) var)) {
        mv.add(new double[] {(Double) mean, Math.max(0, (Double) var)});
      }
    }
    if (mv.size() < 2) {
      return Double.NaN;
    }
    return ParameterImportance.ofSummaries(mv.stream().mapToDouble(x -> x[0]).toArray(),
        mv.stream().mapToDouble(x -> x[1]).toArray());
  }
}
