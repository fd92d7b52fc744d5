package org.macronet.jobs.design;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.macronet.experiment.Column;
import org.macronet.experiment.DesignRow;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.MacroNetDesigner;
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Tally;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetSummary;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.io.Flattened;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.jobs.train.TrainedRun;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.training.macronet.TrainedMacroNet;
import scala.Tuple2;

/**
 * The {@code design} job, one path for every system: the configured system's
 * {@link DesignStudy} says which targets, how designs are scored and what is summarised; this job
 * does the rest on Spark. A reference of prior samples (when the study has one) is simulated on the
 * executors; the targets ({@link DesignTargets}: held-out rows or a Parquet file) are spread over
 * {@code design.partitions} tasks; each task designs its targets, alpha = m_v(v*),
 * u = f_u^{-1}([alpha, eps]) with eps ~ N(0, T^2 I) keyed by (design.seed, target, design), and
 * scores them. Writes {@code <run>/design/designs.parquet} (one row per design, or per kind of
 * design), {@code targets.parquet} (one row per target with its summary) and {@code metrics.json}.
 * The driver holds the per-target summaries (not their arrays) and one merged {@link Tally}, never
 * the designs.
 */
public final class DesignJob {
  public static final String DESIGN = "design";
  public static final String DESIGNS = "designs.parquet";
  public static final String TARGETS = "targets.parquet";
  public static final String METRICS = "metrics.json";

  private DesignJob() {}

  /** What the sweep wrote: its metrics and counts. */
  public record Result(Map<String, Object> metrics, long targets, long designs) {}

  public static Result run(SparkSession spark, DesignConfig config, PrintStream log) throws IOException {
    return run(spark, config, null, log);
  }

