package org.macronet.jobs.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.experiment.AnalysisInputs;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainJob;
import org.macronet.jobs.model.ModelProvenance;
import org.macronet.jobs.train.TrainedRun;

/**
 * The {@code analyze} job, one path for every system: the macrostates of the held-out rows
 * ({@code <run>/analysis/macrostates.parquet}, computed on the executors), the design sweep's
 * outputs read back from {@code <run>/design}, and the configured system's
 * {@link DesignStudy#analyze analysis} of both: the science bars of docs/systems.md
 * ({@code metrics.json}) and a report with figures ({@code <run>/report/report.md} and PNGs).
 */
public final class AnalyzeJob {
  public static final String ANALYSIS = "analysis";
  public static final String REPORT = "report";
  /** The report as one self-contained page, beside {@code report.md}. */
  public static final String HTML = "index.html";
  static final String TRAINING_CURVES = "training_curves.png";

  private AnalyzeJob() {}

  public record Result(Map<String, Object> metrics, boolean passed) {}

  public static Result run(SparkSession spark, DesignConfig designConfig, PrintStream log) throws IOException {
    return run(spark, designConfig, null, null, log);
  }

  /**
   * As {@link #run(SparkSession, DesignConfig, PrintStream)}, from {@code inputs} and
   * {@code designs} when they are not null (the pipeline has both). The designs are always read
   * from {@code <run>/design}; of {@code designs} only its metrics are used, in place of
   * {@code metrics.json}.
   *
   * @throws java.io.FileNotFoundException when the design outputs are missing
   */
  public static Result run(SparkSession spark, DesignConfig designConfig, TrainedRun inputs, DesignJob.Result designs,
      PrintStream log) throws IOException {
    Path run = new Path(designConfig.outputDir());
    FileSystem fs = run.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory analysisOut = AtomicDirectory.prepare(fs, new Path(run, ANALYSIS), designConfig.overwrite(),
        "output.overwrite");
    AtomicDirectory reportOut = AtomicDirectory.prepare(fs, new Path(run, REPORT), designConfig.overwrite(),
        "output.overwrite");
    // computed into both staging folders, then published (report, then analysis); a failure before
    // that leaves both targets as they were
    Outcome outcome = analysisOut.publishAfter(analysisStaging -> reportOut.publishAfter(reportStaging ->
        analyze(spark, fs, run, designConfig, inputs, designs, analysisStaging, reportStaging)));
    List<Metric> bars = outcome.bars();
    List<String> notes = outcome.notes();
    for (Metric m : bars) {
      log.printf(Locale.ROOT, "analyze: %-50s %.4f (bar %s %s) %s%n", m.name(), m.value(), m.comparison().symbol(),
          m.bar(), m.passed() ? "pass" : "FAIL");
    }
    for (String note : notes) {
      log.printf("analyze: %s%n", note);
    }
    log.printf("analyze: report -> %s%n", fs.makeQualified(new Path(reportOut.target(), "report.md")));
    return outcome.result();
  }

  /** What {@link #analyze} found: the result, and the bars and notes for the console. */
  private record Outcome(Result result, List<Metric> bars, List<String> notes) {}

  /** The analysis, written into the two staging folders. */
  private static Outcome analyze(SparkSession spark, FileSystem fs, Path run, DesignConfig designConfig,
      TrainedRun inputs, DesignJob.Result designs, Path analysisStaging, Path reportStaging) throws IOException {
    TrainedRun in = inputs != null ? inputs : TrainedRun.load(spark, fs, run);
    ModelArtifact model = in.model();
    DesignStudy study = designConfig.study();
    DesignJob.checkModel(model, designConfig.system());
    // the held-out macrostates are computed and written on the executors; only they reach the driver
    HeldOut macro = HeldOutMacrostates.compute(spark, in, analysisStaging, study.heldOutExtras());
    DesignOutputs design = DesignOutputsReader.read(spark, new Path(run, DesignJob.DESIGN), study,
        designs == null ? null : designs.metrics());

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", model.system());
    metrics.put("held_out_rows", macro.rows());
    ModelProvenance provenance = model.provenance();
    metrics.put("held_out_loss", provenance.heldOutLoss());
    Report report = new Report("MacroNet run: " + model.system());
    Findings findings = new Findings(report);
    study.analyze(new AnalysisInputs(model.net(), model.params(), model.uColumns(),
        provenance.training(), macro, design), findings);
    metrics.putAll(findings.metrics());
    metrics.put("design", design.metrics());
    List<Metric> bars = findings.bars();
    List<String> notes = findings.notes();
    Map<String, byte[]> figures = new LinkedHashMap<>(findings.figures());
    boolean passed = bars.stream().allMatch(Metric::passed);
    metrics.put("bars", barsJson(bars));
    metrics.put("bars_passed", passed);

    report.paragraph("Held-out rows: " + macro.rows() + ". Code version " + provenance.codeVersion()
        + "; dataset checksum " + provenance.datasetChecksum() + ".");
    report.heading("Bars");
    report.metrics(bars);
    for (String note : notes) {
      report.paragraph(note);
    }
    report.heading("Figures");
    for (String name : figures.keySet()) {
      String alt = name.replace(".png", "").replace('_', ' ');
      String caption = findings.captions().get(name);
      if (caption == null) {
        report.image(alt, name);
      } else {
        report.imageWithCaption(alt, name, caption);
      }
    }
    byte[] curves = trainingCurves(fs, run, in);
    if (curves != null) {
      figures.put(TRAINING_CURVES, curves);
      report.heading("Training curves");
      report.imageWithCaption("loss terms over the training steps", TRAINING_CURVES, "Mean of each loss term over "
          + "windows of steps (" + TrainJob.TRAINING_LOG + " beside the model), in nats per dimension.");
    }
    restarts(model.description().path("result").path("restarts"), report);
    report.heading("Training configuration");
    report.table("key", "value", provenance.training());
    report.heading("Held-out loss");
    report.table("term", "value", provenance.heldOutLoss());
    report.heading("Provenance");
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("code version", provenance.codeVersion());
    about.put("dataset", provenance.dataset());
    about.put("dataset checksum", provenance.datasetChecksum());
    about.put("model weight checksum", model.weightChecksum());
    org.macronet.jobs.reproduce.Platform.current().forEach((k, v) -> about.put("platform " + k, v));
    report.table("what", "value", about);
    report.details("Design configuration", new String(ModelArtifact.jsonBytes(designConfig.resolved()),
        StandardCharsets.UTF_8));

    try (OutputStream o = fs.create(new Path(analysisStaging, "metrics.json"), false)) {
      o.write(ModelArtifact.jsonBytes(metrics));
    }
    fs.mkdirs(reportStaging);
    for (Map.Entry<String, byte[]> f : figures.entrySet()) {
      try (OutputStream o = fs.create(new Path(reportStaging, f.getKey()), false)) {
        o.write(f.getValue());
      }
    }
    try (OutputStream o = fs.create(new Path(reportStaging, "report.md"), false)) {
      o.write(report.render().getBytes(StandardCharsets.UTF_8));
    }
    try (OutputStream o = fs.create(new Path(reportStaging, HTML), false)) {
      o.write(report.renderHtml(figures::get).getBytes(StandardCharsets.UTF_8));
    }
    return new Outcome(new Result(metrics, passed), bars, notes);
  }

