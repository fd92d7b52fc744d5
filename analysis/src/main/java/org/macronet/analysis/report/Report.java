package org.macronet.analysis.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * A run's human-readable report: a title, a line saying how many bars were met, then headings,
 * paragraphs, tables, figures and preformatted text in the order they were added. It renders as
 * Markdown ({@link #render()}, {@code report.md} beside the figures) and as one self-contained
 * HTML page ({@link #renderHtml}, figures inlined, tables sortable by a click on a header). Texts
 * may hold inline Markdown ({@code **strong**}, {@code *emphasis*}, {@code `code`},
 * {@code [text](url)}), which the page shows as HTML.
 *
 * <pre>{@code
 * Report report = new Report("Oscillator")
 *     .heading("Bars")
 *     .metrics(List.of(Metric.atLeast("|Spearman rho(macrostate, energy)|", rho, 0.99)))
 *     .image("Macrostate against energy", "macrostate_energy.png");
 * String md = report.render();
 * String html = report.renderHtml(Report.imagesIn(reportDir));
 * }</pre>
 */
public final class Report {

  private static final MathContext SIGNIFICANT = new MathContext(4);

  private final String title;
  private final List<Block> blocks = new ArrayList<>();
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
    blocks.add(new Block.Heading(level, oneLine(text("heading", text))));
    return this;
  }

  /** A paragraph of text, written as given (Markdown inside it is kept). */
  public Report paragraph(String text) {
    blocks.add(new Block.Paragraph(text("paragraph", text).strip()));
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
    List<String> headers = List.of(text("keyHeader", keyHeader), text("valueHeader", valueHeader));
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      rows.add(List.of(text("table key", e.getKey()), cell(e.getValue())));
    }
    blocks.add(new Block.Table(headers, List.copyOf(rows)));
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
    List<String> names = headers.stream().map(h -> text("header", h)).toList();
    if (rows == null) {
      throw new IllegalArgumentException("table rows must not be null");
    }
    List<List<String>> cells = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      List<?> row = rows.get(r);
      if (row == null || row.size() != headers.size()) {
        throw new IllegalArgumentException("table row " + r + " must have " + headers.size() + " cells, found "
            + (row == null ? "null" : row.size()));
      }
      cells.add(row.stream().map(Report::cell).toList());
    }
    blocks.add(new Block.Table(names, List.copyOf(cells)));
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
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) == null) {
        throw new IllegalArgumentException("metrics[" + i + "] must not be null");
      }
    }
    List<Metric> added = List.copyOf(rows);
    metrics.addAll(added);
    blocks.add(new Block.Bars(added));
    return this;
  }

  /**
   * A figure, {@code ![alt](path)}, with the path relative to the report; the page shows the alt
   * text under it.
   */
  public Report image(String alt, String path) {
    blocks.add(new Block.Image(oneLine(text("alt", alt)), imagePath(path), null));
    return this;
  }

  /**
   * A figure as {@link #image}, with a caption under it: an italic line after the image in
   * Markdown, the figure's caption in HTML (in place of the alt text).
   */
  public Report imageWithCaption(String alt, String path, String caption) {
    String shown = oneLine(text("caption", caption));
    if (shown.isEmpty()) {
      throw new IllegalArgumentException("caption must not be blank, found '" + caption + "'");
    }
    blocks.add(new Block.Image(oneLine(text("alt", alt)), imagePath(path), shown));
    return this;
  }

  /**
   * Text shown verbatim in a monospaced font (a fenced code block in Markdown, {@code <pre>} in
   * HTML), e.g. a configuration; no Markdown inside it is interpreted.
   */
  public Report preformatted(String text) {
    blocks.add(new Block.Preformatted(verbatim("preformatted text", text)));
    return this;
  }

  /**
   * Long text behind a one-line summary: collapsed under the summary in HTML (a
   * {@code <details>} element), the summary as a paragraph followed by the text fenced in Markdown.
   * Meant for what few readers open, such as a run's whole configuration as JSON.
   */
  public Report details(String summary, String text) {
    String line = oneLine(text("summary", summary));
    if (line.isEmpty()) {
      throw new IllegalArgumentException("details summary must not be blank, found '" + summary + "'");
    }
    blocks.add(new Block.Details(line, verbatim("details text", text)));
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
    for (Block block : blocks) {
      sb.append(block.markdown()).append("\n\n");
    }
    sb.setLength(sb.length() - 1);
    return sb.toString();
  }

  /**
   * The same content as one self-contained HTML5 page, ending with a newline: the title, a
   * pass/fail badge with the bars-met line, a table of contents of the level-2 headings, then the
   * blocks in order. Figures are inlined as {@code data:} URIs, so the page needs no other file and
   * no network. The page is ASCII (other characters as numeric references); write it as UTF-8.
   *
   * <p>What a reader can rely on: {@code p#verdict} with {@code span.badge.pass} or
   * {@code span.badge.fail}; {@code nav#toc}; every table is {@code table.sortable}; the first
   * metrics table is {@code table#bars}, every metrics table {@code table.bars}, one
   * {@code tbody tr.pass} or {@code tr.fail} per metric; headings carry slug ids; each figure is a
   * {@code figure} with its {@code img} and a {@code figcaption}.
   *
   * @param images the bytes of the figure at a path given to {@link #image} (PNG, JPEG or SVG),
   *     null when there is none; e.g. {@link #imagesIn(Path)}
   * @throws IllegalArgumentException when {@code images} is null or gives null or an unknown
   *     format for a figure's path
   */
  public String renderHtml(Function<String, byte[]> images) {
    if (images == null) {
      throw new IllegalArgumentException("images must not be null");
    }
    return new HtmlPage(oneLine(title), List.copyOf(blocks), List.copyOf(metrics), images).render();
  }

  /**
   * The figures of a report written in {@code directory}: the bytes of the file at a figure's path
   * relative to it, null when there is no such file.
   *
   * @throws UncheckedIOException (from the function) when an existing file cannot be read
   */
  public static Function<String, byte[]> imagesIn(Path directory) {
    if (directory == null) {
      throw new IllegalArgumentException("directory must not be null");
    }
    return path -> {
      Path file = directory.resolve(path);
      try {
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read image " + file, e);
      }
    };
  }

  /**
   * A number with 4 significant digits ({@code 0.99531 -> 0.9953}, {@code 12 -> 12}), in
   * scientific notation outside [1e-4, 1e6).
   */
  public static String format(double value) {
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

  /**
   * {@code value} as {@link #format} writes it, or in full when that would read as {@code bar}
   * itself without being it (0.98999 against a bar of 0.99).
   */
  public static String formatApart(double value, double bar) {
    String shown = format(value);
    return shown.equals(format(bar)) && value != bar ? Double.toString(value) : shown;
  }

  /** A table cell: floating-point numbers with {@link #format}, anything else with {@code toString()}. */
  private static String cell(Object v) {
    return v instanceof Double || v instanceof Float ? format(((Number) v).doubleValue()) : String.valueOf(v);
  }

  /** The image path, stripped and not blank. */
  private static String imagePath(String path) {
    String target = text("path", path).strip();
    if (target.isEmpty()) {
      throw new IllegalArgumentException("image path must not be blank, found '" + path + "'");
    }
    return target;
  }

  /** Text kept as written, its line ends as {@code \n} and without trailing line ends. */
  private static String verbatim(String what, String text) {
    return text(what, text).replaceAll("\r\n?", "\n").replaceAll("\n+$", "");
  }

  /** The text on one line: each line break and the blanks around it become one space. */
  static String oneLine(String text) {
    return text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static String text(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return value;
  }
}
