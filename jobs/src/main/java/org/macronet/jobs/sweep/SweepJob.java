package org.macronet.jobs.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.macronet.jobs.analyze.AnalyzeJob;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.SweepConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.pipeline.PipelineJob;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.jobs.train.PairDatasets;
import org.macronet.jobs.train.TrainJob;
import org.macronet.jobs.train.TrainedRun;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.LossAggregator;

/**
 * {@code sweep}: many trainings on one dataset as one Spark job, then design and analysis of
 * each, then one table of every run's settings, metrics and bars.
 *
 * <ol>
 *   <li>The dataset, {@code <output.dir>/dataset}: generated, or reused when it was generated with
 *       the same settings.</li>
 *   <li>Training: one Spark task per run, each training in its task with the single-JVM trainer
 *       ({@code train.threads} threads) into its own folder, {@code <output.dir>/sweep/runs/<name>}.
 *       The rows are read once and broadcast, so each executor receives them once and all its runs
 *       share them. A run's training log goes to its {@code train.log}; a failed run is reported
 *       in the table and the others go on.</li>
 *   <li>Design and analysis of each trained run, as {@code pipeline} does them, and its
 *       {@code manifest.json}.</li>
 *   <li>{@code <output.dir>/sweep/sweep.json}, {@code results.csv} and the index page
 *       ({@link SweepTable}).</li>
 * </ol>
 *
 * A run whose manifest records the same configuration and dataset is finished and is not redone;
 * one whose model matches is not trained again; one killed in training resumes from its last
 * checkpoint. So a killed sweep, started again, redoes nothing it finished, and each run's model
 * has the same bytes as a standalone {@code pipeline}'s with those settings trained in the JVM.
 */
public final class SweepJob {
  /** A run's training output, beside its model. */
  public static final String TRAIN_LOG = "train.log";

  private SweepJob() {}

  /** What became of one run. */
  public record RunResult(String name, Map<String, Object> settings, String status, String error,
      Map<String, Object> metrics) {
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public boolean done() {
      return DONE.equals(status);
    }
  }

  /** The sweep's runs in sweep order, and its folder. */
  public record Result(List<RunResult> runs, Path dir) {
    public long failed() {
      return runs.stream().filter(r -> !r.done()).count();
    }
  }

  public static Result run(SparkSession spark, SweepConfig sweep, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    Path dir = new Path(sweep.dir());
    FileSystem fs = dir.getFileSystem(hadoop);
    Path datasetDir = new Path(sweep.generate().outputDir(), GenerateJob.DATASET);
    DatasetMetadata meta = dataset(spark, fs, sweep.generate(), datasetDir, log);
    int n = sweep.runs().size();
    log.printf(Locale.ROOT, "sweep: %d runs over %s on %s -> %s%n", n, String.join(", ", sweep.keys()),
        fs.makeQualified(datasetDir), fs.makeQualified(dir));

    Map<String, RunResult> results = new LinkedHashMap<>();
    List<SweepConfig.Run> toTrain = new ArrayList<>();
    List<SweepConfig.Run> toAnalyze = new ArrayList<>();
    for (SweepConfig.Run run : sweep.runs()) {
      Path runDir = new Path(run.train().outputDir());
      Map<String, Object> finished = finishedMetrics(fs, runDir, run, sweep.generate(), meta);
      if (finished != null) {
        results.put(run.name(), new RunResult(run.name(), run.settings(), RunResult.DONE, null, finished));
      } else {
        if (!trained(fs, runDir, run.train(), meta)) {
          toTrain.add(run);
        }
        toAnalyze.add(run);
      }
    }
    log.printf(Locale.ROOT, "sweep: %d finished earlier, %d to train, %d to design and analyze%n", results.size(),
        toTrain.size(), toAnalyze.size());

    Map<String, String> trainErrors = toTrain.isEmpty() ? Map.of()
        : train(spark, hadoop, sweep, toTrain, datasetDir, meta, log);
    int k = 0;
    for (SweepConfig.Run run : toAnalyze) {
      k++;
      String error = trainErrors.get(run.name());
      if (error != null) {
        results.put(run.name(), new RunResult(run.name(), run.settings(), RunResult.FAILED, "train: " + error, null));
        continue;
      }
      log.printf(Locale.ROOT, "sweep: run %d/%d %s: design and analysis%n", k, toAnalyze.size(), run.name());
      try {
        Map<String, Object> metrics = designAndAnalyze(spark, fs, sweep, run, datasetDir, meta, log);
        results.put(run.name(), new RunResult(run.name(), run.settings(), RunResult.DONE, null, metrics));
      } catch (IOException | RuntimeException e) {
        String reason = reason(e);
        log.printf("sweep: run %s failed in design or analysis: %s%n", run.name(), reason);
        results.put(run.name(), new RunResult(run.name(), run.settings(), RunResult.FAILED, reason, null));
      }
    }
    List<RunResult> ordered = sweep.runs().stream().map(r -> results.get(r.name())).toList();
    Result result = new Result(ordered, fs.makeQualified(dir));
    SweepTable.write(fs, dir, sweep, meta, ordered, log);
    long passed = ordered.stream().filter(r -> r.done() && Boolean.TRUE.equals(r.metrics().get("bars_passed")))
        .count();
    log.printf(Locale.ROOT, "sweep: done in %s; %d of %d runs finished, %d failed; all bars met in %d of %d; "
            + "table -> %s%n", ProgressReporter.duration(PipelineJob.seconds(t0)), n - result.failed(), n,
        result.failed(), passed, n, new Path(result.dir(), SweepTable.INDEX));
    return result;
  }