  /** The table of {@code train.restarts}, from model.json's {@code result.restarts}; nothing for one training. */
  static void restarts(JsonNode restarts, Report report) {
    if (restarts.isMissingNode() || !restarts.path("runs").isArray()) {
      return;
    }
    int selected = restarts.path("selected").asInt();
    report.heading("Restarts");
    report.paragraph(restarts.path("runs").size() + " trainings from different seeds; the model is restart "
        + (selected + 1) + ", the one with the lowest loss on " + restarts.path("validation_rows").asInt()
        + " validation rows set aside from the training rows (the held-out rows took no part in the choice).");
    List<List<?>> rows = new java.util.ArrayList<>();
    for (JsonNode r : restarts.path("runs")) {
      JsonNode v = r.path("validation");
      rows.add(List.of(r.path("restart").asInt() + 1, r.path("seed").asLong(),
          Report.format(v.path("loss").asDouble()), Report.format(v.path("predictive").asDouble()),
          Report.format(v.path("nllU").asDouble()), Report.format(v.path("nllV").asDouble()),
          r.path("restart").asInt() == selected ? "kept" : ""));
    }
    report.table(List.of("restart", "seed", "validation loss", "L_P", "NLL_u", "NLL_v", ""), rows);
  }

  /** The bars as metrics.json lists them: name, value, comparison, bar and whether it passed. */
  public static List<Map<String, Object>> barsJson(List<Metric> bars) {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (Metric m : bars) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("name", m.name());
      b.put("value", m.value());
      b.put("comparison", m.comparison().symbol());
      b.put("bar", m.bar());
      b.put("passed", m.passed());
      out.add(b);
    }
    return out;
  }

  /**
   * The loss terms over the training steps from {@code <run>/model/training.csv} as a figure; null
   * when the model has no training log (one trained before the log was kept).
   */
  static byte[] trainingCurves(FileSystem fs, Path run, TrainedRun in) throws IOException {
    Path file = new Path(new Path(run, TrainJob.MODEL), TrainJob.TRAINING_LOG);
    if (!fs.exists(file)) {
      return null;
    }
    org.macronet.training.macronet.TrainingLog log;
    try (java.io.Reader r = new java.io.InputStreamReader(fs.open(file), StandardCharsets.UTF_8)) {
      log = org.macronet.training.macronet.TrainingLog.read(r, 1, fs.makeQualified(file).toString());
    }
    List<org.macronet.training.macronet.TrainingLog.Row> rows = log.rows();
    if (rows.isEmpty()) {
      return null;
    }
    double[] step = rows.stream().mapToDouble(org.macronet.training.macronet.TrainingLog.Row::step).toArray();
    List<org.macronet.analysis.figure.Series> series = List.of(
        new org.macronet.analysis.figure.Series("loss", step, rows.stream().mapToDouble(r -> r.loss()).toArray()),
        new org.macronet.analysis.figure.Series("L_P", step,
            rows.stream().mapToDouble(r -> r.predictive()).toArray()),
        new org.macronet.analysis.figure.Series("NLL_u", step, rows.stream().mapToDouble(r -> r.nllU()).toArray()),
        new org.macronet.analysis.figure.Series("NLL_v", step, rows.stream().mapToDouble(r -> r.nllV()).toArray()));
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    org.macronet.analysis.figure.Figures.lines("Training: " + in.model().system() + " (" + step.length
        + " windows of " + (long) (step.length > 1 ? step[1] - step[0] : step[0]) + " steps)", "step",
        "loss term (nats / dimension)", series, png);
    return png.toByteArray();
  }
}
