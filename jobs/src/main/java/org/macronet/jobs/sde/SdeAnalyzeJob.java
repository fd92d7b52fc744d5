package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.macronet.analysis.ensemble.EnsembleComparison;
import org.macronet.analysis.ensemble.TimeGrid;
import org.macronet.analysis.figure.Band;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import scala.Tuple2;

/**
 * {@code analyze} for the learned-SDE method: puts the direct runs ({@code <output.dir>/direct})
 * on the evaluation's time grid (on the executors, a run at a time) beside the rollouts of each
 * learned model ({@code <output.dir>/rollouts/sde}, and {@code sde-naive} when present), and writes
 * {@code <output.dir>/analysis}:
 *
 * <ul>
 *   <li>{@code trajectories.parquet}: one row per (source, start, path, grid time), the columns of
 *       {@link RolloutJob#schema} with source {@code direct}, {@code sde} or {@code sde-naive}, so
 *       that every metric can be recomputed without project code;
 *   <li>{@code metrics.json}: per model and start the relative MSE of the ensemble means (the
 *       reference's metric) with its bootstrap interval and the noise floor of the ensembles'
 *       sizes, the Wasserstein-1 distance of each component averaged over time, the MMD^2 of
 *       the standardised state averaged over time; and their means over starts;
 *   <li>a figure per start and component (ensemble mean and spread over time, each model against
 *       direct) and {@code report.md} with the bars, and the same as one page, {@code index.html}.
 * </ul>
 *
 * The driver holds the evaluation's trajectories (starts x paths x grid points per source), a size
 * set by the evaluation's settings, never by the training data.
 */
public final class SdeAnalyzeJob {
  public static final String TRAJECTORIES = "trajectories.parquet";
  public static final String METRICS = "metrics.json";
  public static final String REPORT = "report.md";
  /** The report as one self-contained page for a browser, beside {@code report.md}. */
  public static final String HTML = "index.html";
  static final String DIRECT = "direct";

  private SdeAnalyzeJob() {}

