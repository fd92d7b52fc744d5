package org.macronet.jobs.analyze;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.GridField;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.figure.TrajectorySet;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.analysis.stats.LinearFit;
import org.macronet.analysis.stats.RankCorrelation;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainedRun;
import org.macronet.systems.grayscott.GrayScottSystem;
import org.macronet.systems.linear.LinearDynamics;
import org.macronet.systems.oscillator.HarmonicOscillator;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.MacroNet;

/**
 * The {@code analyze} job: macrostates of the held-out rows ({@code <run>/analysis/macrostates.parquet}),
 * the science bars of docs/systems.md ({@code metrics.json}), and a report with figures
 * ({@code <run>/report/report.md} and PNGs): for the oscillator, macrostate against energy (preprint
 * fig. 5B) and designs at fixed macrostates over the learned macrostate field (5C); for linear
 * dynamics, trajectories of designed matrices (4C) and designed trajectories (4D) for each sense;
 * for Gray-Scott, the design sweep's outputs read from {@code <run>/design} and reported by
 * {@link TuringAnalysis} (targets with their re-simulated designs, designed parameters per target,
 * parameter importance: fig. 6) with the held-out macrostates' rank correlations.
 */
public final class AnalyzeJob {
  public static final String ANALYSIS = "analysis";
  public static final String REPORT = "report";
  /** Oscillator: the least |Spearman| of each side's macrostate with the energy. */
  public static final double OSCILLATOR_SPEARMAN_BAR = 0.99;

  private AnalyzeJob() {}

  public record Result(Map<String, Object> metrics, boolean passed) {}

  public static Result run(SparkSession spark, DesignConfig designConfig, PrintStream log) throws IOException {
    return run(spark, designConfig, null, null, log);
  }

  /**
   * As {@link #run(SparkSession, DesignConfig, PrintStream)}, from {@code inputs} and
   * {@code designs} when they are not null (the pipeline has both in memory). For Gray-Scott the
   * designs are always read from {@code <run>/design} (the sweep's Parquet files), never computed
   * here; of {@code designs} only its metrics are used, in place of {@code metrics.json}.
   *
   * @throws java.io.FileNotFoundException for Gray-Scott, when the design outputs are missing
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
    // the held-out macrostates are computed and written on the executors; only they reach the driver
    HeldOutMacrostates macro = HeldOutMacrostates.compute(spark, in, analysisStaging);
    // Gray-Scott designs are re-simulated by the design sweep: read its outputs, never recompute them
    TuringDesignOutputs turing = null;
    if (GrayScottSystem.NAME.equals(model.system())) {
      turing = TuringDesignOutputs.read(spark, new Path(run, DesignJob.DESIGN), designs == null ? null
          : designs.metrics());
    } else if (designs == null) {
      designs = DesignJob.compute(model, in.heldOut(), designConfig);
    }
    MacroNet net = model.net();
    float[] mu = macro.mu();
    float[] mv = macro.mv();

    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", model.system());
    metrics.put("held_out_rows", macro.rows());
    metrics.put("held_out_loss", ModelArtifact.asMap(model.description().path("result").path("held_out")));
    List<Metric> bars = new ArrayList<>();
    Report report = new Report("MacroNet run: " + model.system());
    Map<String, byte[]> figures = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    switch (model.system()) {
      case HarmonicOscillator.NAME -> oscillator(model, heldPairs(in, macro), mu, mv, designs, metrics, bars, figures);
      case LinearDynamics.NAME -> linear(heldPairs(in, macro), mu, net.macroDim(), designs, metrics, bars, figures,
          report);
      case GrayScottSystem.NAME -> {
        TuringAnalysis.design(turing, metrics, bars, notes, figures, report);
        TuringAnalysis.heldOut(model.uColumns(), macro, metrics, notes, figures, report);
      }
      default -> throw new IllegalArgumentException("analysis for system " + model.system() + " is not available");
    }
    metrics.put("design", turing != null ? turing.metrics() : designs.metrics());
    boolean passed = bars.stream().allMatch(Metric::passed);
    metrics.put("bars_passed", passed);

    report.paragraph("Held-out rows: " + macro.rows() + ". Code version " + model.description().path("provenance")
        .path("code_version").asText() + "; dataset checksum " + model.description().path("provenance")
        .path("dataset_checksum").asText() + ".");
    report.heading("Bars");
    report.metrics(bars);
    for (String note : notes) {
      report.paragraph(note);
    }
    report.heading("Figures");
    for (String name : figures.keySet()) {
      report.image(name.replace(".png", "").replace('_', ' '), name);
    }
    report.heading("Training configuration");
    report.table("key", "value", ModelArtifact.asMap(model.description().path("training")));
    report.heading("Held-out loss");
    report.table("term", "value", ModelArtifact.asMap(model.description().path("result").path("held_out")));

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
    return new Outcome(new Result(metrics, passed), bars, notes);
  }

  /** The held-out pairs, in the order of {@code macro}'s rows (both by sample_id). */
  private static PairData heldPairs(TrainedRun in, HeldOutMacrostates macro) {
    PairData held = in.heldOut().pairs();
    if (!java.util.Arrays.equals(held.sampleIds(), macro.sampleIds())) {
      throw new IllegalStateException(in.dataset() + ": the held-out rows changed while they were analysed");
    }
    return held;
  }