  /** As {@link #run(SparkSession, DesignConfig, PrintStream)}, with the model of {@code inputs} when not null (the pipeline's). */
  public static Result run(SparkSession spark, DesignConfig config, TrainedRun inputs, PrintStream log)
      throws IOException {
    Path run = new Path(config.outputDir());
    FileSystem fs = run.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(run, DESIGN), config.overwrite(), "output.overwrite");
    TrainedRun in = inputs != null ? inputs : TrainedRun.load(spark, fs, run);
    ModelArtifact model = in.model();
    DesignStudy study = config.study();
    checkModel(model, config.system());
    Result result = out.publishAfter(staging -> sweep(spark, fs, staging, model, study, in.dataset(), config, log));
    log.printf(Locale.ROOT, "design: -> %s; %s%n", fs.makeQualified(out.target()), result.metrics().get("summary"));
    return result;
  }

  /** The model must be of the configured system, with observations of its size. */
  public static void checkModel(ModelArtifact model, PairSystem system) {
    if (!model.system().equals(system.name())) {
      throw new IllegalArgumentException("design: the model was trained on system '" + model.system()
          + "' but the configuration names system = " + system.name() + "; design with the run's configuration");
    }
    int values = system.arrayColumn().map(PairSystem.ArrayColumn::length).orElse(system.vColumns().size());
    if (model.net().vDim() != values) {
      throw new IllegalArgumentException("design: the model's observations have " + model.net().vDim()
          + " values but the configured " + system.name() + " system makes " + values
          + "; design with the simulation settings the model was trained with");
    }
  }

  private static Result sweep(SparkSession spark, FileSystem fs, Path staging, ModelArtifact model, DesignStudy study,
      Path datasetDir, DesignConfig config, PrintStream log) throws IOException {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Serializable context = study.prepare(reference(sc, study, config, log));
    JavaRDD<Target> targets = DesignTargets.choose(spark, model, datasetDir, config, study)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = targets.count();
      if (count == 0) {
        throw new IllegalArgumentException("design: no targets: no " + (config.targetsPath().isEmpty()
            ? "held-out row" : "row of design.targets-path " + config.targetsPath()) + " qualifies as a target of "
            + "the " + config.system().name() + " study");
      }
      int d = model.net().macroDim();
      Path designsPath = new Path(staging, DESIGNS);
      long t0 = System.nanoTime();
      design(spark, sc, targets, count, model.bundle(), study, context, config, designsPath, log);
      log.printf(Locale.ROOT, "design: %d targets x %d designs scored in %.1f s%n", count, config.samples(),
          (System.nanoTime() - t0) / 1e9);
      return summarise(spark, sc, fs, staging, targets, count, study, d, designsPath);
    } finally {
      targets.unpersist(false);
    }
  }

  /** The study's reference: its prior samples simulated on the executors, each described there. */
  private static List<Serializable> reference(JavaSparkContext sc, DesignStudy study, DesignConfig config,
      PrintStream log) {
    int n = study.referenceSamples();
    if (n == 0) {
      return List.of();
    }
    long t0 = System.nanoTime();
    int parts = Math.min(config.partitions(), n);
    PairSystem system = config.system();
    PairSystem.Sampling sampling = new PairSystem.Sampling(study.referenceSeed(), 1);
    List<Serializable> out = sc.parallelize(IntStream.range(0, parts).boxed().toList(), parts).flatMap(k -> {
      long from = (long) k * n / parts;
      long to = (long) (k + 1) * n / parts;
      List<Serializable> described = new ArrayList<>();
      try (PairSystem.BlockSimulator simulator = system.openSimulator()) {
        SampleBlock block = simulator.simulate(sampling, from, (int) (to - from));
        for (int i = 0; i < block.size(); i++) {
          described.add(study.describeReference(block, i));
        }
      }
      return described.iterator();
    }).collect();
    log.printf(Locale.ROOT, "design: %d reference samples from the prior simulated in %.1f s%n", n,
        (System.nanoTime() - t0) / 1e9);
    return out;
  }

  /** Designs and scores every target on the executors, writing the rows to {@code path}. */
  private static void design(SparkSession spark, JavaSparkContext sc, JavaRDD<Target> targets, long count,
      TrainedMacroNet model, DesignStudy study, Serializable context, DesignConfig config, Path path,
      PrintStream log) {
    Broadcast<TrainedMacroNet> modelB = sc.broadcast(model);
    Broadcast<DesignStudy> studyB = sc.broadcast(study);
    Broadcast<Serializable> contextB = sc.broadcast(context);
    long seed = config.seed();
    double temperature = config.temperature();
    int samples = config.samples();
    int d = model.spec().macroDim();
    try (ProgressReporter progress = new ProgressReporter(spark, "design", "designs", count * samples,
        config.progressSeconds(), log)) {
      LongAccumulator done = progress.counter();
      JavaRDD<Row> rows = targets.mapPartitions(it -> {
        DesignStudy s = studyB.value();
        MacroNetDesigner designer = new MacroNetDesigner(modelB.value(), seed, temperature, samples);
        Scorer scorer = s.openScorer(contextB.value(), designer);
        TaskContext task = TaskContext.get();
        if (task != null) {
          task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> scorer.close());
        }
        return new Flattened<>(it, target -> {
          MacroNetDesigner.Designs x = designer.designAt(target, s.targetMacrostate(target, designer), s.designsV());
          List<DesignRow> scored;
          try {
            scored = scorer.score(target, x.alpha(), x.u(), x.v());
          } catch (RuntimeException e) {
            throw new IllegalStateException("design: scoring " + describe(target) + " failed: " + e, e);
          }
          List<Row> out = new ArrayList<>(scored.size());
          for (DesignRow r : scored) {
            out.add(designRow(target, r, x.alpha()));
          }
          done.add(samples);
          return out;
        });
      });
      spark.createDataFrame(rows, SweepSchema.designs(d, study)).write().mode(SaveMode.ErrorIfExists)
          .parquet(path.toString());
    } finally {
      modelB.destroy();
      studyB.destroy();
      contextB.destroy();
    }
  }

  /** A target as error messages name it: its number and the row it came from. */
  static String describe(Target t) {
    return "target " + t.id() + (t.sampleId() == null ? "" : " (sample_id " + t.sampleId() + ")");
  }

  private static Row designRow(Target target, DesignRow r, float[] alpha) {
    Object[] v = new Object[3 + alpha.length + r.values().length];
    v[0] = target.id();
    v[1] = r.designId();
    v[2] = target.sampleId();
    for (int k = 0; k < alpha.length; k++) {
      v[3 + k] = (double) alpha[k];
    }
    System.arraycopy(r.values(), 0, v, 3 + alpha.length, r.values().length);
    return RowFactory.create(v);
  }

  /** A target with its macrostate and summary. */
  private record Outcome(Target target, float[] alpha, TargetSummary summary) implements Serializable {}

  /**
   * Each target's summary from its design rows (read back, the study's summary columns only),
   * {@code targets.parquet}, and the metrics from the per-target summaries and the merged tally.
   */
  private static Result summarise(SparkSession spark, JavaSparkContext sc, FileSystem fs, Path staging,
      JavaRDD<Target> targets, long count, DesignStudy study, int d, Path designsPath) throws IOException {
    List<org.apache.spark.sql.Column> light = new ArrayList<>();
    light.add(functions.col("target_id"));
    light.add(functions.col("design_id"));
    for (int k = 0; k < d; k++) {
      light.add(functions.col("alpha_" + k));
    }
    List<String> summaryColumns = study.summaryColumns();
    summaryColumns.forEach(c -> light.add(functions.col(c)));
    int width = 2 + d + summaryColumns.size();
    JavaPairRDD<Integer, Iterable<Object[]>> byTarget = spark.read().parquet(designsPath.toString())
        .select(light.toArray(org.apache.spark.sql.Column[]::new)).javaRDD()
        .mapToPair(r -> {
          Object[] v = new Object[width];
          for (int i = 0; i < width; i++) {
            v[i] = r.get(i);
          }
          return new Tuple2<>(r.getInt(0), v);
        }).groupByKey(targets.getNumPartitions());
    Broadcast<DesignStudy> studyB = sc.broadcast(study);
    JavaRDD<Outcome> outcomes = targets.mapToPair(t -> new Tuple2<>(t.id(), t)).join(byTarget).values().map(p -> {
      List<Object[]> rows = new ArrayList<>();
      p._2().forEach(rows::add);
      rows.sort(Comparator.comparingInt(r -> (Integer) r[1]));
      float[] alpha = new float[d];
      for (int k = 0; k < d; k++) {
        alpha[k] = (float) (double) (Double) rows.get(0)[2 + k];
      }
      List<Object[]> values = new ArrayList<>(rows.size());
      for (Object[] r : rows) {
        values.add(java.util.Arrays.copyOfRange(r, 2 + d, width));
      }
      try {
        return new Outcome(p._1(), alpha, studyB.value().summarize(p._1(), alpha, values));
      } catch (RuntimeException e) {
        throw new IllegalStateException("design: summarising " + describe(p._1()) + " failed: " + e, e);
      }
    }).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Column> columns = study.targetColumns();
      spark.createDataFrame(outcomes.map(o -> targetRow(o)), SweepSchema.targets(d, study)).orderBy("target_id")
          .write().mode(SaveMode.ErrorIfExists).parquet(new Path(staging, TARGETS).toString());
      List<Map<String, Object>> perTarget = new ArrayList<>(outcomes.map(o -> scalars(o, columns)).collect());
      perTarget.sort(Comparator.comparingInt(m -> (Integer) m.get("target_id")));
      if (perTarget.size() != count) {
        throw new IllegalStateException("design: " + (count - perTarget.size()) + " of " + count + " targets have "
            + "no design rows (the study's scorer returned none), first missing: target "
            + firstMissing(perTarget));
      }
      Tally tally = outcomes.map(o -> o.summary().tally()).fold(new Tally(), (a, b) -> new Tally().merge(a).merge(b));
      long designs = spark.read().parquet(designsPath.toString()).count();
      Map<String, Object> metrics = study.metrics(perTarget, tally);
      try (OutputStream o = fs.create(new Path(staging, METRICS), false)) {
        o.write(ModelArtifact.jsonBytes(metrics));
      }
      return new Result(metrics, perTarget.size(), designs);
    } finally {
      outcomes.unpersist(false);
      studyB.destroy();
    }
  }

  /** The lowest target id not among the summaries (ids run from 0). */
  private static int firstMissing(List<Map<String, Object>> perTarget) {
    for (int i = 0; i < perTarget.size(); i++) {
      if ((Integer) perTarget.get(i).get("target_id") != i) {
        return i;
      }
    }
    return perTarget.size();
  }

  private static Row targetRow(Outcome o) {
    Object[] values = o.summary().values();
    Object[] v = new Object[2 + o.alpha().length + values.length];
    v[0] = o.target().id();
    v[1] = o.target().sampleId();
    for (int k = 0; k < o.alpha().length; k++) {
      v[2 + k] = (double) o.alpha()[k];
    }
    System.arraycopy(values, 0, v, 2 + o.alpha().length, values.length);
    return RowFactory.create(v);
  }

  /** A target's summary for the driver: ids, alpha and the target columns that are not arrays. */
  private static Map<String, Object> scalars(Outcome o, List<Column> columns) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target_id", o.target().id());
    m.put("target_sample_id", o.target().sampleId());
    for (int k = 0; k < o.alpha().length; k++) {
      m.put("alpha_" + k, o.alpha()[k]);
    }
    for (int c = 0; c < columns.size(); c++) {
      if (columns.get(c).type() != Column.Type.FLOAT_ARRAY) {
        m.put(columns.get(c).name(), o.summary().values()[c]);
      }
    }
    return m;
  }
}
