package org.macronet.analysis.report;

import java.util.List;

/**
 * One part of a {@link Report}, in the order it was added, with its two renderings side by side:
 * {@link #markdown()} for {@code report.md} and {@link #html(HtmlPage)} for the page. Texts are
 * held as the caller gave them (Markdown inline syntax included); each rendering escapes them.
 */
sealed interface Block {

  /** The block's Markdown, without the blank line that separates it from the next block. */
  String markdown();

  /** Appends the block's HTML to the page. */
  void html(HtmlPage page);

  /** {@code ## text}; level 2 to 6, the text on one line. */
  record Heading(int level, String text) implements Block {
    @Override
    public String markdown() {
      return "#".repeat(level) + " " + text;
    }

    @Override
    public void html(HtmlPage page) {
      page.append("<h" + level + " id=\"" + page.headingId(this) + "\">" + page.inline(text) + "</h" + level
          + ">\n");
    }
  }

  /** Text written as given; a blank line inside it starts a new HTML paragraph, as in Markdown. */
  record Paragraph(String text) implements Block {
    @Override
    public String markdown() {
      return text;
    }

    @Override
    public void html(HtmlPage page) {
      for (String part : text.split("\\R[ \\t]*\\R")) {
        if (!part.isBlank()) {
          page.append("<p>" + page.inline(part.strip()) + "</p>\n");
        }
      }
    }
  }

  /** A header row and rows of as many cells, each cell's text as the caller's value gave it. */
  record Table(List<String> headers, List<List<String>> rows) implements Block {
    @Override
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      row(sb, headers);
      sb.append('|').append("---|".repeat(headers.size())).append('\n');
      for (List<String> cells : rows) {
        row(sb, cells);
      }
      return sb.toString().stripTrailing();
    }

    @Override
    public void html(HtmlPage page) {
      page.table(null, "sortable", headers, rows, null);
    }
  }

  /** Metrics against their bars: name, value, bar with its comparison, and the result. */
  record Bars(List<Metric> metrics) implements Block {
    private static final List<String> HEADERS = List.of("metric", "value", "bar", "result");

    @Override
    public String markdown() {
      StringBuilder sb = new StringBuilder();
      row(sb, HEADERS);
      sb.append("|---|---:|---|---|\n");
      for (Metric m : metrics) {
        row(sb, cells(m));
      }
      return sb.toString().stripTrailing();
    }

    @Override
    public void html(HtmlPage page) {
      List<List<String>> rows = metrics.stream().map(Bars::cells).toList();
      List<String> classes = metrics.stream().map(m -> m.passed() ? "pass" : "fail").toList();
      page.table(page.claimBarsId() ? "bars" : null, "sortable bars", HEADERS, rows, classes);
    }

    private static List<String> cells(Metric m) {
      String bar = Report.format(m.bar());
      return List.of(m.name(), Report.formatApart(m.value(), m.bar()), m.comparison().symbol() + " " + bar,
          m.passed() ? "pass" : "**FAIL**");
    }
  }

  /**
   * A figure at {@code path} relative to the report; the caption, when not null, is shown under
   * it (an italic line in Markdown). Without a caption the page shows the alt text under it.
   */
  record Image(String alt, String path, String caption) implements Block {
    @Override
    public String markdown() {
      String target = path;
      if (target.matches(".*[\\s()<>].*")) {
        target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">";
      }
      String label = alt.replace("[", "\\[").replace("]", "\\]");
      String image = "![" + label + "](" + target + ")";
      return caption == null ? image : image + "\n*" + caption + "*";
    }

    @Override
    public void html(HtmlPage page) {
      page.append("<figure><img alt=\"" + HtmlPage.escape(alt) + "\" src=\"" + page.dataUri(path) + "\"/>");
      String shown = caption == null ? alt : caption;
      if (!shown.isBlank()) {
        page.append("<figcaption>" + page.inline(shown) + "</figcaption>");
      }
      page.append("</figure>\n");
    }
  }

  /** Text shown verbatim in a monospaced font: a fenced code block in Markdown, {@code <pre>} in HTML. */
  record Preformatted(String text) implements Block {
    @Override
    public String markdown() {
      return fenced(text);
    }

    @Override
    public void html(HtmlPage page) {
      page.append("<pre>" + pre(text) + "</pre>\n");
    }
  }

  /**
   * Long text behind a one-line summary: a collapsed {@code <details>} in HTML; in Markdown the
   * summary as a paragraph, then the text fenced.
   */
  record Details(String summary, String text) implements Block {
    @Override
    public String markdown() {
      return summary + "\n\n" + fenced(text);
    }

    @Override
    public void html(HtmlPage page) {
      page.append("<details><summary>" + page.inline(summary) + "</summary><pre>" + pre(text)
          + "</pre></details>\n");
    }
  }

  /** Text escaped for {@code <pre>}, where HTML drops a first line break: a leading one is doubled. */
  private static String pre(String text) {
    return (text.startsWith("\n") ? "\n" : "") + HtmlPage.escape(text);
  }

  /** A fenced code block whose fence is longer than any run of backticks in the text. */
  private static String fenced(String text) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == '`' ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    return text.isEmpty() ? fence + "\n" + fence : fence + "\n" + text + "\n" + fence;
  }

  /** A Markdown table row, each cell on one line with its pipes escaped. */
  private static void row(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String cell : cells) {
      sb.append(' ').append(Report.oneLine(cell).replace("|", "\\|")).append(" |");
    }
    sb.append('\n');
  }
}
