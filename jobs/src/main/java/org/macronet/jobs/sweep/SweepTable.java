package org.macronet.jobs.sweep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Report;
import org.macronet.analysis.stats.Summary;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.SweepConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.model.ModelArtifact;

/**
 * A sweep's table, in {@code <output.dir>/sweep}: {@code sweep.json} (every run's settings,
 * status, bars and metrics), {@code results.csv} (one line per run: settings, each bar's value
 * and pass/fail, all bars) and the index page ({@code index.html} and {@code report.md}): how
 * often each bar held, the runs' table with links to their reports, and a figure per bar of its
 * value against the first swept setting.
 */
public final class SweepTable {
  public static final String JSON = "sweep.json";
  public static final String CSV = "results.csv";
  public static final String INDEX = "index.html";
  public static final String MARKDOWN = "report.md";

  private SweepTable() {}

  /** A bar as metrics.json lists it. */
  record Bar(String name, double value, String comparison, double bar, boolean passed) {}

  /** The bars of a finished run by name, in its metrics' order ({@code bars}); empty for a failed run. */
  @SuppressWarnings("unchecked")
  static Map<String, Bar> bars(SweepJob.RunResult run) {
    if (!run.done() || !(run.metrics().get("bars") instanceof List<?> list)) {
      return Map.of();
    }
    Map<String, Bar> out = new LinkedHashMap<>();
    for (Object o : list) {
      Map<String, Object> b = (Map<String, Object>) o;
      Bar bar = new Bar(String.valueOf(b.get("name")), ((Number) b.get("value")).doubleValue(),
          String.valueOf(b.get("comparison")), ((Number) b.get("bar")).doubleValue(),
          Boolean.TRUE.equals(b.get("passed")));
      out.put(bar.name(), bar);
    }
    return out;
  }

  /** The names of the bars in the order the runs first give them. */
  static List<String> barNames(List<SweepJob.RunResult> runs) {
    java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
    for (SweepJob.RunResult r : runs) {
      names.addAll(bars(r).keySet());
    }
    return List.copyOf(names);
  }