  /**
   * The dataset at {@code datasetDir}: reused when its recorded configuration is {@code generate}'s
   * (apart from {@code output.*}), else generated (refused, naming what differs, when one is there
   * and {@code output.overwrite} is false).
   */
  static DatasetMetadata dataset(SparkSession spark, FileSystem fs, GenerateConfig generate, Path datasetDir,
      PrintStream log) throws IOException {
    if (fs.exists(new Path(datasetDir, DatasetMetadata.FILE))) {
      DatasetMetadata meta = DatasetMetadata.read(fs, datasetDir);
      Map<String, Object> want = withoutOutput(generate.resolved());
      Map<String, Object> have = withoutOutput(meta.configuration());
      if (sameJson(want, have)) {
        log.printf("sweep: reusing the dataset at %s (%d rows, checksum %s)%n", fs.makeQualified(datasetDir),
            meta.rows(), meta.checksum());
        return meta;
      }
      if (!generate.overwrite()) {
        throw new IllegalArgumentException(fs.makeQualified(datasetDir) + " was generated with other settings ("
            + difference(want, have) + "); set output.overwrite=true to generate it again, or give the sweep "
            + "another output.dir");
      }
    }
    return GenerateJob.run(spark, generate, log);
  }

  /** A run's metrics when its manifest records the run's configuration and dataset, else null. */
  static Map<String, Object> finishedMetrics(FileSystem fs, Path runDir, SweepConfig.Run run,
      GenerateConfig generate, DatasetMetadata meta) throws IOException {
    Path manifest = new Path(runDir, PipelineJob.MANIFEST);
    if (!fs.exists(manifest) || !fs.exists(new Path(new Path(runDir, TrainJob.MODEL), ModelArtifact.DESCRIPTION))) {
      return null;
    }
    JsonNode m = readJson(fs, manifest);
    Map<String, Object> configuration = withoutOutput(ModelArtifact.asMap(m.path("configuration")));
    boolean same = sameJson(run.resolved(generate), configuration)
        && meta.checksum().equals(m.path("checksums").path("dataset").asText());
    return same ? ModelArtifact.asMap(m.path("metrics")) : null;
  }

