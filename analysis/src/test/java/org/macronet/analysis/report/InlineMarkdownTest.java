package org.macronet.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InlineMarkdownTest {

  private static String html(String markdown) {
    return InlineMarkdown.toHtml(markdown);
  }

  @Test
  void strongEmphasisCodeAndLinks() {
    assertEquals("<strong>FAIL</strong>", html("**FAIL**"));
    assertEquals("<strong>Bars met: 1 of 2.</strong>", html("**Bars met: 1 of 2.**"));
    assertEquals("an <em>italic</em> word", html("an *italic* word"));
    assertEquals("<em>a <strong>b</strong> c</em>", html("*a **b** c*"));
    assertEquals("run <code>mvn -o test</code> here", html("run `mvn -o test` here"));
    assertEquals("<a href=\"runs/ising-16/report/index.html\">ising-16</a>",
        html("[ising-16](runs/ising-16/report/index.html)"));
    assertEquals("<a href=\"#bars\"><strong>bars</strong></a>", html("[**bars**](#bars)"));
  }

  @Test
  void everythingElseIsEscaped() {
    assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;",
        html("<script>alert(\"x\")</script> & 'y'"));
    assertEquals("<code>a &lt; b &amp;&amp; **c**</code>", html("`a < b && **c**`"), "no Markdown inside code");
    assertEquals("<a href=\"a?x=1&amp;y=&quot;2&quot;\">q</a>", html("[q](a?x=1&y=\"2\")"));
  }

  @Test
  void backslashEscapesGiveTheCharacter() {
    assertEquals("a|b", html("a\\|b"));
    assertEquals("*not emphasis*", html("\\*not emphasis\\*"));
    assertEquals("C:\\data", html("C:\\data"), "a backslash before a letter stays");
  }

  @Test
  void textThatOnlyLooksLikeMarkupStaysAsWritten() {
    assertEquals("a * b * c", html("a * b * c"), "a star before a blank opens nothing");
    assertEquals("**unclosed", html("**unclosed"));
    assertEquals("``", html("``"));
    assertEquals("u = f_u^-1([alpha, eps]), then", html("u = f_u^-1([alpha, eps]), then"));
    assertEquals("M = [[m11, m12], [m21, m22]]", html("M = [[m11, m12], [m21, m22]]"));
    assertEquals("macro_u_j ~ macro_v_j", html("macro_u_j ~ macro_v_j"), "underscores are not emphasis");
  }

  @Test
  void linkDestinations() {
    assertEquals("<a href=\"f(x).html\">f</a>", html("[f](f(x).html)"), "balanced parentheses in the URL");
    assertEquals("<a href=\"runs/my run/index.html\">r</a>", html("[r](<runs/my run/index.html>)"));
    assertEquals("<a href=\"https://example.org/a\">e</a>", html("[e](https://example.org/a)"));
    assertEquals("[x](javascript:alert(1))", html("[x](javascript:alert(1))"), "a script URL stays text");
    assertEquals("[x] (y)", html("[x] (y)"));
  }

  @Test
  void nonAsciiBecomesNumericReferences() {
    assertEquals("&#xe9;t&#xe9; &#x2265; 0.99 &#x1f600;", html("\u00e9t\u00e9 \u2265 0.99 \uD83D\uDE00"));
    assertEquals("a&#xfffd;b", html("a\u0000b"), "a control character is replaced");
  }
}