  static void write(FileSystem fs, Path dir, SweepConfig sweep, DatasetMetadata meta, List<SweepJob.RunResult> runs,
      PrintStream log) throws IOException {
    fs.mkdirs(dir);
    List<String> barNames = barNames(runs);
    writeFile(fs, dir, JSON, ModelArtifact.jsonBytes(json(sweep, meta, runs, barNames)));
    writeFile(fs, dir, CSV, csv(sweep.keys(), runs, barNames).getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> figures = figures(sweep.keys(), runs, barNames);
    for (Map.Entry<String, byte[]> f : figures.entrySet()) {
      writeFile(fs, dir, f.getKey(), f.getValue());
    }
    Report report = report(sweep, meta, runs, barNames, figures);
    writeFile(fs, dir, MARKDOWN, report.render().getBytes(StandardCharsets.UTF_8));
    writeFile(fs, dir, INDEX, report.renderHtml(figures::get).getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Object> json(SweepConfig sweep, DatasetMetadata meta, List<SweepJob.RunResult> runs,
      List<String> barNames) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", "macronet-sweep");
    out.put("format_version", 1);
    out.put("code_version", BuildInfo.version());
    out.put("system", meta.system());
    out.put("dataset_checksum", meta.checksum());
    out.put("keys", sweep.keys());
    out.put("bars", barNames);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (SweepJob.RunResult r : runs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("run", r.name());
      row.put("settings", r.settings());
      row.put("status", r.status());
      if (r.error() != null) {
        row.put("error", r.error());
      }
      if (r.done()) {
        row.put("bars_passed", r.metrics().get("bars_passed"));
        row.put("metrics", r.metrics());
      }
      rows.add(row);
    }
    out.put("runs", rows);
    return out;
  }

  /** One line per run: run, the settings, status, each bar's value and pass, all bars, error. */
  static String csv(List<String> keys, List<SweepJob.RunResult> runs, List<String> barNames) {
    List<String> header = new ArrayList<>(List.of("run"));
    header.addAll(keys);
    header.add("status");
    for (String b : barNames) {
      header.add(b);
      header.add(b + " passed");
    }
    header.add("all bars passed");
    header.add("error");
    StringBuilder sb = new StringBuilder();
    line(sb, header);
    for (SweepJob.RunResult r : runs) {
      List<String> cells = new ArrayList<>(List.of(r.name()));
      keys.forEach(k -> cells.add(String.valueOf(r.settings().get(k))));
      cells.add(r.status());
      Map<String, Bar> bars = bars(r);
      for (String b : barNames) {
        Bar bar = bars.get(b);
        cells.add(bar == null ? "" : String.valueOf(bar.value()));
        cells.add(bar == null ? "" : String.valueOf(bar.passed()));
      }
      cells.add(r.done() ? String.valueOf(r.metrics().get("bars_passed")) : "");
      cells.add(r.error() == null ? "" : r.error());
      line(sb, cells);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (c.contains(",") || c.contains("\"") || c.contains("\n")) {
        c = "\"" + c.replace("\"", "\"\"").replace("\n", " ") + "\"";
      }
      sb.append(i == 0 ? "" : ",").append(c);
    }
    sb.append('\n');
  }

  /**
   * A figure per bar: its value in each finished run against the first swept setting (its run's
   * place in the sweep when that is not a number), runs that meet it apart from those that do
   * not, and the bar as a dotted line.
   */
  static Map<String, byte[]> figures(List<String> keys, List<SweepJob.RunResult> runs, List<String> barNames)
      throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String key = keys.get(0);
    boolean numeric = runs.stream().allMatch(r -> r.settings().get(key) instanceof Number);
    String xLabel = numeric ? key : "run (in sweep order)";
    for (int b = 0; b < barNames.size(); b++) {
      String name = barNames.get(b);
      List<double[]> pass = new ArrayList<>();
      List<double[]> fail = new ArrayList<>();
      double bar = Double.NaN;
      for (int i = 0; i < runs.size(); i++) {
        Bar found = bars(runs.get(i)).get(name);
        if (found == null || !Double.isFinite(found.value())) {
          continue;
        }
        double x = numeric ? ((Number) runs.get(i).settings().get(key)).doubleValue() : i + 1;
        (found.passed() ? pass : fail).add(new double[] {x, found.value()});
        bar = found.bar();
      }
      if (pass.isEmpty() && fail.isEmpty()) {
        continue;
      }
      List<Series> series = new ArrayList<>();
      if (!pass.isEmpty()) {
        series.add(series("meets the bar (" + pass.size() + ")", pass));
      }
      if (!fail.isEmpty()) {
        series.add(series("misses it (" + fail.size() + ")", fail));
      }
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (Series s : series) {
        for (double x : s.x()) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
      int points = 60;
      double[] bx = new double[points];
      double[] by = new double[points];
      for (int p = 0; p < points; p++) {
        bx[p] = hi > lo ? lo + (hi - lo) * p / (points - 1) : lo;
        by[p] = bar;
      }
      series.add(new Series("bar " + Report.format(bar), bx, by));
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      Figures.scatter(name, xLabel, name, series, png);
      out.put(String.format(Locale.ROOT, "bar_%d.png", b + 1), png.toByteArray());
    }
    return out;
  }

  private static Series series(String name, List<double[]> points) {
    return new Series(name, points.stream().mapToDouble(p -> p[0]).toArray(),
        points.stream().mapToDouble(p -> p[1]).toArray());
  }

  static Report report(SweepConfig sweep, DatasetMetadata meta, List<SweepJob.RunResult> runs, List<String> barNames,
      Map<String, byte[]> figures) {
    long done = runs.stream().filter(SweepJob.RunResult::done).count();
    long allPassed = runs.stream().filter(r -> r.done() && Boolean.TRUE.equals(r.metrics().get("bars_passed")))
        .count();
    Report report = new Report("Sweep: " + meta.system() + ", " + runs.size() + " runs over "
        + String.join(", ", sweep.keys()));
    report.paragraph(String.format(Locale.ROOT, "**All bars met in %d of %d runs** (%d finished, %d failed). "
            + "Dataset: %d rows, checksum `%s`. Code version `%s`.", allPassed, runs.size(), done, runs.size() - done,
        meta.rows(), meta.checksum(), BuildInfo.version()));
    if (!barNames.isEmpty()) {
      report.heading("How often each bar held");
      List<List<?>> rows = new ArrayList<>();
      for (String name : barNames) {
        List<Bar> found = runs.stream().map(r -> bars(r).get(name)).filter(java.util.Objects::nonNull).toList();
        double[] values = found.stream().mapToDouble(Bar::value).filter(Double::isFinite).sorted().toArray();
        long met = found.stream().filter(Bar::passed).count();
        Bar any = found.get(0);
        rows.add(List.of(name, any.comparison() + " " + Report.format(any.bar()), met + " of " + done,
            values.length == 0 ? "" : Report.format(values[0]),
            values.length == 0 ? "" : Report.format(Summary.median(values)),
            values.length == 0 ? "" : Report.format(values[values.length - 1])));
      }
      report.table(List.of("bar", "needs", "met in", "min", "median", "max"), rows);
    }
    report.heading("Runs");
    List<String> header = new ArrayList<>(List.of("run"));
    header.addAll(sweep.keys());
    header.addAll(barNames);
    header.add("bars");
    List<List<?>> rows = new ArrayList<>();
    for (SweepJob.RunResult r : runs) {
      List<Object> row = new ArrayList<>();
      row.add("[" + r.name() + "](" + SweepConfig.RUNS + "/" + r.name() + "/report/" + INDEX + ")");
      sweep.keys().forEach(k -> row.add(r.settings().get(k)));
      Map<String, Bar> bars = bars(r);
      for (String b : barNames) {
        Bar bar = bars.get(b);
        row.add(bar == null ? "" : apart(bar) + (bar.passed() ? "" : " **FAIL**"));
      }
      row.add(r.done() ? (Boolean.TRUE.equals(r.metrics().get("bars_passed")) ? "all met" : "**NOT all met**")
          : "failed: " + r.error());
      rows.add(row);
    }
    report.table(header, rows);
    if (!figures.isEmpty()) {
      report.heading("Each bar against " + sweep.keys().get(0));
      int b = 0;
      for (String name : barNames) {
        String file = String.format(Locale.ROOT, "bar_%d.png", ++b);
        if (figures.containsKey(file)) {
          report.image(name + ": value in each of " + done + " finished runs; the dotted line is the bar", file);
        }
      }
    }
    return report;
  }

  /** A bar's value with 4 significant digits, or all of them when those would read as the bar itself. */
  static String apart(Bar bar) {
    return Report.formatApart(bar.value(), bar.bar());
  }

  private static void writeFile(FileSystem fs, Path dir, String name, byte[] bytes) throws IOException {
    org.macronet.jobs.io.AtomicFile.write(fs, new Path(dir, name), bytes);
  }
}