  /** Whether {@code <run>/model} holds a model trained with {@code train}'s settings on this dataset. */
  static boolean trained(FileSystem fs, Path runDir, TrainConfig train, DatasetMetadata meta) throws IOException {
    Path json = new Path(new Path(runDir, TrainJob.MODEL), ModelArtifact.DESCRIPTION);
    if (!fs.exists(json)) {
      return false;
    }
    JsonNode d = readJson(fs, json);
    return sameJson(train.resolved(), ModelArtifact.asMap(d.path("training")))
        && meta.checksum().equals(d.path("provenance").path("dataset_checksum").asText())
        && d.path("result").path("steps").asLong() == train.steps();
  }

  /** One run's training as a Spark task: what it needs, all serialisable. */
  private record TrainTask(String name, TrainConfig config, String datasetDir, String metadataJson)
      implements Serializable {}

  /** What a training task reports: null error when it trained. */
  private record TrainOutcome(String name, String error, double seconds) implements Serializable {}

  /**
   * Trains {@code runs}, one Spark task each, and returns the errors of those that failed by run
   * name. Progress (steps and runs done, running and failed, time left) goes to {@code log}.
   */
  private static Map<String, String> train(SparkSession spark, Configuration hadoop, SweepConfig sweep,
      List<SweepConfig.Run> runs, Path datasetDir, DatasetMetadata meta, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PairData all = PairDatasets.loadAll(spark, datasetDir, meta.uColumns(), meta.vColumns());
    for (SweepConfig.Run run : runs) {
      // a held-out split too small is refused here, naming the run, before any task starts
      PairDatasets.split(all, run.train().seed(), run.train().holdout(), datasetDir);
    }
    Broadcast<PairData> rows = sc.broadcast(all);
    Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(hadoop));
    String master = spark.sparkContext().master();
    long steps = runs.stream().mapToLong(r -> r.train().steps() * r.train().restarts()).sum();
    List<TrainTask> tasks = runs.stream().map(r -> new TrainTask(r.name(), r.train(), datasetDir.toString(),
        meta.toJson())).toList();
    List<TrainOutcome> outcomes;
    try (SweepProgress progress = new SweepProgress(spark, runs.size(), steps,
        sweep.generate().progressSeconds(), log)) {
      LongAccumulator stepsDone = progress.steps();
      LongAccumulator failed = progress.failedRuns();
      outcomes = sc.parallelize(tasks, tasks.size()).map(t -> {
        TrainOutcome o = trainOne(t, rows.value(), conf.value().value(), master, stepsDone);
        if (o.error() != null) {
          failed.add(1);
        }
        return o;
      }).collect();
    } finally {
      rows.destroy();
      conf.destroy();
    }
    Map<String, String> errors = new LinkedHashMap<>();
    log.printf(Locale.ROOT, "sweep: trained %d of %d runs in %s (%.0f s of training in all)%n",
        outcomes.stream().filter(o -> o.error() == null).count(), outcomes.size(),
        ProgressReporter.duration(PipelineJob.seconds(t0)), outcomes.stream().mapToDouble(TrainOutcome::seconds).sum());
    for (TrainOutcome o : outcomes) {
      if (o.error() != null) {
        errors.put(o.name(), o.error());
        log.printf("sweep: run %s failed in training: %s%n", o.name(), o.error());
      }
    }
    return errors;
  }

  /** Trains one run in this JVM (an executor's task), writing its log to {@code <run>/train.log}. */
  private static TrainOutcome trainOne(TrainTask t, PairData all, Configuration hadoop, String master,
      LongAccumulator stepsDone) {
    long t0 = System.nanoTime();
    Path runDir = new Path(t.config().outputDir());
    try {
      FileSystem fs = runDir.getFileSystem(hadoop);
      fs.mkdirs(runDir);
      Path datasetDir = new Path(t.datasetDir());
      DatasetMetadata meta = DatasetMetadata.fromJson(t.metadataJson(), datasetDir.toString());
      PairDatasets.Split split = PairDatasets.split(all, t.config().seed(), t.config().holdout(), datasetDir);
      try (OutputStream o = fs.create(new Path(runDir, TRAIN_LOG), true);
          PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8)) {
        TrainJob.trainInJvm(fs, t.config(), datasetDir, meta, split, master, step -> stepsDone.add(1), out);
      }
      return new TrainOutcome(t.name(), null, PipelineJob.seconds(t0));
    } catch (IOException | RuntimeException e) {
      return new TrainOutcome(t.name(), reason(e), PipelineJob.seconds(t0));
    }
  }

  /** Design, analysis and the manifest of one trained run, as {@code pipeline} writes them; its metrics. */
  private static Map<String, Object> designAndAnalyze(SparkSession spark, FileSystem fs, SweepConfig sweep,
      SweepConfig.Run run, Path datasetDir, DatasetMetadata meta, PrintStream log) throws IOException {
    Path runDir = new Path(run.train().outputDir());
    long t0 = System.nanoTime();
    ModelArtifact model = ModelArtifact.read(fs, new Path(runDir, TrainJob.MODEL));
    TrainedRun inputs = TrainedRun.onDataset(spark, datasetDir, model);
    // the model is this run's: outputs derived from it before the sweep was stopped are redone
    org.macronet.jobs.config.DesignConfig design = run.design().withOverwrite(true);
    Map<String, Object> timings = new LinkedHashMap<>();
    DesignJob.Result designs = DesignJob.run(spark, design, inputs, log);
    timings.put("design_s", PipelineJob.seconds(t0));
    long t1 = System.nanoTime();
    AnalyzeJob.Result analysis = AnalyzeJob.run(spark, design, inputs, designs, log);
    timings.put("analyze_s", PipelineJob.seconds(t1));
    JsonNode d = model.description();
    timings.put("train_s", d.path("result").path("seconds").asDouble());
    LossAggregator.LossTerms held = terms(d.path("result").path("held_out"));
    TrainJob.Result trained = new TrainJob.Result(model, d.path("result").path("train_rows").asInt(),
        d.path("result").path("held_out_rows").asInt(), terms(d.path("result").path("train")), held,
        d.path("result").path("seconds").asDouble(), d.path("result").path("steps").asLong());
    PipelineJob.Stages stages = new PipelineJob.Stages(meta, trained, designs, analysis, timings);
    Map<String, Object> manifest = PipelineJob.manifest(stages, sweep.generate(), run.train(), run.design());
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("dir", fs.makeQualified(new Path(sweep.dir())).toString());
    about.put("run", run.name());
    about.put("settings", run.settings());
    manifest.put("sweep", about);
    PipelineJob.writeJson(spark, runDir, PipelineJob.MANIFEST, manifest);
    return analysis.metrics();
  }

  private static LossAggregator.LossTerms terms(JsonNode n) {
    return new LossAggregator.LossTerms(n.path("loss").asDouble(), n.path("predictive").asDouble(),
        n.path("nllU").asDouble(), n.path("nllV").asDouble());
  }

  static JsonNode readJson(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return ModelArtifact.json().readTree(in);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  private static Map<String, Object> withoutOutput(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    out.keySet().removeIf(k -> k.startsWith("output."));
    return out;
  }

  /** Whether two maps read the same as JSON (numbers compared as written, not by Java type). */
  static boolean sameJson(Map<String, Object> a, Map<String, Object> b) {
    try {
      var json = ModelArtifact.json();
      return json.readTree(json.writeValueAsString(new java.util.TreeMap<>(a)))
          .equals(json.readTree(json.writeValueAsString(new java.util.TreeMap<>(b))));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String difference(Map<String, Object> want, Map<String, Object> have) {
    List<String> out = new ArrayList<>();
    java.util.Set<String> keys = new java.util.TreeSet<>(want.keySet());
    keys.addAll(have.keySet());
    for (String key : keys) {
      if (!sameJson(single(key, want.get(key)), single(key, have.get(key)))) {
        out.add(key + " " + have.get(key) + " there, " + want.get(key) + " here");
      }
      if (out.size() == 3) {
        break;
      }
    }
    return String.join("; ", out);
  }

  private static Map<String, Object> single(String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, value);
    return m;
  }

  private static String reason(Throwable e) {
    return org.macronet.jobs.cli.Main.reason(e);
  }
}