  private static void oscillator(ModelArtifact model, PairData held, float[] mu, float[] mv, DesignJob.Result designs,
      Map<String, Object> metrics, List<Metric> bars, Map<String, byte[]> figures) throws IOException {
    int n = held.rows();
    double[] energyU = new double[n];
    double[] energyV = new double[n];
    double[] macroU = new double[n];
    double[] macroV = new double[n];
    for (int i = 0; i < n; i++) {
      energyU[i] = 0.5 * (sq(held.u()[2 * i]) + sq(held.u()[2 * i + 1]));
      energyV[i] = 0.5 * (sq(held.v()[2 * i]) + sq(held.v()[2 * i + 1]));
      macroU[i] = mu[i];
      macroV[i] = mv[i];
    }
    double rhoU = RankCorrelation.spearman(macroU, energyU);
    double rhoV = RankCorrelation.spearman(macroV, energyV);
    metrics.put("spearman_macro_u_energy", rhoU);
    metrics.put("spearman_macro_v_energy", rhoV);
    double cv = ((Number) designs.metrics().get("max_std_r_over_mean_r")).doubleValue();
    bars.add(Metric.atLeast("|Spearman(macrostate of u, energy)|", Math.abs(rhoU), OSCILLATOR_SPEARMAN_BAR));
    bars.add(Metric.atLeast("|Spearman(macrostate of v, energy)|", Math.abs(rhoV), OSCILLATOR_SPEARMAN_BAR));
    bars.add(Metric.atMost("max std(r)/mean(r) of designs at a fixed macrostate", cv,
        DesignJob.OSCILLATOR_CIRCLE_BAR));

    figures.put("fig5b_macrostate_vs_energy.png", png(out -> Figures.scatter("Macrostate against energy (held-out)",
        "energy H = (x^2 + p^2) / 2", "macrostate m(x, p)", List.of(new Series("held-out u", energyU, macroU)), out)));
    int g = 81;
    double lim = 1.6;
    float[] grid = new float[g * g * 2];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < g; j++) {
        grid[2 * (i * g + j)] = (float) (-lim + 2 * lim * j / (g - 1));
        grid[2 * (i * g + j) + 1] = (float) (-lim + 2 * lim * i / (g - 1));
      }
    }
    float[] field = model.net().macrostatesU(model.params(), grid, g * g);
    double[][] values = new double[g][g];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < g; j++) {
        values[i][j] = field[i * g + j];
      }
    }
    List<Series> series = new ArrayList<>();
    Map<Integer, List<float[]>> byTarget = new LinkedHashMap<>();
    for (DesignJob.Design d : designs.designs()) {
      byTarget.computeIfAbsent(d.targetId(), k -> new ArrayList<>()).add(d.u());
    }
    for (Map.Entry<Integer, List<float[]>> e : byTarget.entrySet()) {
      List<float[]> us = e.getValue();
      double[] x = new double[us.size()];
      double[] p = new double[us.size()];
      for (int k = 0; k < us.size(); k++) {
        x[k] = us.get(k)[0];
        p[k] = us.get(k)[1];
      }
      series.add(new Series(String.format(Locale.ROOT, "alpha = %.3f", designs.designs().stream()
          .filter(d -> d.targetId() == e.getKey()).findFirst().orElseThrow().alpha()[0]), x, p));
    }
    figures.put("fig5c_designs_at_fixed_macrostates.png", png(out -> Figures.scatterOverField(
        "Designs at three fixed macrostates over the learned macrostate", "x", "p",
        new GridField("macrostate", values, -lim, lim, -lim, lim), series, true, out)));
  }

  private static void linear(PairData held, float[] mu, int macroDim, DesignJob.Result designs, Map<String, Object> metrics,
      List<Metric> bars, Map<String, byte[]> figures, Report report) throws IOException {
    // What the macrostate carries: R^2 of invariants of M regressed on the held-out macro_u. The
    // trajectory identifies all four entries of M, so any two independent combinations are a valid
    // 2-d macrostate; designs keep the turning sense only when the rotation part is among them.
    String[] parts = {"trace", "rotation", "stretch", "shear"};
    String[] formulas = {"(m11 + m22) / 2", "(m21 - m12) / 2", "(m11 - m22) / 2", "(m12 + m21) / 2"};
    int n = held.rows();
    double[][] macro = new double[macroDim][n];
    double[][] values = new double[parts.length][n];
    float[] u = held.u();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < macroDim; k++) {
        macro[k][i] = mu[i * macroDim + k];
      }
      double m11 = u[4 * i];
      double m12 = u[4 * i + 1];
      double m21 = u[4 * i + 2];
      double m22 = u[4 * i + 3];
      values[0][i] = (m11 + m22) / 2;
      values[1][i] = (m21 - m12) / 2;
      values[2][i] = (m11 - m22) / 2;
      values[3][i] = (m12 + m21) / 2;
    }
    Map<String, Object> carried = new LinkedHashMap<>();
    Map<String, String> rows = new LinkedHashMap<>();
    for (int p = 0; p < parts.length; p++) {
      double r2 = LinearFit.rSquared(macro, values[p]);
      carried.put(parts[p], r2);
      rows.put(parts[p] + " " + formulas[p], String.format(Locale.ROOT, "%.3f", r2));
    }
    metrics.put("macrostate_r2", carried);
    report.heading("What the macrostate carries");
    report.paragraph("R^2 of each part of M = [[m11, m12], [m21, m22]] regressed linearly on the held-out macro_u. "
        + "The trajectory determines all four entries of M, so any two independent combinations make a valid "
        + "2-d macrostate; designs keep the example's turning sense when the rotation part is among them.");
    report.table("part of M", "R^2 on macro_u", rows);
    // the bar is stated per example ("from the macrostate of an anticlockwise example, at least 95 %
    // of designs turn anticlockwise"), so each sense is judged on its worst example, and every
    // example's fractions are listed
    Map<String, Object> m = designs.metrics();
    List<Map<String, Object>> examples = perTarget(m);
    for (String sense : List.of("anticlockwise", "clockwise")) {
      long count = examples.stream().filter(t -> sense.equals(t.get("sense"))).count();
      bars.add(Metric.atLeast(sense + ": designed matrices turning the same way, worst of " + count + " examples",
          ((Number) m.get(sense + "_worst_example_matrices_same_sense")).doubleValue(), DesignJob.LINEAR_BAR));
      bars.add(Metric.atLeast(sense + ": designed trajectories turning the same way, worst of " + count + " examples",
          ((Number) m.get(sense + "_worst_example_trajectories_same_sense")).doubleValue(), DesignJob.LINEAR_BAR));
    }
    List<List<?>> rowsByExample = new ArrayList<>();
    for (Map<String, Object> t : examples) {
      rowsByExample.add(List.of(t.get("target_id"), t.get("target_sample_id"), t.get("sense"),
          ((Number) t.get("target_turning_angle")).doubleValue(), ((Number) t.get("matrices_same_sense")).doubleValue(),
          ((Number) t.get("trajectories_same_sense")).doubleValue(),
          Boolean.TRUE.equals(t.get("meets_bar")) ? "pass" : "**FAIL**"));
    }
    report.heading("Designs per example");
    report.paragraph("Fraction of each example's designs that turn its way: matrices designed at its macrostate and "
        + "simulated from a random start, and trajectories designed directly. The bar (at least "
        + Math.round(100 * DesignJob.LINEAR_BAR) + " % of both) holds for each example on its own.");
    report.table(List.of("example", "sample_id", "sense", "turning angle (rad)", "matrices same sense",
        "trajectories same sense", "bar"), rowsByExample);
    // one figure pair for the first target of each sense
    for (String sense : List.of("anticlockwise", "clockwise")) {
      int target = designs.designs().stream().filter(d -> d.targetSense().equals(sense)).mapToInt(DesignJob.Design::targetId)
          .min().orElse(-1);
      if (target < 0) {
        continue;
      }
      float[] example = designs.targetObservations().get(target);
      double[] start = designs.targetInitialStates().get(target);
      List<float[]> fromMatrices = new ArrayList<>();
      List<float[]> direct = new ArrayList<>();
      for (DesignJob.Design d : designs.designs()) {
        if (d.targetId() != target) {
          continue;
        }
        if (d.kind().equals("u") && fromMatrices.size() < 40) {
          fromMatrices.add(d.v());
        } else if (d.kind().equals("v") && direct.size() < 40) {
          direct.add(d.v());
        }
      }
      Color blue = new Color(31, 119, 180);
      figures.put("fig4c_" + sense + "_designed_matrices.png", png(out -> Figures.trajectories(
          "Trajectories of matrices designed from an " + sense + " example", List.of(
              new TrajectorySet("designed M, simulated", blue, fromMatrices),
              TrajectorySet.example("example", example, start)), out)));
      figures.put("fig4d_" + sense + "_designed_trajectories.png", png(out -> Figures.trajectories(
          "Trajectories designed directly from an " + sense + " example", List.of(
              new TrajectorySet("designed trajectories", blue, direct),
              TrajectorySet.example("example", example, start)), out)));
    }
  }

  /** The design job's per-target metrics, in target order. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> perTarget(Map<String, Object> designMetrics) {
    return (List<Map<String, Object>>) designMetrics.get("targets");
  }

  /** A figure drawn onto a stream. */
  interface Drawing {
    void draw(OutputStream out) throws IOException;
  }

  /** The figure's PNG bytes. */
  static byte[] png(Drawing d) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    d.draw(b);
    return b.toByteArray();
  }

  private static double sq(float x) {
    return (double) x * x;
  }

}