  public static ObjectNode run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    List<String> models = new ArrayList<>();
    for (String name : List.of("sde", "sde-naive")) {
      if (fs.exists(new Path(new Path(new Path(runDir, SdeConfig.ROLLOUTS), name), RolloutJob.GRID))) {
        models.add(name);
      }
    }
    if (models.isEmpty()) {
      throw new org.macronet.common.config.ConfigException("output.dir", "no rollouts in "
          + fs.makeQualified(new Path(runDir, SdeConfig.ROLLOUTS)) + "; run rollout first");
    }
    SdeArtifact first = SdeArtifact.read(fs, new Path(runDir, models.get(0)));
    List<String> columns = first.columns();
    int d = columns.size();
    RolloutJob.Starts starts = RolloutJob.starts(spark, fs, runDir, cfg.system(), columns, cfg.evaluation().points());
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(runDir, SdeConfig.ANALYSIS), cfg.overwrite(),
        "output.overwrite");
    for (String m : models) {
      checkRollouts(fs, runDir, m, columns, starts);
    }
    Dataset<Row> all = directOnGrid(spark, runDir, columns, starts);
    for (String m : models) {
      Dataset<Row> r = spark.read().parquet(new Path(new Path(new Path(runDir, SdeConfig.ROLLOUTS), m), "paths")
          .toString());
      all = all.unionByName(r);
    }
    log.printf("analyze: %d direct runs per start against %s, on %d grid times to %s%n", starts.runs(),
        models, starts.grid().length, starts.until());
    Standardisation standard = standardisation(spark, runDir, columns);
    Dataset<Row> trajectories = all;
    return out.publishAfter(staging -> {
      trajectories.write().parquet(new Path(staging, TRAJECTORIES).toString());
      Map<String, double[][][][]> bySource = collect(spark.read().parquet(new Path(staging, TRAJECTORIES).toString()),
          starts, d);
      ObjectNode metrics = metrics(bySource, starts, columns, cfg.evaluation(), standard);
      metrics.put("code_version", BuildInfo.version());
      try (OutputStream o = fs.create(new Path(staging, METRICS), false)) {
        o.write(SdeArtifact.JSON.writeValueAsString(metrics).getBytes(StandardCharsets.UTF_8));
      }
      Map<String, byte[]> figures = figures(fs, staging, bySource, starts, columns);
      Report report = report(cfg, metrics, List.copyOf(figures.keySet()), starts, columns);
      try (OutputStream o = fs.create(new Path(staging, REPORT), false)) {
        o.write(report.render().getBytes(StandardCharsets.UTF_8));
      }
      try (OutputStream o = fs.create(new Path(staging, HTML), false)) {
        o.write(report.renderHtml(figures::get).getBytes(StandardCharsets.UTF_8));
      }
      log.printf("analyze: relative MSE %s; wrote %s in %s%n", summary(metrics),
          fs.makeQualified(out.target()), ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
      return metrics;
    });
  }

  /**
   * Refuses rollouts that were not made from the current model, grid and direct runs (an older
   * {@code evaluate.points}, {@code direct.*} or a retrained model), naming what differs.
   */
  static void checkRollouts(FileSystem fs, Path runDir, String model, List<String> columns, RolloutJob.Starts starts)
      throws IOException {
    Path file = new Path(new Path(new Path(runDir, SdeConfig.ROLLOUTS), model), RolloutJob.GRID);
    com.fasterxml.jackson.databind.JsonNode grid;
    try (var in = fs.open(file)) {
      grid = SdeArtifact.JSON.readTree(in);
    }
    List<String> problems = new ArrayList<>();
    int points = starts.grid().length;
    if (grid.path("points").asInt() != points) {
      problems.add(grid.path("points").asInt() + " grid times, evaluate.points is " + points);
    }
    if (grid.path("end").asDouble() != starts.grid()[points - 1]) {
      problems.add("a grid to t = " + grid.path("end").asDouble() + ", the direct runs end at "
          + starts.grid()[points - 1]);
    }
    if (!starts.recordedIn(grid).equals(starts.json())) {
      problems.add("starts " + starts.recordedIn(grid) + ", the direct runs' are " + starts.json());
    }
    if (!grid.path("z_columns").equals(SdeArtifact.JSON.valueToTree(columns))) {
      problems.add("columns " + grid.path("z_columns") + ", the analysis uses " + columns);
    }
    String weights = SdeArtifact.read(fs, new Path(runDir, model)).weightChecksum();
    if (!grid.path("model_checksum").asText().equals(weights)) {
      problems.add("another model's weights than " + new Path(runDir, model) + "'s");
    }
    if (!problems.isEmpty()) {
      throw new org.macronet.common.config.ConfigException("output.dir", file + " does not match this analysis: "
          + String.join("; ", problems) + "; rerun rollout"
          + (model.endsWith("naive") ? " --set sde.naive=true" : "") + " --set output.overwrite=true");
    }
  }

  /** The direct runs' macrostates on the grid, one row per (run, grid time), in the rollouts' columns. */
  static Dataset<Row> directOnGrid(SparkSession spark, Path runDir, List<String> columns, RolloutJob.Starts starts)
      throws IOException {
    Path source = RolloutJob.directSource(runDir.getFileSystem(spark.sparkContext().hadoopConfiguration()), runDir,
        columns);
    List<Column> select = new ArrayList<>(List.of(col("start"), col("run"), col("time")));
    for (String c : starts.columns()) {
      select.add(col(c));
    }
    for (String c : columns) {
      select.add(col(c));
    }
    Dataset<Row> direct = spark.read().parquet(source.toString()).select(select.toArray(Column[]::new));
    int d = columns.size();
    int sc = starts.columns().size();
    Broadcast<double[]> grid = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(starts.grid());
    JavaRDD<Row> rows = direct.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getInt(0) * (long) Integer.MAX_VALUE + r.getInt(1), r))
        .groupByKey()
        .flatMap(group -> {
          List<Row> snaps = new ArrayList<>();
          group._2().forEach(snaps::add);
          snaps.sort(java.util.Comparator.comparingDouble(r -> r.getDouble(2)));
          double[] times = new double[snaps.size()];
          double[][] values = new double[snaps.size()][d];
          for (int k = 0; k < times.length; k++) {
            times[k] = snaps.get(k).getDouble(2);
            for (int j = 0; j < d; j++) {
              values[k][j] = snaps.get(k).getDouble(3 + sc + j);
            }
          }
          double[] g = grid.value();
          double[][] on = TimeGrid.interpolate(times, values, g);
          Row head = snaps.get(0);
          double[] startValues = new double[sc];
          for (int j = 0; j < sc; j++) {
            startValues[j] = head.getDouble(3 + j);
          }
          List<Row> outRows = new ArrayList<>(g.length);
          for (int k = 0; k < g.length; k++) {
            outRows.add(RolloutJob.trajectoryRow(DIRECT, head.getInt(0), startValues, head.getInt(1), k, g[k], on[k]));
          }
          return outRows.iterator();
        });
    return spark.createDataFrame(rows, RolloutJob.schema(starts.columns(), d));
  }

  /** {@code source -> [start][path][k][j]}. */
  static Map<String, double[][][][]> collect(Dataset<Row> trajectories, RolloutJob.Starts starts, int d) {
    Map<String, List<Row>> bySource = new LinkedHashMap<>();
    for (Row r : trajectories.orderBy("source", "start", "path", "k").collectAsList()) {
      bySource.computeIfAbsent(r.getString(0), s -> new ArrayList<>()).add(r);
    }
    int points = starts.grid().length;
    int nStarts = starts.count();
    int sc = starts.columns().size();
    Map<String, double[][][][]> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Row>> e : bySource.entrySet()) {
      int paths = e.getValue().size() / points / nStarts;
      double[][][][] a = new double[nStarts][paths][points][d];
      for (Row r : e.getValue()) {
        for (int j = 0; j < d; j++) {
          a[r.getInt(1)][r.getInt(2 + sc)][r.getInt(3 + sc)][j] = r.getDouble(5 + sc + j);
        }
      }
      out.put(e.getKey(), a);
    }
    return out;
  }

  static ObjectNode metrics(Map<String, double[][][][]> bySource, RolloutJob.Starts starts, List<String> columns,
                            SdeConfig.Evaluation evaluation, Standardisation standard) {
    ObjectNode root = SdeArtifact.JSON.createObjectNode();
    root.put("metric", "relative MSE of the ensemble means: mean over grid times and components of "
        + "(mean_model - mean_direct)^2 over the mean of mean_direct^2, per start; then the mean over starts");
    root.set("z_columns", SdeArtifact.JSON.valueToTree(columns));
    starts.record(root);
    if (!starts.columns().equals(List.of("m0"))) {
      root.set("start_columns", SdeArtifact.JSON.valueToTree(starts.columns()));
    }
    root.put("grid_points", starts.grid().length);
    root.put("grid_end", starts.grid()[starts.grid().length - 1]);
    starts.recordSweepTime(root);
    root.put("mmd", "squared maximum mean discrepancy of the state z at each grid time, each component standardised by "
        + "the training pairs' z0 mean and standard deviation (mmd_standardisation), averaged over Gaussian kernels "
        + "exp(-|x - y|^2 / (2 s^2)) with s in " + java.util.Arrays.toString(EnsembleComparison.MMD_BANDWIDTHS)
        + "; biased (V-statistic) estimate; then the mean over grid times, per start; then the mean over starts");
    root.set("mmd_standardisation", standard.json());
    double[][][][] direct = bySource.get(DIRECT);
    root.put("direct_runs_per_start", direct[0].length);
    ObjectNode sources = root.putObject("sources");
    for (Map.Entry<String, double[][][][]> e : bySource.entrySet()) {
      if (e.getKey().equals(DIRECT)) {
        continue;
      }
      ObjectNode s = sources.putObject(e.getKey());
      s.put("paths_per_start", e.getValue()[0].length);
      ArrayNode perStart = s.putArray("per_start");
      double sum = 0;
      double floor = 0;
      double[] w1 = new double[columns.size()];
      double mmdSum = 0;
      for (int i = 0; i < starts.count(); i++) {
        double[][][] pred = e.getValue()[i];
        double[][][] truth = direct[i];
        double mse = EnsembleComparison.relativeMse(pred, truth);
        ObjectNode one = perStart.addObject();
        starts.recordStart(one, i);
        one.put("relative_mse", mse);
        if (evaluation.bootstrap() >= 10) {
          double[] ci = EnsembleComparison.bootstrapInterval(pred, truth, evaluation.bootstrap(), 0.95, 1L + i);
          one.set("relative_mse_95", SdeArtifact.JSON.valueToTree(ci));
        }
        double nf = EnsembleComparison.noiseFloor(pred, truth);
        one.put("noise_floor", nf);
        double mmd = java.util.Arrays.stream(EnsembleComparison.mmdPerTime(pred, truth, standard.mean(), standard.sd(),
            EnsembleComparison.MMD_BANDWIDTHS)).average().orElse(Double.NaN);
        one.put("mmd_mean_over_time", mmd);
        mmdSum += mmd;
        ObjectNode w = one.putObject("wasserstein1_mean_over_time");
        for (int j = 0; j < columns.size(); j++) {
          double[] perTime = EnsembleComparison.wasserstein1PerTime(pred, truth, j);
          double mean = java.util.Arrays.stream(perTime).average().orElse(Double.NaN);
          w.put(columns.get(j), mean);
          w1[j] += mean / starts.count();
        }
        sum += mse;
        floor += nf;
      }
      s.put("relative_mse", sum / starts.count());
      s.put("noise_floor", floor / starts.count());
      s.put("mmd_mean_over_time", mmdSum / starts.count());
      ObjectNode w = s.putObject("wasserstein1_mean_over_time");
      for (int j = 0; j < columns.size(); j++) {
        w.put(columns.get(j), w1[j]);
      }
    }
    return root;
  }

  /** Writes the band figures into {@code dir}; returns their bytes by file name, in order. */
  private static Map<String, byte[]> figures(FileSystem fs, Path dir, Map<String, double[][][][]> bySource,
                                             RolloutJob.Starts starts, List<String> columns) throws IOException {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    // the figures' time axis, in the starts' unit
    double[] x = starts.grid().clone();
    for (int k = 0; k < x.length; k++) {
      x[k] /= starts.unitTime();
    }
    for (int i = 0; i < starts.count(); i++) {
      for (int j = 0; j < columns.size(); j++) {
        List<Band> bands = new ArrayList<>();
        for (Map.Entry<String, double[][][][]> e : bySource.entrySet()) {
          double[][][] paths = e.getValue()[i];
          bands.add(band(e.getKey() + " (" + paths.length + ")", x, paths, j));
        }
        String name = columns.get(j) + "_" + starts.tag(i) + ".png";
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        double[] range = shownRange(bands);
        Figures.bands(String.format(Locale.ROOT, "%s from %s: mean and mean -+ 1 sd%s", columns.get(j),
            starts.label(i), range == null ? "" : " (cut)"), starts.inSweeps()
            ? "sweeps (mean sweep duration " + SdeTrainJob.fmt(starts.unitTime()) + ")" : "time", columns.get(j),
            bands, range, png);
        try (OutputStream o = fs.create(new Path(dir, name), false)) {
          png.writeTo(o);
        }
        out.put(name, png.toByteArray());
      }
    }
    return out;
  }

  /**
   * The y range a band figure shows when a model's band leaves the direct runs' far behind (more
   * than three of their widths beyond them): the direct band widened by its width on each side, so
   * that it and the models that follow it stay readable; otherwise null (fitted to every band).
   * The direct runs' band is named {@code direct (n)}.
   */
  static double[] shownRange(List<Band> bands) {
    Band truth = bands.stream().filter(b -> b.name().startsWith(DIRECT + " (")).findFirst().orElseThrow();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < truth.x().length; k++) {
      lo = Math.min(lo, truth.lower()[k]);
      hi = Math.max(hi, truth.upper()[k]);
    }
    double width = Math.max(hi - lo, 1e-12 * Math.max(1, Math.abs(hi)));
    for (Band b : bands) {
      for (int k = 0; k < b.x().length; k++) {
        if (!(b.lower()[k] >= lo - 3 * width) || !(b.upper()[k] <= hi + 3 * width)) {
          return new double[] {lo - width, hi + width};
        }
      }
    }
    return null;
  }

  private static Band band(String name, double[] x, double[][][] paths, int j) {
    int points = x.length;
    double[] mean = new double[points];
    double[] lo = new double[points];
    double[] hi = new double[points];
    for (int k = 0; k < points; k++) {
      double s = 0;
      double s2 = 0;
      for (double[][] p : paths) {
        s += p[k][j];
      }
      double m = s / paths.length;
      for (double[][] p : paths) {
        s2 += (p[k][j] - m) * (p[k][j] - m);
      }
      double sd = paths.length > 1 ? Math.sqrt(s2 / (paths.length - 1)) : 0;
      mean[k] = m;
      lo[k] = m - sd;
      hi[k] = m + sd;
    }
    return new Band(name, x, mean, lo, hi);
  }

  static List<Metric> bars(ObjectNode metrics, SdeConfig.Evaluation evaluation) {
    List<Metric> bars = new ArrayList<>();
    var sources = metrics.path("sources");
    if (evaluation.relativeMseBar() > 0 && sources.has("sde")) {
      bars.add(Metric.atMost("relative MSE, patch-corrected SDE (mean over starts)",
          sources.path("sde").path("relative_mse").asDouble(), evaluation.relativeMseBar()));
    }
    if (evaluation.mmdBar() > 0 && sources.has("sde")) {
      bars.add(Metric.atMost("MMD^2, patch-corrected SDE (mean over time and starts)",
          sources.path("sde").path("mmd_mean_over_time").asDouble(), evaluation.mmdBar()));
    }
    if (evaluation.naiveRatioBar() > 0 && sources.has("sde") && sources.has("sde-naive")) {
      bars.add(Metric.atLeast("naive relative MSE / patch-corrected relative MSE",
          sources.path("sde-naive").path("relative_mse").asDouble() / sources.path("sde").path("relative_mse").asDouble(),
          evaluation.naiveRatioBar()));
    }
    return bars;
  }

  private static Report report(SdeConfig cfg, ObjectNode metrics, List<String> figures, RolloutJob.Starts starts,
                               List<String> columns) {
    Report r = new Report("Learned SDE of " + cfg.system().name() + " against direct runs");
    List<Metric> bars = bars(metrics, cfg.evaluation());
    if (!bars.isEmpty()) {
      r.heading("Bars").metrics(bars);
    }
    r.heading("Relative MSE per start");
    r.paragraph("The reference's metric: the mean over " + starts.grid().length + " grid times (to "
        + starts.until() + ") and the components "
        + columns + " of (mean_model - mean_direct)^2, over the mean of mean_direct^2. " + starts.runs()
        + " direct runs per start. The interval is a 95 % basic bootstrap over paths; the noise floor is what "
        + "the ensembles' finite sizes alone would give. MMD^2: the squared maximum mean discrepancy of the "
        + "whole state's distribution at each grid time, averaged over time, each component standardised by the "
        + "training pairs' z0 mean and standard deviation, with the mean of Gaussian kernels of bandwidths "
        + java.util.Arrays.toString(EnsembleComparison.MMD_BANDWIDTHS) + " (biased estimate; 0 for identical "
        + "samples).");
    String startHeader = String.join(", ", starts.columns());
    List<String> headers = new ArrayList<>(List.of("model", startHeader, "relative MSE", "95 % interval",
        "noise floor", "MMD^2"));
    for (String c : columns) {
      headers.add("W1(" + c + ")");
    }
    List<List<?>> rows = new ArrayList<>();
    metrics.path("sources").fields().forEachRemaining(e -> {
      for (var one : e.getValue().path("per_start")) {
        List<Object> values = new ArrayList<>();
        for (String c : starts.columns()) {
          values.add(RolloutJob.Starts.shortNumber(starts.startValue(one, c)));
        }
        Object start = starts.columns().size() == 1 ? starts.startValue(one, starts.columns().get(0))
            : String.join(", ", values.stream().map(String::valueOf).toList());
        List<Object> row = new ArrayList<>(List.of(e.getKey(), start,
            one.path("relative_mse").asDouble(), interval(one.path("relative_mse_95")),
            one.path("noise_floor").asDouble(), one.path("mmd_mean_over_time").asDouble()));
        for (String c : columns) {
          row.add(one.path("wasserstein1_mean_over_time").path(c).asDouble());
        }
        rows.add(row);
      }
      List<Object> mean = new ArrayList<>(List.of(e.getKey(), "mean", e.getValue().path("relative_mse").asDouble(), "",
          e.getValue().path("noise_floor").asDouble(), e.getValue().path("mmd_mean_over_time").asDouble()));
      for (String c : columns) {
        mean.add(e.getValue().path("wasserstein1_mean_over_time").path(c).asDouble());
      }
      rows.add(mean);
    });
    r.table(headers, rows);
    r.heading("Trajectories");
    int f = 0;
    for (int i = 0; i < starts.count(); i++) {
      for (String c : columns) {
        String name = figures.get(f++);
        r.imageWithCaption(name, name, String.format(Locale.ROOT, "%s (an average over the lattice or line, "
            + "dimensionless) from %s against %s: each ensemble's mean (solid) and mean -+ 1 sd (dashed) over %d grid "
            + "times; the legend gives each ensemble's size (direct runs of the large system, paths of each learned "
            + "SDE). A title ending in (cut) shows the direct runs' band widened by its width on each side: a model "
            + "that leaves it far behind is cut at the edge.", c, starts.label(i), starts.inSweeps() ? "time in sweeps" : "time", starts.grid().length));
      }
    }
    return r;
  }

  /**
   * The mean and standard deviation (population) of each macrostate column over the training pairs'
   * z0 ({@code <run>/pairs}, or {@code encoded/pairs} with a learned closure), to 4 significant
   * digits as {@code sde.standardise} takes them, which standardise the components for the MMD (as
   * the reference standardises its macrostates).
   */
  static Standardisation standardisation(SparkSession spark, Path runDir, List<String> columns) {
    boolean closure = columns.stream().anyMatch(c -> c.startsWith("c_"));
    Path pairs = closure ? new Path(new Path(runDir, SdeConfig.ENCODED), EncodeJob.PAIRS)
        : new Path(runDir, org.macronet.jobs.config.EvolveConfig.PAIRS);
    try {
      if (!pairs.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(pairs)) {
        throw new org.macronet.common.config.ConfigException("output.dir", "no training pairs in " + pairs
            + ": the MMD standardises the macrostate by their spread; run " + (closure ? "encode" : "evolve")
            + " first");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Standardisation.of(spark.read().parquet(pairs.toString()), columns);
  }

  private static String interval(com.fasterxml.jackson.databind.JsonNode ci) {
    return ci.isArray() ? String.format(Locale.ROOT, "[%.3g, %.3g]", ci.get(0).asDouble(), ci.get(1).asDouble()) : "";
  }

  private static String summary(ObjectNode metrics) {
    StringBuilder sb = new StringBuilder();
    metrics.path("sources").fields().forEachRemaining(e -> sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey())
        .append(' ').append(SdeTrainJob.fmt(e.getValue().path("relative_mse").asDouble())));
    return sb.toString();
  }
}
