package org.macronet.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FiguresTest {

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** Points on circles of radius r = 1, 2, 3 in (x, p), as samples at three fixed macrostates. */
  private static List<Series> circles() {
    List<Series> series = new ArrayList<>();
    for (int r = 1; r <= 3; r++) {
      double[] x = new double[60];
      double[] p = new double[60];
      for (int i = 0; i < x.length; i++) {
        double angle = 2 * Math.PI * i / x.length;
        x[i] = r * Math.cos(angle);
        p[i] = r * Math.sin(angle);
      }
      series.add(new Series("macrostate " + r, x, p));
    }
    return series;
  }

  /** The energy H = (x^2 + p^2) / 2 on a 41 x 41 grid over [-4, 4]^2. */
  private static GridField energy() {
    double[][] values = new double[41][41];
    for (int i = 0; i < 41; i++) {
      for (int j = 0; j < 41; j++) {
        double x = -4 + 8.0 * j / 40;
        double p = -4 + 8.0 * i / 40;
        values[i][j] = 0.5 * (x * x + p * p);
      }
    }
    return new GridField("energy", values, -4, 4, -4, 4);
  }

  /** Eight steps of x_{t+1} = x_t + M x_t / 8 from (1, 0), packed x_1, y_1, .., x_8, y_8. */
  private static float[] spiral(double m11, double m12, double m21, double m22) {
    float[] traj = new float[16];
    double x = 1;
    double y = 0;
    for (int t = 0; t < 8; t++) {
      double nx = x + (m11 * x + m12 * y) / 8;
      double ny = y + (m21 * x + m22 * y) / 8;
      x = nx;
      y = ny;
      traj[2 * t] = (float) x;
      traj[2 * t + 1] = (float) y;
    }
    return traj;
  }

  /** Draws a figure, keeps it in target/test-figures for a look by eye, and returns its bytes. */
  static byte[] png(String name, Drawing drawing) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    drawing.draw(out);
    byte[] bytes = out.toByteArray();
    // kept beside the build for a look by eye
    Path dir = Path.of("target", "test-figures");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".png"), bytes);
    return bytes;
  }

  /** The PNG decoded, checked to be one of the figures' size. */
  static BufferedImage decode(byte[] png) throws IOException {
    assertArrayEquals(PNG_MAGIC, java.util.Arrays.copyOf(png, 8), "PNG signature");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "ImageIO decodes the PNG");
    assertEquals(Figures.WIDTH, image.getWidth());
    assertEquals(Figures.HEIGHT, image.getHeight());
    return image;
  }

  private static double luminanceVariance(BufferedImage image) {
    double sum = 0;
    double sumSq = 0;
    int n = image.getWidth() * image.getHeight();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        double l = luminance(image.getRGB(x, y));
        sum += l;
        sumSq += l * l;
      }
    }
    double mean = sum / n;
    return sumSq / n - mean * mean;
  }

  private static double luminance(int rgb) {
    return 0.299 * (rgb >> 16 & 0xff) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
  }

  /** Fraction of the pixels in columns [0, width) that are not white. */
  private static double inkFraction(BufferedImage image, int width) {
    int ink = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < width; x++) {
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
          ink++;
        }
      }
    }
    return ink / (double) (width * image.getHeight());
  }

  private static int redPixels(BufferedImage image) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if ((rgb >> 16 & 0xff) > 180 && (rgb >> 8 & 0xff) < 80 && (rgb & 0xff) < 80) {
          count++;
        }
      }
    }
    return count;
  }

  @FunctionalInterface
  interface Drawing {
    void draw(ByteArrayOutputStream out) throws IOException;
  }

  @Test
  void scatterIsAFixedSizePngWithSomethingDrawn() throws IOException {
    double[] energy = {0.1, 0.5, 1.0, 2.0, 4.5};
    double[] macro = {-1.2, -0.4, 0.1, 0.7, 1.5};
    byte[] bytes = png("scatter", out -> Figures.scatter("Macrostate against energy", "energy H", "macrostate",
        List.of(new Series("held-out", energy, macro)), out));
    BufferedImage image = decode(bytes);
    assertTrue(luminanceVariance(image) > 100, "not a blank image: variance " + luminanceVariance(image));
    assertTrue(GraphicsEnvironment.isHeadless(), "figures render headless");
  }

  @Test
  void marksAreDrawnInTheirSeriesColourAndMustMatchTheSeries() throws IOException {
    List<Series> series = List.of(new Series("a", new double[] {0, 1}, new double[] {0, 1}),
        new Series("b", new double[] {2, 3}, new double[] {2, 3}));
    int markColour = new Color(0xff7f0e).darker().getRGB() & 0xffffff;
    BufferedImage plain = decode(png("marks-none", out -> Figures.scatter("t", "x", "y", series, out)));
    BufferedImage marked = decode(png("marks", out -> Figures.scatter("t", "x", "y", series,
        java.util.Arrays.asList(null, new Series("b own", new double[] {1.5}, new double[] {1.5})), out)));
    assertEquals(0, count(plain, markColour), "no mark colour without marks");
    assertTrue(count(marked, markColour) > 50, "the second series' mark, in its darker colour");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Figures.scatter("t", "x", "y", series, List.of(series.get(0)), new ByteArrayOutputStream()));
    assertEquals("marks must hold one entry (or null) per series: 2 series, 1 marks", e.getMessage());
  }

  private static int count(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void sameInputGivesTheSameBytes() throws IOException {
    byte[] a = png("circles", out -> Figures.scatter("Samples", "x", "p", circles(), out));
    byte[] b = png("circles", out -> Figures.scatter("Samples", "x", "p", circles(), out));
    assertArrayEquals(a, b);
  }

  @Test
  void fieldFillsThePlotUnderTheSamplesWithAColourBar() throws IOException {
    BufferedImage plain = decode(png("circles", out -> Figures.scatter("Samples", "x", "p", circles(), out)));
    BufferedImage over = decode(png("field-fills",
        out -> Figures.scatterOverField("Samples at fixed macrostates", "x", "p", energy(), circles(), false, out)));
    assertTrue(inkFraction(plain, 690) < 0.3, "a plain scatter is mostly white, found " + inkFraction(plain, 690));
    assertTrue(inkFraction(over, 690) > 0.5, "the field covers the plot, found " + inkFraction(over, 690));
    // the colour bar runs from the field's minimum (dark, bottom) to its maximum (light, top)
    int column = Figures.WIDTH - 110 + 10 + 9;
    int first = -1;
    int last = -1;
    for (int y = 0; y < Figures.HEIGHT; y++) {
      if ((over.getRGB(column, y) & 0xffffff) != 0xffffff) {
        last = y;
        if (first < 0) {
          first = y;
        }
      }
    }
    assertTrue(last - first > 300, "a tall colour bar, found rows " + first + ".." + last);
    assertTrue(luminance(over.getRGB(column, first + 3)) > luminance(over.getRGB(column, last - 3)) + 50,
        "yellow at the top, violet at the bottom");
  }

  @Test
  void anExtremeCornerDoesNotFlattenTheFieldIntoOneColour() throws IOException {
    // Given the energy field with one corner cell far above the rest (56.9 against at most 16),
    GridField calm = energy();
    double[][] values = new double[41][];
    for (int i = 0; i < 41; i++) {
      values[i] = calm.values()[i].clone();
    }
    values[40][40] = 900;
    GridField spiked = new GridField("macrostate", values, -4, 4, -4, 4);
    BufferedImage a = decode(png("field-calm", out -> Figures.scatterOverField("Calm", "x", "p", calm, circles(), false,
        out)));
    BufferedImage b = decode(png("field-spiked", out -> Figures.scatterOverField("Spiked", "x", "p", spiked, circles(),
        false, out)));
    // then the plot keeps as many distinct colours as without the spike (a min-max scale would
    // paint nearly all of it in the first few colours of the map).
    int calmColours = fieldColours(a);
    int spikedColours = fieldColours(b);
    assertTrue(calmColours > 100, "calm field colours: " + calmColours);
    assertTrue(spikedColours > calmColours / 2, "spiked field colours: " + spikedColours + " against " + calmColours);
  }

  /** Distinct colours in the plot area left of the colour bar. */
  private static int fieldColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 100; y < Figures.HEIGHT - 150; y++) {
      for (int x = 100; x < Figures.WIDTH - 200; x++) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return colours.size();
  }

  /** Width and height of the box around the red pixels above the legend. */
  private static int[] redExtent(BufferedImage image) {
    int x0 = Integer.MAX_VALUE;
    int x1 = -1;
    int y0 = Integer.MAX_VALUE;
    int y1 = -1;
    for (int y = 0; y < Figures.HEIGHT - 100; y++) {
      for (int x = 0; x < Figures.WIDTH - 110; x++) {
        int rgb = image.getRGB(x, y);
        if ((rgb >> 16 & 0xff) > 180 && (rgb >> 8 & 0xff) < 80 && (rgb & 0xff) < 80) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    return new int[] {x1 - x0, y1 - y0};
  }

  @Test
  void equalScaleDrawsCirclesAsCircles() throws IOException {
    BufferedImage equal = decode(png("circles-over-energy",
        out -> Figures.scatterOverField("Samples", "x", "p", energy(), circles(), true, out)));
    BufferedImage stretched = decode(png("circles-over-energy-stretched",
        out -> Figures.scatterOverField("Samples", "x", "p", energy(), circles(), false, out)));
    // the unit circle of macrostate 1 is drawn in red
    int[] round = redExtent(equal);
    int[] oval = redExtent(stretched);
    assertTrue(Math.abs(round[0] - round[1]) <= 3, "a circle, found " + round[0] + " x " + round[1]);
    assertTrue(oval[0] - oval[1] > 20, "the plot is wider than tall, found " + oval[0] + " x " + oval[1]);
    assertTrue(inkFraction(stretched, 690) > inkFraction(equal, 690), "the stretched field fills more");
  }

  @Test
  void exampleTrajectoryIsRed() throws IOException {
    List<float[]> sampled = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      double w = 1 + 0.1 * k;
      sampled.add(spiral(-0.2, -w, w, -0.2));
    }
    TrajectorySet samples = new TrajectorySet("sampled M", new Color(0x1f77b4), sampled, new double[] {1, 0});
    TrajectorySet example = TrajectorySet.example("example", spiral(-0.1, -1.5, 1.5, -0.1), new double[] {1, 0});
    BufferedImage without = decode(png("trajectories-no-example",
        out -> Figures.trajectories("Anticlockwise", List.of(samples), out)));
    BufferedImage with = decode(png("trajectories",
        out -> Figures.trajectories("Anticlockwise", List.of(samples, example), out)));
    assertTrue(luminanceVariance(without) > 100, "trajectories are drawn");
    assertEquals(0, redPixels(without), "no red without the example");
    assertTrue(redPixels(with) > 100, "the example is drawn in red, found " + redPixels(with) + " red pixels");
  }

  @Test
  void trajectoriesWithoutStartAreDrawn() throws IOException {
    TrajectorySet designed = new TrajectorySet("designed", Color.GRAY,
        List.of(spiral(0, -1, 1, 0), spiral(0, -2, 2, 0)));
    BufferedImage image = decode(png("designed", out -> Figures.trajectories("Designed", List.of(designed), out)));
    assertTrue(luminanceVariance(image) > 100);
  }

  @Test
  void emptyInputIsRejected() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Figures.scatter("t", "x", "y", List.of(), out));
    assertTrue(e.getMessage().contains("series"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Series("empty", new double[0], new double[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Series("s", new double[] {1, 2}, new double[] {1}));
    assertTrue(e.getMessage().contains("2 and 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Series("s", new double[] {1, Double.NaN}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("point 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Figures.trajectories("t", List.of(), out));
    assertThrows(IllegalArgumentException.class, () -> new TrajectorySet("t", Color.RED, List.of()));
    e = assertThrows(IllegalArgumentException.class,
        () -> new TrajectorySet("t", Color.RED, List.of(new float[] {1, 2, 3})));
    assertTrue(e.getMessage().contains("length 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new TrajectorySet("t", Color.RED, List.of(new float[] {1, 2}), new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> Figures.scatterOverField("t", "x", "y", null, circles(), false, out));
    assertEquals(0, out.size(), "nothing is written on rejected input");
  }

  @Test
  void gridFieldInterpolatesBilinearly() {
    GridField field = new GridField("f", new double[][] {{0, 1}, {2, 3}}, 0, 1, 0, 1);
    assertEquals(0, field.at(0, 0), 0);
    assertEquals(1, field.at(1, 0), 0);
    assertEquals(2, field.at(0, 1), 0);
    assertEquals(1.5, field.at(0.5, 0.5), 1e-15);
    assertEquals(1.75, field.at(0.25, 0.75), 1e-15); // rows 0.25 and 2.25, then 0.25 + 0.75 * 2
    assertEquals(0, field.at(-5, -5), 0);
    assertEquals(0, field.min(), 0);
    assertEquals(3, field.max(), 0);
  }

  @Test
  void badFieldsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new GridField("f", new double[][] {{0, 1}, {2}}, 0, 1, 0, 1));
    assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GridField("f", new double[][] {{0, 1}, {2, Double.NaN}}, 0, 1, 0, 1));
    assertTrue(e.getMessage().contains("values[1][1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new GridField("f", new double[][] {{0, 1}, {2, 3}}, 1, 0, 0, 1));
    assertTrue(e.getMessage().contains("[1.0, 0.0]"), e.getMessage());
  }

  @Test
  void colourMapRunsFromLightenedVioletToLightenedYellow() {
    // 0.65 * 0x44 + 0.35 * 255 = 133.45; 0.65 * 0x01 + 89.25 = 89.9; 0.65 * 0x54 + 89.25 = 143.85
    assertEquals(133 << 16 | 90 << 8 | 144, ColourMap.rgb(0));
    // 0.65 * 0xfd + 89.25 = 253.7; 0.65 * 0xe7 + 89.25 = 239.4; 0.65 * 0x25 + 89.25 = 113.3
    assertEquals(254 << 16 | 239 << 8 | 113, ColourMap.rgb(1));
    assertEquals(ColourMap.rgb(0), ColourMap.rgb(-3), "clamped below");
  }

  /** A size x size pattern whose b is a diagonal ramp from lo to hi; a = 1 - b. */
  private static float[] ramp(int size, float lo, float hi) {
    int n = size * size;
    float[] p = new float[2 * n];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float b = lo + (hi - lo) * (x + y) / (2f * (size - 1));
        p[n + y * size + x] = b;
        p[y * size + x] = 1 - b;
      }
    }
    return p;
  }

  private static float[] constant(int size, float b) {
    float[] p = new float[2 * size * size];
    java.util.Arrays.fill(p, size * size, p.length, b);
    return p;
  }

  private static List<PatternRow> twoRows() {
    return List.of(
        new PatternRow("target 0, median pct 4.0", List.of(ramp(16, 0, 0.4f), constant(16, 0), constant(16, 0.4f))),
        new PatternRow("target 1, median pct 12.5", List.of(ramp(16, 0.4f, 0), ramp(16, 0.1f, 0.3f))));
  }

  private static BufferedImage decodeAnySize(byte[] png) throws IOException {
    assertArrayEquals(PNG_MAGIC, java.util.Arrays.copyOf(png, 8), "PNG signature");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "ImageIO decodes the PNG");
    return image;
  }

  @Test
  void patternGridIsSizedByItsTilesAndDrawsBInViridis() throws IOException {
    byte[] bytes = png("pattern-grid", out -> Figures.patternGrid("Designs", twoRows(), 16, 0, 0.4, out));
    BufferedImage image = decodeAnySize(bytes);
    // cells of 128 / 16 = 8 pixels, tiles of 128: width 16 + 3 * 128 + 2 * 6 + 110 = 522,
    // height 16 + 34 + 2 * (128 + 18) + 10 + 16 = 368
    assertEquals(522, image.getWidth());
    assertEquals(368, image.getHeight());
    // the first row's tiles start at x = 16, 150, 284 and y = 16 + 34 + 18 = 68
    assertEquals(ColourMap.viridis(0), image.getRGB(150 + 60, 68 + 60) & 0xffffff, "b = min is dark violet");
    assertEquals(0x440154, ColourMap.viridis(0));
    assertEquals(ColourMap.viridis(1), image.getRGB(284 + 60, 68 + 60) & 0xffffff, "b = max is yellow");
    assertEquals(0xfde725, ColourMap.viridis(1));
    // the ramp's first cell (b = 0) is top left, its last (b = 0.4) bottom right
    assertEquals(ColourMap.viridis(0), image.getRGB(16 + 3, 68 + 3) & 0xffffff);
    assertEquals(ColourMap.viridis(1), image.getRGB(16 + 124, 68 + 124) & 0xffffff);
    assertTrue(redPixels(image) > 4 * 128, "the targets are framed in red, found " + redPixels(image));
  }

  @Test
  void patternGridOfSixRowsOfNineTilesOf64() throws IOException {
    List<PatternRow> rows = new ArrayList<>();
    for (int r = 0; r < 6; r++) {
      List<float[]> tiles = new ArrayList<>();
      for (int t = 0; t < 9; t++) {
        tiles.add(ramp(64, 0.05f * (t % 3), 0.4f - 0.03f * r));
      }
      rows.add(new PatternRow("target " + r, tiles));
    }
    BufferedImage image = decodeAnySize(png("pattern-grid-6x9",
        out -> Figures.patternGrid("Six targets, eight designs each", rows, 64, 0, 0.4, out)));
    assertEquals(1326, image.getWidth());
    assertEquals(992, image.getHeight());
  }

  @Test
  void patternGridWithoutLabelsIsShorterAndTheSameInputGivesTheSameBytes() throws IOException {
    List<PatternRow> rows = List.of(new PatternRow(null, List.of(ramp(8, 0, 1))));
    byte[] a = png("pattern-grid-unlabelled", out -> Figures.patternGrid("One", rows, 8, 0, 1, out));
    byte[] b = png("pattern-grid-unlabelled", out -> Figures.patternGrid("One", rows, 8, 0, 1, out));
    assertArrayEquals(a, b);
    BufferedImage image = decodeAnySize(a);
    assertEquals(16 + 34 + 128 + 16, image.getHeight(), "no label line");
    byte[] c = png("pattern-grid", out -> Figures.patternGrid("Designs", twoRows(), 16, 0, 0.4, out));
    byte[] d = png("pattern-grid", out -> Figures.patternGrid("Designs", twoRows(), 16, 0, 0.4, out));
    assertArrayEquals(c, d);
  }

  @Test
  void badPatternGridsAreRejected() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Figures.patternGrid("t", twoRows(), 8, 0, 0.4, out));
    assertTrue(e.getMessage().contains("rows[0] tile 0") && e.getMessage().contains("found 512"), e.getMessage());
    float[] nan = constant(4, 0.1f);
    nan[16 + 4 + 2] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class,
        () -> Figures.patternGrid("t", List.of(new PatternRow("x", List.of(constant(4, 0), nan))), 4, 0, 1, out));
    assertTrue(e.getMessage().contains("tile 1: b at row 1, column 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.patternGrid("t", twoRows(), 16, 0.4, 0.4, out));
    assertTrue(e.getMessage().contains("[0.4, 0.4]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.patternGrid("t", List.of(), 16, 0, 1, out));
    assertTrue(e.getMessage().contains("rows"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PatternRow("target 2", List.of()));
    assertTrue(e.getMessage().contains("target 2"), e.getMessage());
    List<float[]> many = java.util.Collections.nCopies(200, constant(1, 0));
    e = assertThrows(IllegalArgumentException.class,
        () -> Figures.patternGrid("t", List.of(new PatternRow(null, many)), 1, 0, 1, out));
    assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    assertEquals(0, out.size(), "nothing is written on rejected input");
  }

  @Test
  void barsAreAFixedSizePngWithOneBarPerLabel() throws IOException {
    List<String> labels = List.of("Da", "Db", "F", "k");
    double[] importance = {0.3, 0.5, 4.2, 3.1};
    byte[] a = png("importance", out -> Figures.bars("Parameter importance", "between / within", labels, importance, out));
    byte[] b = png("importance", out -> Figures.bars("Parameter importance", "between / within", labels, importance, out));
    assertArrayEquals(a, b);
    BufferedImage image = decode(a);
    // the tall bars (F, k) are blue columns in the right half; Da's is short
    int blue = 0;
    for (int y = 0; y < Figures.HEIGHT; y++) {
      for (int x = 0; x < Figures.WIDTH; x++) {
        if ((image.getRGB(x, y) & 0xffffff) == 0x1f77b4) {
          blue++;
        }
      }
    }
    assertTrue(blue > 20_000, "bars are drawn, found " + blue + " bar pixels");
  }

  @Test
  void badBarsAreRejected() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Figures.bars("t", "y", List.of("Da", "Db"), new double[] {1}, out));
    assertTrue(e.getMessage().contains("1 values for 2 labels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Figures.bars("t", "y", List.of("Da", "F"), new double[] {1, Double.POSITIVE_INFINITY}, out));
    assertTrue(e.getMessage().contains("'F'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Figures.bars("t", "y", List.of("F", "F"), new double[] {1, 2}, out));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Figures.bars("t", "y", List.of(), new double[0], out));
    assertEquals(0, out.size(), "nothing is written on rejected input");
  }
}
