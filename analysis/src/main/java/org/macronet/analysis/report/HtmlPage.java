package org.macronet.analysis.report;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Base64;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A report as one self-contained HTML5 page: its figures inlined as {@code data:} URIs, its style
 * and its table-sorting script inline, so the page needs no other file and no network.
 *
 * <p>The markup is also well-formed XML after the doctype (void elements self-closed, the script
 * in a commented CDATA section) and pure ASCII (other characters as numeric references), so it
 * reads the same whatever encoding the caller writes it in. Ids a reader can rely on:
 * {@code verdict} (the bars-met line), {@code toc} (the contents, level-2 headings), {@code bars}
 * (the first metrics table); each heading has the slug of its text as id, made unique with
 * {@code -2}, {@code -3}, ... (a heading "Bars" is {@code bars-2}, since {@code bars} is the table).
 */
final class HtmlPage {

  /** Ids the page gives to its own parts; headings never take them. */
  private static final Set<String> RESERVED_IDS = Set.of("report", "verdict", "toc", "bars");

  /** A number as the report writes one, incl. scientific notation; right-aligned in a cell. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|[+-]?Infinity|NaN");

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;line-height:1.5;\
      color:#1b1b1b;background:#fff;margin:0}
      main{max-width:64rem;margin:0 auto;padding:1rem 1.5rem 3rem}
      h1{font-size:1.8rem;margin:.5rem 0}
      h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
      .verdict{font-size:1.1rem}
      .badge{display:inline-block;padding:.1rem .6rem;margin-right:.4rem;border-radius:.3rem;color:#fff;\
      font-weight:bold;letter-spacing:.05em}
      .badge.pass{background:#1e7b34}
      .badge.fail{background:#b3261e}
      #toc{background:#f6f8fa;border:1px solid #e1e4e8;padding:.5rem 1rem;display:inline-block}
      #toc p{margin:0;font-weight:bold}
      #toc ul{margin:.2rem 0;padding-left:1.2rem}
      table{border-collapse:collapse;margin:1rem 0}
      th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
      th{background:#f2f2f2;cursor:pointer;user-select:none;white-space:nowrap}
      th:focus{outline:2px solid #1f77b4}
      th[aria-sort=ascending]::after{content:" \\25B2"}
      th[aria-sort=descending]::after{content:" \\25BC"}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      tr.pass td{background:#e3f4e6;color:#10341a}
      tr.fail td{background:#fbe3e4;color:#5c0f16}
      figure{margin:1.5rem 0}
      figure img{max-width:100%;height:auto;border:1px solid #ddd}
      figcaption{font-style:italic;color:#444;margin-top:.3rem}
      pre{background:#f6f8fa;border:1px solid #e1e4e8;padding:.75rem;overflow:auto}
      code{background:#f2f2f2;padding:0 .2rem;border-radius:.2rem}
      summary{cursor:pointer}
      """;

  /**
   * Clicking a header (or Enter on it) sorts its table's body rows by that column: numerically
   * when both cells are numbers, numbers before text, text in locale order; again, reversed.
   */
  private static final String SCRIPT = """
      (function () {
        'use strict';
        var NUMBER = /^(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[+-]?Infinity)$/;
        function text(row, column) {
          var cell = row.cells[column];
          return cell ? cell.textContent.trim() : '';
        }
        function compare(a, b) {
          var numberA = NUMBER.test(a);
          var numberB = NUMBER.test(b);
          if (numberA && numberB) {
            var x = Number(a);
            var y = Number(b);
            return x === y ? 0 : (x < y ? -1 : 1);
          }
          if (numberA !== numberB) {
            return numberA ? -1 : 1;
          }
          return a.localeCompare(b);
        }
        function sort(table, header, column) {
          var body = table.tBodies[0];
          if (!body) {
            return;
          }
          var descending = header.getAttribute('aria-sort') === 'ascending';
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (r, s) {
            var c = compare(text(r, column), text(s, column));
            return descending ? -c : c;
          });
          rows.forEach(function (r) { body.appendChild(r); });
          Array.prototype.forEach.call(header.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
          header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
        }
        Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
          if (!table.tHead || table.tHead.rows.length === 0) {
            return;
          }
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
            header.tabIndex = 0;
            header.title = 'Sort by this column';
            header.addEventListener('click', function () { sort(table, header, column); });
            header.addEventListener('keydown', function (e) {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                sort(table, header, column);
              }
            });
          });
        });
      })();
      """;

  private final String title;
  private final List<Block> blocks;
  private final List<Metric> metrics;
  private final Function<String, byte[]> images;
  private final Map<Block.Heading, String> headingIds = new IdentityHashMap<>();
  private final StringBuilder out = new StringBuilder();
  private boolean barsIdTaken;

  HtmlPage(String title, List<Block> blocks, List<Metric> metrics, Function<String, byte[]> images) {
    this.title = title;
    this.blocks = blocks;
    this.metrics = metrics;
    this.images = images;
    Set<String> taken = new HashSet<>(RESERVED_IDS);
    for (Block b : blocks) {
      if (b instanceof Block.Heading h) {
        String slug = slug(h.text());
        String id = slug;
        for (int k = 2; !taken.add(id); k++) {
          id = slug + "-" + k;
        }
        headingIds.put(h, id);
      }
    }
  }

