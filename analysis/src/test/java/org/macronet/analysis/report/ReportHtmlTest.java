package org.macronet.analysis.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.Series;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

class ReportHtmlTest {

  private static final String DOCTYPE = "<!doctype html>\n";

  private static final Function<String, byte[]> NO_IMAGES = path -> null;

  /** A PNG or JPEG of a w x h image filled with one colour. */
  private static byte[] image(String format, int w, int h, Color fill) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, fill.getRGB());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertTrue(ImageIO.write(image, format, out), "ImageIO writes " + format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The page parsed as XML after its doctype: the page is polyglot markup, so any unclosed or
   * misnested element, or a bare {@code &} or {@code <} in text, fails here.
   */
  private static Document parse(String html) {
    assertTrue(html.startsWith(DOCTYPE), "starts with the HTML5 doctype: " + html.substring(0, 40));
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(new DefaultHandler() {
        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }
      });
      return builder.parse(new ByteArrayInputStream(html.substring(DOCTYPE.length()).getBytes(StandardCharsets.UTF_8)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new AssertionError("the page is not well-formed: " + e.getMessage() + "\n" + html, e);
    }
  }

  private static NodeList nodes(Document doc, String xpath) {
    try {
      XPath x = XPathFactory.newInstance().newXPath();
      return (NodeList) x.evaluate(xpath, doc, XPathConstants.NODESET);
    } catch (XPathExpressionException e) {
      throw new AssertionError(xpath, e);
    }
  }

  private static List<String> texts(Document doc, String xpath) {
    NodeList list = nodes(doc, xpath);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add(list.item(i).getTextContent());
    }
    return out;
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** A report with every kind of block: two tables, two metrics tables (one failing bar), figures. */
  private static Report everything() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("system", "oscillator");
    config.put("learning rate", 1e-3);
    config.put("samples", 100000);
    return new Report("Oscillator <run 7>")
        .paragraph("Held-out rows: 2000. See the [sweep](../../index.html).")
        .heading("Bars")
        .metrics(List.of(
            Metric.atLeast("|rho(macrostate, energy)|", 0.99531, 0.99),
            Metric.atMost("std(r)/mean(r)", 0.12344, 0.1),
            Metric.atMost("relative MSE", 1.2e-5, 8e-4)))
        .heading("Figures")
        .image("Macrostate against energy", "macrostate_energy.png")
        .imageWithCaption("Loss", "figs/loss curve.jpg", "Training loss against *step*.")
        .image("Diagram", "diagram.svg")
        .heading("Training configuration")
        .table("key", "value", config)
        .heading(3, "Designs per example")
        .table(List.of("example", "sense", "fraction"), List.of(List.of(3, "clockwise", 0.948), List.of(4, "a|b", 1.0)))
        .heading("Closure")
        .metrics(List.of(Metric.atLeast("R^2", 0.5, 0.9)))
        .details("Whole configuration (JSON)", "{\n  \"seed\": 7,\n  \"name\": \"<a & b>\"\n}")
        .preformatted("step  loss\n0     1.5\n");
  }

  private static Map<String, byte[]> figures() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("macrostate_energy.png", image("png", 4, 3, Color.RED));
    files.put("figs/loss curve.jpg", image("jpg", 5, 5, Color.BLUE));
    String svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>";
    files.put("diagram.svg", svg.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  @Test
  void pageIsSelfContainedAndWellFormed() {
    String html = everything().renderHtml(figures()::get);
    Document doc = parse(html);
    assertFalse(html.contains("src=\"http"), "no remote source");
    assertFalse(html.contains("<link"), "no linked stylesheet");
    assertFalse(html.contains("http://") || html.contains("https://") || html.contains("//cdn"), "no URL to fetch");
    assertFalse(html.contains("<script src"), "no external script");
    for (String tag : List.of("table", "thead", "tbody", "tr", "figure", "p", "details", "pre", "script", "style")) {
      assertEquals(count(html, "<" + tag + ">") + count(html, "<" + tag + " "), count(html, "</" + tag + ">"),
          "balanced <" + tag + ">");
    }
    assertEquals(List.of("utf-8"), texts(doc, "/html/head/meta/@charset"));
    assertEquals(List.of("Oscillator <run 7>"), texts(doc, "/html/head/title"));
    assertEquals(List.of("Oscillator <run 7>"), texts(doc, "/html/body/main/h1"));
    assertEquals(1, nodes(doc, "/html/head/style").getLength(), "one inline style");
    assertEquals(1, nodes(doc, "//script").getLength(), "one inline script");
    assertTrue(html.endsWith("</html>\n"));
    assertTrue(html.chars().allMatch(c -> c < 128), "ASCII only");
  }

  @Test
  void everyFigureIsInlinedWithTheBytesGivenForItsPath() {
    Map<String, byte[]> files = figures();
    List<String> asked = new ArrayList<>();
    Document doc = parse(everything().renderHtml(path -> {
      asked.add(path);
      return files.get(path);
    }));
    assertEquals(List.copyOf(files.keySet()), asked, "each figure asked for once, by the path it was added with");
    NodeList images = nodes(doc, "//figure/img");
    assertEquals(3, images.getLength());
    List<String> types = List.of("image/png", "image/jpeg", "image/svg+xml");
    List<byte[]> bytes = List.copyOf(files.values());
    for (int i = 0; i < 3; i++) {
      String src = ((Element) images.item(i)).getAttribute("src");
      String prefix = "data:" + types.get(i) + ";base64,";
      assertTrue(src.startsWith(prefix), src.substring(0, Math.min(40, src.length())));
      assertArrayEquals(bytes.get(i), Base64.getDecoder().decode(src.substring(prefix.length())), "figure " + i);
    }
    assertEquals(List.of("Macrostate against energy", "Loss", "Diagram"), texts(doc, "//figure/img/@alt"));
    assertEquals(List.of("Macrostate against energy", "Training loss against step.", "Diagram"),
        texts(doc, "//figure/figcaption"), "the caption in place of the alt text");
    assertEquals(List.of("step"), texts(doc, "//figure/figcaption/em"));
  }

  @Test
  void aMissingOrUnknownFigureIsAnErrorNamingItsPath() {
    Report report = new Report("r").image("a", "figs/a.png");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report.renderHtml(NO_IMAGES));
    assertTrue(e.getMessage().contains("'figs/a.png'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> report.renderHtml(p -> "GIF89a...".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(e.getMessage().contains("'figs/a.png'") && e.getMessage().contains("0x474946"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> report.renderHtml(p -> new byte[0]));
    assertTrue(e.getMessage().contains("no bytes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> report.renderHtml(null));
    assertTrue(e.getMessage().contains("images"), e.getMessage());
  }

  @Test
  void barsTableHasOneRowPerMetricMarkedPassOrFail() {
    Document doc = parse(everything().renderHtml(figures()::get));
    assertEquals(List.of("metric", "value", "bar", "result"), texts(doc, "//table[@id='bars']/thead/tr/th"));
    assertEquals(List.of("pass", "fail", "pass"), texts(doc, "//table[@id='bars']/tbody/tr/@class"));
    assertEquals(List.of("|rho(macrostate, energy)|", "0.9953", ">= 0.99", "pass"),
        texts(doc, "//table[@id='bars']/tbody/tr[1]/td"));
    assertEquals(List.of("std(r)/mean(r)", "0.1234", "<= 0.1", "FAIL"),
        texts(doc, "//table[@id='bars']/tbody/tr[2]/td"));
    assertEquals(List.of("FAIL"), texts(doc, "//table[@id='bars']/tbody/tr[2]/td[4]/strong"));
    assertEquals(List.of("1.200e-05", "<= 0.0008"),
        texts(doc, "//table[@id='bars']/tbody/tr[3]/td[position() > 1 and position() < 4]"));
    assertEquals(List.of("num"), texts(doc, "//table[@id='bars']/tbody/tr[3]/td[2]/@class"), "values right-aligned");
  }

  @Test
  void onlyTheFirstMetricsTableIsNamedBars() {
    Document doc = parse(everything().renderHtml(figures()::get));
    assertEquals(1, nodes(doc, "//*[@id='bars']").getLength());
    assertEquals(List.of("sortable bars", "sortable bars"), texts(doc, "//table[contains(@class, 'bars')]/@class"));
    assertEquals(List.of("fail"), texts(doc, "//table[not(@id)][contains(@class, 'bars')]/tbody/tr/@class"));
    assertEquals(List.of("R^2", "0.5", ">= 0.9", "FAIL"),
        texts(doc, "//table[not(@id)][contains(@class, 'bars')]/tbody/tr/td"));
  }

  @Test
  void verdictBadgeSaysWhetherEveryBarIsMet() {
    Document failing = parse(everything().renderHtml(figures()::get));
    assertEquals(List.of("FAIL Bars met: 2 of 4."), texts(failing, "//p[@id='verdict']"));
    assertEquals(List.of("badge fail"), texts(failing, "//p[@id='verdict']/span/@class"));
    Document passing = parse(new Report("r").metrics(List.of(Metric.atLeast("a", 1, 0.5))).renderHtml(NO_IMAGES));
    assertEquals(List.of("PASS Bars met: 1 of 1."), texts(passing, "//p[@id='verdict']"));
    assertEquals(List.of("badge pass"), texts(passing, "//p[@id='verdict']/span/@class"));
    assertEquals(List.of("Bars met: 1 of 1."), texts(passing, "//p[@id='verdict']/strong"));
    Document none = parse(new Report("r").paragraph("no bars").renderHtml(NO_IMAGES));
    assertEquals(0, nodes(none, "//*[@id='verdict']").getLength(), "no verdict without metrics");
  }

  @Test
  void textIsEscapedNotInterpreted() {
    String html = new Report("<b>title</b>")
        .paragraph("<script>alert('x')</script> & \"quoted\"")
        .table("k", "v", Map.of("<img src=x onerror=alert(1)>", "</td></tr>"))
        .image("<alt \"x\">", "a.png")
        .renderHtml(p -> image("png", 1, 1, Color.BLACK));
    Document doc = parse(html);
    assertFalse(html.contains("<script>alert"), html);
    assertFalse(html.contains("<img src=x"), html);
    assertTrue(html.contains("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;</p>"), html);
    assertEquals(List.of("<script>alert('x')</script> & \"quoted\""), texts(doc, "//main/p"));
    assertEquals(List.of("<img src=x onerror=alert(1)>", "</td></tr>"), texts(doc, "//tbody/tr/td"));
    assertEquals(List.of("<alt \"x\">"), texts(doc, "//img/@alt"));
    assertEquals(List.of("<b>title</b>"), texts(doc, "//title"));
    assertEquals(1, nodes(doc, "//script").getLength());
  }

  @Test
  void inlineMarkdownBecomesHtml() {
    Document doc = parse(new Report("Sweep")
        .paragraph("**Bars met: 3 of 4.** See `analyze` and *italic* text.\n\nA second paragraph.")
        .table(List.of("run", "result"), List.of(
            List.of("[ising-16](runs/ising-16/report/index.html)", "**FAIL**"),
            List.of("a\\|b", "pass")))
        .renderHtml(NO_IMAGES));
    assertEquals(List.of("Bars met: 3 of 4."), texts(doc, "//main/p[1]/strong"));
    assertEquals(List.of("analyze"), texts(doc, "//main/p[1]/code"));
    assertEquals(List.of("italic"), texts(doc, "//main/p[1]/em"));
    assertEquals(List.of("A second paragraph."), texts(doc, "//main/p[2]"), "a blank line starts a paragraph");
    assertEquals(List.of("runs/ising-16/report/index.html"), texts(doc, "//td/a/@href"), "the link stays relative");
    assertEquals(List.of("ising-16"), texts(doc, "//td/a"));
    assertEquals(List.of("FAIL"), texts(doc, "//td/strong"));
    assertEquals(List.of("a|b"), texts(doc, "//tbody/tr[2]/td[1]"), "a Markdown cell escape is the character");
  }

  @Test
  void everyTableIsSortableWithItsCellsInOrder() {
    Document doc = parse(everything().renderHtml(figures()::get));
    NodeList tables = nodes(doc, "//table");
    assertEquals(4, tables.getLength());
    assertEquals(4, nodes(doc, "//table[contains(concat(' ', @class, ' '), ' sortable ')]").getLength());
    assertEquals(List.of("key", "value"), texts(doc, "(//table)[2]/thead/tr/th"));
    assertEquals(List.of("system", "oscillator", "learning rate", "0.001", "samples", "100000"),
        texts(doc, "(//table)[2]/tbody/tr/td"));
    assertEquals(List.of("example", "sense", "fraction"), texts(doc, "(//table)[3]/thead/tr/th"));
    assertEquals(List.of("3", "clockwise", "0.948", "4", "a|b", "1"), texts(doc, "(//table)[3]/tbody/tr/td"));
    for (int t = 1; t <= 4; t++) {
      assertEquals(0, nodes(doc, "(//table)[" + t + "]/tbody/tr[count(td) != count(../../thead/tr/th)]").getLength(),
          "table " + t + ": one cell per header");
    }
  }

  @Test
  void headingsHaveUniqueAnchorsAndLevelTwoOnesAreListedInTheContents() {
    Document doc = parse(new Report("r")
        .heading("Bars").metrics(List.of(Metric.atLeast("a", 1, 0.5)))
        .heading("Held-out loss (nats)")
        .heading(3, "D\u00e9tails")
        .heading("Held-out loss (nats)")
        .heading("***")
        .renderHtml(NO_IMAGES));
    assertEquals(List.of("bars-2", "held-out-loss-nats", "held-out-loss-nats-2", "section"), texts(doc, "//h2/@id"));
    assertEquals(List.of("details"), texts(doc, "//h3/@id"));
    assertEquals(List.of("#bars-2", "#held-out-loss-nats", "#held-out-loss-nats-2", "#section"),
        texts(doc, "//nav[@id='toc']//a/@href"));
    assertEquals(List.of("Bars", "Held-out loss (nats)", "Held-out loss (nats)", "***"),
        texts(doc, "//nav[@id='toc']//a"));
    Set<String> ids = new HashSet<>();
    NodeList all = nodes(doc, "//@id");
    for (int i = 0; i < all.getLength(); i++) {
      assertTrue(ids.add(all.item(i).getNodeValue()), "id used twice: " + all.item(i).getNodeValue());
    }
    // the contents come before the first heading
    assertEquals(1, nodes(doc, "//nav[@id='toc']/following::h2[@id='bars-2']").getLength());
    assertEquals(0, nodes(parse(new Report("r").heading(3, "minor").renderHtml(NO_IMAGES)), "//nav").getLength(),
        "no contents without level-2 headings");
  }

  @Test
  void newBlocksRenderInBothForms() {
    Report report = new Report("r")
        .preformatted("{\r\n  \"a\": \"<b>\"\r\n}\n\n")
        .details("Configuration", "x = `1`\n```\ny = 2")
        .imageWithCaption("Loss", "loss.png", "Loss against *step*.");
    String expected = """
        # r

        ```
        {
          "a": "<b>"
        }
        ```

        Configuration

        ````
        x = `1`
        ```
        y = 2
        ````

        ![Loss](loss.png)
        *Loss against *step*.*
        """;
    assertEquals(expected, report.render());
    Document doc = parse(report.renderHtml(p -> image("png", 2, 2, Color.GREEN)));
    assertEquals(List.of("{\n  \"a\": \"<b>\"\n}"), texts(doc, "/html/body/main/pre"));
    assertEquals(List.of("Configuration"), texts(doc, "//details/summary"));
    assertEquals(List.of("x = `1`\n```\ny = 2"), texts(doc, "//details/pre"));
    assertEquals(List.of("Loss against step."), texts(doc, "//figcaption"));
  }

  @Test
  void newBlocksRefuseBadArguments() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Report("r").preformatted(null));
    assertTrue(e.getMessage().contains("preformatted text"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").details(" \n", "x"));
    assertTrue(e.getMessage().contains("summary") && e.getMessage().contains("found"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").details("s", null));
    assertTrue(e.getMessage().contains("details text"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").imageWithCaption("a", "a.png", ""));
    assertTrue(e.getMessage().contains("caption"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").imageWithCaption("a", " ", "c"));
    assertTrue(e.getMessage().contains("path"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").table(List.of("a"), null));
    assertTrue(e.getMessage().contains("rows"), e.getMessage());
    List<Metric> withNull = new ArrayList<>();
    withNull.add(Metric.atLeast("a", 1, 0));
    withNull.add(null);
    Report report = new Report("r");
    e = assertThrows(IllegalArgumentException.class, () -> report.metrics(withNull));
    assertTrue(e.getMessage().contains("metrics[1]"), e.getMessage());
    assertEquals("# r\n", report.render(), "a refused metrics table adds nothing");
  }

  @Test
  void renderingTheHtmlLeavesTheMarkdownAsItWas() {
    Report report = everything();
    String before = report.render();
    String html = report.renderHtml(figures()::get);
    assertEquals(before, report.render());
    assertEquals(html, report.renderHtml(figures()::get), "the same page twice");
    assertTrue(before.startsWith("# Oscillator <run 7>\n\n**Bars met: 2 of 4.**\n\n"), before);
    assertTrue(before.contains("| metric | value | bar | result |\n|---|---:|---|---|\n"), before);
    assertTrue(before.contains("![Loss](<figs/loss curve.jpg>)\n*Training loss against *step*.*\n"), before);
  }

  @Test
  void imagesInReadsFilesBesideTheReport(@TempDir Path dir) throws IOException {
    byte[] png = image("png", 3, 2, Color.ORANGE);
    Files.createDirectories(dir.resolve("figs"));
    Files.write(dir.resolve("figs/a.png"), png);
    Function<String, byte[]> images = Report.imagesIn(dir);
    assertArrayEquals(png, images.apply("figs/a.png"));
    assertNull(images.apply("figs/missing.png"));
    assertNull(images.apply("figs"), "a directory is no image");
    String html = new Report("r").image("a", "figs/a.png").renderHtml(images);
    assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Report("r").image("b", "figs/b.png").renderHtml(images));
    assertTrue(e.getMessage().contains("figs/b.png"), e.getMessage());
  }

  /**
   * Writes {@code target/report-sample/index.html} (and its {@code report.md}): a page with a
   * training-curve figure, two tables and two metrics tables, one bar failing, for a look in a
   * browser and for browser tests that load it.
   */
  @Test
  void writesASamplePage() throws IOException {
    double[] step = new double[100];
    double[] total = new double[100];
    double[] kl = new double[100];
    for (int i = 0; i < step.length; i++) {
      step[i] = 10 * i;
      total[i] = 1.5 * Math.exp(-i / 30.0) + 0.2;
      kl[i] = 0.4 * Math.exp(-i / 10.0) + 0.05;
    }
    ByteArrayOutputStream curve = new ByteArrayOutputStream();
    List<Series> terms = List.of(new Series("total", step, total), new Series("kl", step, kl));
    Figures.lines("Training loss", "step", "loss", terms, curve);
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("system", "oscillator");
    config.put("learning rate", 1e-3);
    config.put("batch size", 256);
    config.put("steps", 1000);
    Report report = new Report("MacroNet run: oscillator")
        .paragraph("Held-out rows: 2000. Code version `0.1.0`; see the [sweep index](../../index.html).")
        .heading("Bars")
        .metrics(List.of(
            Metric.atLeast("|Spearman rho(macrostate, energy)|", 0.99531, 0.99),
            Metric.atMost("std(r)/mean(r)", 0.12344, 0.1),
            Metric.atMost("relative MSE", 1.2e-5, 8e-4),
            Metric.atLeast("R^2 on macro_u", Double.NaN, 0.9)))
        .heading("Figures")
        .imageWithCaption("Training loss", "training_loss.png", "Loss terms against training step.")
        .heading("Training configuration")
        .table("key", "value", config)
        .heading("Designs per example")
        .table(List.of("example", "sense", "turning angle (rad)", "fraction"), List.of(
            List.of(3, "clockwise", -0.25, 0.948),
            List.of(4, "anticlockwise", 0.31, 1.0),
            List.of(10, "clockwise", -1.5e-5, 0.5),
            List.of(12, "*mixed*", 2.0, Double.NaN)))
        .heading("Closure")
        .metrics(List.of(Metric.atLeast("closure R^2", 0.97, 0.9)))
        .details("Whole configuration (JSON)", "{\n  \"system\": \"oscillator\",\n  \"steps\": 1000\n}");
    Map<String, byte[]> files = Map.of("training_loss.png", curve.toByteArray());
    String html = report.renderHtml(files::get);
    Path dir = Path.of("target", "report-sample");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.md"), report.render(), StandardCharsets.UTF_8);

    Document doc = parse(Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8));
    assertEquals(List.of("pass", "fail", "pass", "fail"), texts(doc, "//table[@id='bars']/tbody/tr/@class"));
    assertEquals(4, nodes(doc, "//table[contains(@class, 'sortable')]").getLength());
    String src = texts(doc, "//figure/img/@src").get(0);
    assertArrayEquals(curve.toByteArray(), Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1)));
    assertEquals(List.of("#bars-2", "#figures", "#training-configuration", "#designs-per-example", "#closure"),
        texts(doc, "//nav[@id='toc']//a/@href"));
  }
}
