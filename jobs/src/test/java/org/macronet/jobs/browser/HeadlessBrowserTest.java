package org.macronet.jobs.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser harness detects what it is there to detect: each fixture page is written to a
 * temporary directory and opened in the real Chromium, which must be installed
 * ({@code .ci/install-deps}); without it these tests fail, they do not skip.
 */
@Timeout(60)
class HeadlessBrowserTest {
  private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);
  /** The figure's colour, looked for in the screenshot. */
  private static final int FIGURE_RGB = 0xC81E28;

  private static HeadlessBrowser browser;

  @TempDir
  Path dir;

  @BeforeAll
  @Timeout(90)
  static void startBrowser() throws IOException {
    browser = HeadlessBrowser.start();
  }

  @AfterAll
  @Timeout(60)
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void cleanPageHasNoErrorsDecodesItsFigureAndScreenshots() throws Exception {
    // Given a page with a 24 x 16 PNG inlined as a data URI and a table of three rows
    String rows = "<tr><td>sho</td><td>0.012</td></tr><tr><td>lds</td><td>0.034</td></tr>"
        + "<tr><td>ising</td><td>0.0008</td></tr>";
    Path html = fixture("clean.html", "<h1>Report</h1><img id=\"figure\" alt=\"figure\" src=\""
        + pngDataUri(24, 16, FIGURE_RGB) + "\"><table><thead><tr><th>system</th><th>mse</th></tr></thead><tbody>"
        + rows + "</tbody></table>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      // Then nothing is reported and the figure decodes at its size
      assertEquals(List.of(), page.consoleErrors());
      assertEquals(0, page.brokenImages());
      assertEquals(24, page.evaluate("document.getElementById('figure').naturalWidth").asInt());
      assertEquals(3, page.evaluate("document.querySelectorAll('tbody tr').length").asInt());

      // And the screenshot, kept as a build artifact, is a PNG that shows the figure
      Path png = Path.of("target", "browser-artifacts", "clean-page.png");
      Files.deleteIfExists(png);
      page.screenshot(png);
      BufferedImage shot = ImageIO.read(png.toFile());
      assertNotNull(shot, "not a PNG: " + png.toAbsolutePath());
      assertEquals(1280, shot.getWidth());
      assertTrue(shot.getHeight() > 0);
      assertTrue(pixelsOf(shot, FIGURE_RGB) >= 24 * 16,
          "the figure's " + 24 * 16 + " pixels are not in the screenshot; found " + pixelsOf(shot, FIGURE_RGB));
    }
  }

  @Test
  void consoleErrorIsReportedWithItsText() throws Exception {
    Path html = fixture("console.html", "<p>text</p><script>console.log('fine'); console.error('x', 42);</script>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      assertEquals(List.of("console.error: x 42"), page.consoleErrors());
    }
  }

  @Test
  void uncaughtExceptionIsReportedWithItsMessage() throws Exception {
    Path html = fixture("throws.html", "<p>text</p><script>function sortTable() { throw new Error('no column 7'); }"
        + " sortTable();</script>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      List<String> errors = page.consoleErrors();
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).startsWith("Uncaught Error: no column 7"), errors.get(0));
      assertTrue(errors.get(0).contains("sortTable"), "the stack is missing: " + errors.get(0));
    }
  }

  @Test
  void corruptDataUriImageIsBroken() throws Exception {
    Path html = fixture("corrupt.html", "<img alt=\"good\" src=\"" + pngDataUri(4, 4, FIGURE_RGB) + "\">"
        + "<img alt=\"corrupt\" src=\"data:image/png;base64,AAAA\">");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      assertEquals(1, page.brokenImages());
    }
  }

  @Test
  void missingImageFileIsBrokenAndLogged() throws Exception {
    Path html = fixture("missing.html", "<img alt=\"missing\" src=\"nope.png\">");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      assertEquals(1, page.brokenImages());
      List<String> errors = page.consoleErrors();
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains("Failed to load resource") && errors.get(0).endsWith("/nope.png)"),
          errors.get(0));
    }
  }

  @Test
  void clickRunsTheHandler() throws Exception {
    Path html = fixture("click.html", "<button id=\"sort\">sort</button><p id=\"state\">unsorted</p><script>"
        + "document.getElementById('sort').addEventListener('click', () => {"
        + " document.getElementById('state').textContent = 'sorted'; });</script>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      assertEquals("unsorted", page.evaluate("document.getElementById('state').textContent").asText());
      page.click("#sort");
      assertEquals("sorted", page.evaluate("document.getElementById('state').textContent").asText());
      assertEquals(List.of(), page.consoleErrors());

      AssertionError missing = assertThrows(AssertionError.class, () -> page.click("#absent"));
      assertTrue(missing.getMessage().contains("no element matches #absent"), missing.getMessage());
    }
  }

  @Test
  void scriptExceptionFailsEvaluate() throws Exception {
    Path html = fixture("plain.html", "<p>text</p>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      AssertionError e = assertThrows(AssertionError.class, () -> page.evaluate("missingFunction()"));
      assertTrue(e.getMessage().contains("missingFunction is not defined"), e.getMessage());
      assertEquals(7, page.evaluate("Promise.resolve(3).then(x => x + 4)").asInt());
    }
  }

  @Test
  void screenshotOfATallPageIsWhole() throws Exception {
    // Given a page 2400 pixels tall, three times the window, of noise: a PNG of several megabytes,
    // which arrives in many WebSocket fragments
    Path html = fixture("tall.html", "<canvas id=\"noise\" width=\"1200\" height=\"2400\"></canvas><script>"
        + "const c = document.getElementById('noise').getContext('2d'); const img = c.createImageData(1200, 2400);"
        + " for (let i = 0; i < img.data.length; i += 65536) crypto.getRandomValues(img.data.subarray(i, i + 65536));"
        + " for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;"
        + " c.putImageData(img, 0, 0);</script>");

    try (BrowserPage page = browser.open(html, PAGE_TIMEOUT)) {
      Path png = dir.resolve("tall.png");
      page.screenshot(png);

      BufferedImage shot = ImageIO.read(png.toFile());
      assertNotNull(shot);
      assertTrue(shot.getHeight() >= 2400, "only " + shot.getHeight() + " pixels tall");
      assertTrue(Files.size(png) > 5_000_000, "only " + Files.size(png) + " bytes");
    }
  }

  @Test
  void closeEndsEveryProcessAndDeletesTheProfile() throws Exception {
    Path html = fixture("plain.html", "<p>text</p>");
    HeadlessBrowser own = HeadlessBrowser.start();
    Path home = own.home();
    try {
      BrowserPage page = own.open(html, PAGE_TIMEOUT);
      assertEquals("text", page.evaluate("document.body.textContent").asText());
      assertTrue(processesNaming(home) > 1, "the browser's processes are not found by its directory");
    } finally {
      own.close();
    }

    assertEquals(0, processesNaming(home), "processes left behind");
    assertFalse(Files.exists(home), home + " left behind");
  }

  @Test
  void missingChromiumNamesTheInstallScript() {
    for (String executable : List.of("/nonexistent/chromium", "no-such-chromium")) {
      IOException e = assertThrows(IOException.class, () -> HeadlessBrowser.start(executable, PAGE_TIMEOUT));
      assertTrue(e.getMessage().contains(".ci/install-deps"), e.getMessage());
    }
  }

  private Path fixture(String name, String body) throws IOException {
    return Files.writeString(dir.resolve(name),
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + name + "</title></head><body>" + body
            + "</body></html>");
  }

  private static String pngDataUri(int width, int height, int rgb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
  }

  private static int pixelsOf(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        n += (image.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
      }
    }
    return n;
  }

  private static long processesNaming(Path home) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(p -> p.info().commandLine().map(c -> c.contains(home.toString())).orElse(false)).count();
    }
  }
}
