package org.macronet.analysis.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's human-readable report as Markdown ({@code report.md}): a title, a line saying how many
 * bars were met, then headings, paragraphs, tables and links to figures in the order they were
 * added. {@link #render()} returns the text; the caller writes it beside the figures.
 *
 * <pre>{@code
 * String md = new Report("Oscillator")
 *     .heading("Bars")
 *     .metrics(List.of(Metric.atLeast("|Spearman rho(macrostate, energy)|", rho, 0.99)))
 *     .image("Macrostate against energy", "macrostate_energy.png")
 *     .render();
 * }</pre>
 */
public final class Report {

  private static final MathContext SIGNIFICANT = new MathContext(4);

  private final String title;
  private final List<String> blocks = new ArrayList<>();
  private final List<Metric> metrics = new ArrayList<>();

  /** A report whose first line is {@code # title}. */
  public Report(String title) {
    this.title = text("title", title);
  }

  /** A second-level heading, {@code ## text}. */
  public Report heading(String text) {
    return heading(2, text);
  }

  /** A heading of the given level, 2 to 6 (level 1 is the title). */
  public Report heading(int level, String text) {
    if (level < 2 || level > 6) {
      throw new IllegalArgumentException("heading level must be in [2, 6], found " + level);
    }
    blocks.add("#".repeat(level) + " " + oneLine(text("heading", text)));
    return this;
  }

  /** A paragraph of text, written as given (Markdown inside it is kept). */
  public Report paragraph(String text) {
    blocks.add(text("paragraph", text).strip());
    return this;
  }

  /**
   * A two-column table of named values, in the map's iteration order; numbers are written with 4
   * significant digits, anything else with {@code toString()}.
   */
  public Report table(String keyHeader, String valueHeader, Map<String, ?> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("table values must hold at least one entry, found "
          + (values == null ? "null" : "none"));
    }
    StringBuilder sb = new StringBuilder();
    row(sb, text("keyHeader", keyHeader), text("valueHeader", valueHeader));
    sb.append("|---|---|\n");
    for (Map.Entry<String, ?> e : values.entrySet()) {
      row(sb, text("table key", e.getKey()), cell(e.getValue()));
    }
    blocks.add(sb.toString().stripTrailing());
    return this;
  }

  /**
   * A table of any width: a header row, then rows of cells written as given (numbers with
   * {@link #format}); every row must have one cell per header.
   */
  public Report table(List<String> headers, List<List<?>> rows) {
    if (headers == null || headers.isEmpty()) {
      throw new IllegalArgumentException("table headers must hold at least one column, found "
          + (headers == null ? "null" : "none"));
    }
    StringBuilder sb = new StringBuilder();
    row(sb, headers.stream().map(h -> text("header", h)).toArray(String[]::new));
    sb.append('|').append("---|".repeat(headers.size())).append('\n');
    for (int r = 0; r < rows.size(); r++) {
      List<?> cells = rows.get(r);
      if (cells == null || cells.size() != headers.size()) {
        throw new IllegalArgumentException("table row " + r + " must have " + headers.size() + " cells, found "
            + (cells == null ? "null" : cells.size()));
      }
      row(sb, cells.stream().map(Report::cell).toArray(String[]::new));
    }
    blocks.add(sb.toString().stripTrailing());
    return this;
  }

  /**
   * A table of metrics against their bars, one row each: name, value, bar with its comparison
   * ({@code >= 0.99}) and {@code pass} or {@code **FAIL**}. They count towards {@link #passed()}.
   */
  public Report metrics(List<Metric> rows) {
    if (rows == null || rows.isEmpty()) {
      throw new IllegalArgumentException("metrics must hold at least one metric, found "
          + (rows == null ? "null" : "none"));
    }
    StringBuilder sb = new StringBuilder();
    row(sb, "metric", "value", "bar", "result");
    sb.append("|---|---:|---|---|\n");
    for (int i = 0; i < rows.size(); i++) {
      Metric m = rows.get(i);
      if (m == null) {
        throw new IllegalArgumentException("metrics[" + i + "] must not be null");
      }
      String bar = format(m.bar());
      row(sb, m.name(), formatApart(m.value(), m.bar(), bar), m.comparison().symbol() + " " + bar,
          m.passed() ? "pass" : "**FAIL**");
      metrics.add(m);
    }
    blocks.add(sb.toString().stripTrailing());
    return this;
  }

  /** A figure, {@code ![alt](path)}, with the path relative to the report. */
  public Report image(String alt, String path) {
    String target = text("path", path).strip();
    if (target.isEmpty()) {
      throw new IllegalArgumentException("image path must not be blank, found '" + path + "'");
    }
    if (target.matches(".*[\\s()<>].*")) {
      target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">";
    }
    String label = oneLine(text("alt", alt)).replace("[", "\\[").replace("]", "\\]");
    blocks.add("![" + label + "](" + target + ")");
    return this;
  }

  /** Whether every metric added so far clears its bar (true when there are none). */
  public boolean passed() {
    return metrics.stream().allMatch(Metric::passed);
  }

  /** The Markdown text, ending with a newline. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(oneLine(title)).append("\n\n");
    if (!metrics.isEmpty()) {
      long met = metrics.stream().filter(Metric::passed).count();
      sb.append("**Bars met: ").append(met).append(" of ").append(metrics.size()).append(".**\n\n");
    }
    for (String block : blocks) {
      sb.append(block).append("\n\n");
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /**
   * A number with 4 significant digits ({@code 0.99531 -> 0.9953}, {@code 12 -> 12}), in
   * scientific notation outside [1e-4, 1e6).
   */
  static String format(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    if (value == 0) {
      return "0";
    }
    double abs = Math.abs(value);
    if (abs >= 1e-4 && abs < 1e6) {
      return new BigDecimal(value).round(SIGNIFICANT).stripTrailingZeros().toPlainString();
    }
    return String.format(Locale.ROOT, "%.3e", value);
  }

  /** A table cell: floating-point numbers with {@link #format}, anything else with {@code toString()}. */
  private static String cell(Object v) {
    return v instanceof Double || v instanceof Float ? format(((Number) v).doubleValue()) : String.valueOf(v);
  }

  /** The value formatted so that it does not read as equal to the bar when it is not. */
  private static String formatApart(double value, double bar, String shownBar) {
    String shown = format(value);
    return shown.equals(shownBar) && value != bar ? Double.toString(value) : shown;
  }

  private static void row(StringBuilder sb, String... cells) {
    sb.append('|');
    for (String cell : cells) {
      sb.append(' ').append(oneLine(cell).replace("|", "\\|")).append(" |");
    }
    sb.append('\n');
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static String text(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return value;
  }
}
