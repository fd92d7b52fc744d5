package org.macronet.analysis.report;

import java.util.Locale;

/**
 * The inline Markdown that reports use, as HTML: {@code **strong**}, {@code *emphasis*},
 * {@code `code`}, {@code [text](url)} and backslash escapes ({@code \|} in a table cell is
 * {@code |}); everything else is text, escaped. The delimiters follow CommonMark's simplest
 * reading: an opening {@code *} or {@code **} is followed by a non-blank character and its closer
 * preceded by one, so {@code a * b} stays as written.
 *
 * <p>A link whose URL names a scheme other than {@code http}, {@code https} or {@code mailto}
 * (e.g. {@code javascript:}) is left as text; relative URLs ({@code runs/a/report/index.html})
 * and fragments are kept as given.
 */
final class InlineMarkdown {

  private InlineMarkdown() {}

  /** The HTML of a line or paragraph of inline Markdown. */
  static String toHtml(String markdown) {
    StringBuilder out = new StringBuilder(markdown.length() + 16);
    convert(markdown, 0, markdown.length(), out);
    return out.toString();
  }

  private static void convert(String s, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < to && isPunctuation(s.charAt(i + 1))) {
        HtmlPage.escape(s, i + 1, i + 2, out);
        i += 2;
      } else if (c == '`') {
        int n = run(s, i, to, '`');
        int close = closingBackticks(s, i + n, to, n);
        if (close < 0) {
          out.append("`".repeat(n));
        } else {
          String code = s.substring(i + n, close);
          if (code.length() > 1 && code.startsWith(" ") && code.endsWith(" ") && !code.isBlank()) {
            code = code.substring(1, code.length() - 1);
          }
          out.append("<code>");
          HtmlPage.escape(code, 0, code.length(), out);
          out.append("</code>");
          i = close;
        }
        i += n;
      } else if (c == '[') {
        int end = link(s, i, to, out);
        if (end == i) {
          out.append('[');
          end++;
        }
        i = end;
      } else if (c == '*') {
        int n = i + 1 < to && s.charAt(i + 1) == '*' ? 2 : 1;
        int close = i + n < to && !Character.isWhitespace(s.charAt(i + n)) ? closingStars(s, i + n, to, n) : -1;
        if (close < 0) {
          out.append("*".repeat(n));
          i += n;
        } else {
          String tag = n == 2 ? "strong" : "em";
          out.append('<').append(tag).append('>');
          convert(s, i + n, close, out);
          out.append("</").append(tag).append('>');
          i = close + n;
        }
      } else {
        int next = Math.min(to, i + Character.charCount(s.codePointAt(i)));
        HtmlPage.escape(s, i, next, out);
        i = next;
      }
    }
  }

  /**
   * At {@code s[at] == '['}: a link {@code [text](url)} or {@code [text](<url>)} written to
   * {@code out}, returning the index after it; {@code at} (and nothing written) when there is none.
   */
  private static int link(String s, int at, int to, StringBuilder out) {
    int close = closingBracket(s, at + 1, to);
    if (close < 0 || close + 1 >= to || s.charAt(close + 1) != '(') {
      return at;
    }
    int i = close + 2;
    StringBuilder url = new StringBuilder();
    if (i < to && s.charAt(i) == '<') {
      i++;
      while (i < to && s.charAt(i) != '>' && s.charAt(i) != '\n') {
        i = urlChar(s, i, to, url);
      }
      if (i >= to || s.charAt(i) != '>') {
        return at;
      }
      i++;
    } else {
      int depth = 0;
      while (i < to && !Character.isWhitespace(s.charAt(i)) && (s.charAt(i) != ')' || depth > 0)) {
        depth += s.charAt(i) == '(' ? 1 : s.charAt(i) == ')' ? -1 : 0;
        i = urlChar(s, i, to, url);
      }
    }
    if (i >= to || s.charAt(i) != ')' || !safe(url.toString())) {
      return at;
    }
    out.append("<a href=\"");
    HtmlPage.escape(url, 0, url.length(), out);
    out.append("\">");
    convert(s, at + 1, close, out);
    out.append("</a>");
    return i + 1;
  }

  /** Appends the URL character at {@code i} (a backslash escape as the escaped character). */
  private static int urlChar(String s, int i, int to, StringBuilder url) {
    if (s.charAt(i) == '\\' && i + 1 < to && isPunctuation(s.charAt(i + 1))) {
      url.append(s.charAt(i + 1));
      return i + 2;
    }
    url.append(s.charAt(i));
    return i + 1;
  }

  /** A relative URL or fragment, or one whose scheme is http, https or mailto. */
  private static boolean safe(String url) {
    int colon = url.indexOf(':');
    String head = colon < 0 ? "" : url.substring(0, colon);
    if (!head.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return true; // no scheme: relative, a fragment, or a colon after a path character
    }
    String scheme = head.toLowerCase(Locale.ROOT);
    return scheme.equals("http") || scheme.equals("https") || scheme.equals("mailto");
  }

  /** The index of the {@code ]} that closes a {@code [} before {@code from}, or -1. */
  private static int closingBracket(String s, int from, int to) {
    int depth = 0;
    for (int j = from; j < to; j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '`') {
        j = skipCode(s, j, to) - 1;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        if (depth == 0) {
          return j;
        }
        depth--;
      }
    }
    return -1;
  }

  /**
   * The index of the {@code n} stars ({@code n} = 1 or 2) that close an emphasis opened before
   * {@code from}: preceded by a non-blank character, not part of a longer run; -1 when none.
   */
  private static int closingStars(String s, int from, int to, int n) {
    int j = from;
    while (j < to) {
      char c = s.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == '`') {
        j = skipCode(s, j, to);
      } else if (c == '*') {
        int len = run(s, j, to, '*');
        if (len == n && j > from && !Character.isWhitespace(s.charAt(j - 1))) {
          return j;
        }
        j += len;
      } else {
        j++;
      }
    }
    return -1;
  }

  /** At a backtick: the index after its code span, or after the run of backticks if it opens none. */
  private static int skipCode(String s, int at, int to) {
    int n = run(s, at, to, '`');
    int close = closingBackticks(s, at + n, to, n);
    return close < 0 ? at + n : close + n;
  }

  /** The start of the next run of exactly {@code n} backticks, or -1. */
  private static int closingBackticks(String s, int from, int to, int n) {
    int j = from;
    while (j < to) {
      if (s.charAt(j) == '`') {
        int len = run(s, j, to, '`');
        if (len == n) {
          return j;
        }
        j += len;
      } else {
        j++;
      }
    }
    return -1;
  }

  private static int run(String s, int at, int to, char c) {
    int j = at;
    while (j < to && s.charAt(j) == c) {
      j++;
    }
    return j - at;
  }

  /** ASCII punctuation: what a backslash may escape in Markdown. */
  private static boolean isPunctuation(char c) {
    return c < 128 && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }
}