  /** The page, from {@code <!doctype html>} to {@code </html>}, ending with a newline. */
  String render() {
    out.setLength(0);
    barsIdTaken = false;
    append("<!doctype html>\n<html lang=\"en\">\n<head>\n");
    append("<meta charset=\"utf-8\"/>\n");
    append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    append("<title>" + escape(title) + "</title>\n");
    append("<style>\n" + STYLE + "</style>\n</head>\n<body>\n<main id=\"report\">\n");
    append("<h1>" + inline(title) + "</h1>\n");
    if (!metrics.isEmpty()) {
      long met = metrics.stream().filter(Metric::passed).count();
      String verdict = met == metrics.size() ? "pass" : "fail";
      append("<p id=\"verdict\" class=\"verdict " + verdict + "\"><span class=\"badge " + verdict + "\">"
          + verdict.toUpperCase(Locale.ROOT) + "</span> <strong>Bars met: " + met + " of " + metrics.size()
          + ".</strong></p>\n");
    }
    contents();
    for (Block b : blocks) {
      b.html(this);
    }
    append("</main>\n<script>//<![CDATA[\n" + SCRIPT + "//]]></script>\n</body>\n</html>\n");
    return out.toString();
  }

  /** The level-2 headings as a list of links, when there are any. */
  private void contents() {
    StringBuilder items = new StringBuilder();
    for (Block b : blocks) {
      if (b instanceof Block.Heading h && h.level() == 2) {
        items.append("<li><a href=\"#").append(headingIds.get(h)).append("\">").append(inline(h.text()))
            .append("</a></li>");
      }
    }
    if (!items.isEmpty()) {
      append("<nav id=\"toc\" aria-label=\"Contents\"><p>Contents</p><ul>" + items + "</ul></nav>\n");
    }
  }

  void append(String html) {
    out.append(html);
  }

  /** Inline Markdown as HTML, the rest escaped. */
  String inline(String markdown) {
    return InlineMarkdown.toHtml(markdown);
  }

  String headingId(Block.Heading heading) {
    return headingIds.get(heading);
  }

  /** True once: the first metrics table takes the id {@code bars}. */
  boolean claimBarsId() {
    boolean first = !barsIdTaken;
    barsIdTaken = true;
    return first;
  }

  /**
   * A sortable table; {@code rowClasses}, when not null, gives each body row its class. Cells are
   * inline Markdown; cells that read as numbers are right-aligned.
   */
  void table(String id, String cssClass, List<String> headers, List<List<String>> rows, List<String> rowClasses) {
    StringBuilder sb = new StringBuilder("<table");
    if (id != null) {
      sb.append(" id=\"").append(id).append('"');
    }
    sb.append(" class=\"").append(cssClass).append("\">\n<thead><tr>");
    for (String h : headers) {
      sb.append("<th scope=\"col\">").append(inline(h)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (int r = 0; r < rows.size(); r++) {
      sb.append(rowClasses == null ? "<tr>" : "<tr class=\"" + rowClasses.get(r) + "\">");
      for (String cell : rows.get(r)) {
        sb.append(NUMBER.matcher(cell.strip()).matches() ? "<td class=\"num\">" : "<td>").append(inline(cell))
            .append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>\n");
    append(sb.toString());
  }

  /**
   * The figure at {@code path} as a {@code data:} URI.
   *
   * @throws IllegalArgumentException when there is no such figure or it is neither PNG, JPEG nor SVG
   */
  String dataUri(String path) {
    byte[] bytes = images.apply(path);
    if (bytes == null) {
      throw new IllegalArgumentException("image '" + path + "' was not found (images gave null)");
    }
    return "data:" + mediaType(path, bytes) + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** The media type read from the bytes' signature: PNG, JPEG, or SVG text. */
  static String mediaType(String path, byte[] bytes) {
    if (bytes.length >= PNG.length && java.util.Arrays.equals(bytes, 0, PNG.length, PNG, 0, PNG.length)) {
      return "image/png";
    }
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    String start = text.replaceFirst("^\uFEFF", "").stripLeading();
    if (start.startsWith("<") && text.contains("<svg")) {
      return "image/svg+xml";
    }
    StringBuilder head = new StringBuilder();
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      head.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
    }
    throw new IllegalArgumentException("image '" + path + "' must be PNG, JPEG or SVG, found "
        + (bytes.length == 0 ? "no bytes" : bytes.length + " bytes starting 0x" + head));
  }

  /** Text as HTML text or attribute value: markup characters as entities, non-ASCII as numeric references. */
  static String escape(CharSequence text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    escape(text, 0, text.length(), sb);
    return sb.toString();
  }

  /** Appends {@code text[from, to)} escaped as by {@link #escape(CharSequence)}. */
  static void escape(CharSequence text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; ) {
      int c = Character.codePointAt(text, i);
      i += Character.charCount(c);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c == '\n' || c == '\t' || c >= 0x20 && c < 0x7f) {
            out.append((char) c);
          } else if (c == '\r') {
            if (i >= to || text.charAt(i) != '\n') {
              out.append('\n'); // line ends as \n only
            }
          } else if (c < 0x20 || c >= 0x7f && c < 0xa0 || c >= 0xd800 && c <= 0xdfff || c == 0xfffe
              || c == 0xffff) {
            out.append("&#xfffd;"); // not allowed in HTML text: the replacement character
          } else {
            out.append("&#x").append(Integer.toHexString(c)).append(';');
          }
        }
      }
    }
  }

  /**
   * A heading's anchor: its letters and digits in lower case, accents dropped, every other run of
   * characters a hyphen ({@code "Held-out loss (nats)" -> held-out-loss-nats}); {@code section}
   * when nothing is left.
   */
  static String slug(String heading) {
    String plain = Normalizer.normalize(heading, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "")
        .toLowerCase(Locale.ROOT);
    String slug = plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    return slug.isEmpty() ? "section" : slug;
  }
}
