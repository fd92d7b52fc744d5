package org.macronet.analysis.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineFigureTest {


  /** A loss term {@code scale * exp(-step / tau) + floor} at steps 0, 10, .., 10 (n - 1). */
  private static Series decay(String name, int n, double scale, double tau, double floor) {
    double[] step = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      step[i] = 10.0 * i;
      loss[i] = scale * Math.exp(-step[i] / tau) + floor;
    }
    return new Series(name, step, loss);
  }

  private static byte[] png(String name, List<Series> series) throws IOException {
    return FiguresTest.png(name, out -> Figures.lines("Training loss", "step", "loss", series, out));
  }

  private static BufferedImage decode(byte[] png) throws IOException {
    return FiguresTest.decode(png);
  }

  /** Pixels within 12 of the colour in each channel (anti-aliased lines blend into white at their edges). */
  private static int pixels(BufferedImage image, Color colour) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        if (Math.abs((rgb >> 16 & 0xff) - colour.getRed()) <= 12
            && Math.abs((rgb >> 8 & 0xff) - colour.getGreen()) <= 12
            && Math.abs((rgb & 0xff) - colour.getBlue()) <= 12) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void eachSeriesIsALineInItsOwnPaletteColour() throws IOException {
    // Given two loss terms over 200 steps
    Series total = decay("total", 200, 2.0, 300, 0.1);
    Series kl = decay("kl", 200, 0.5, 100, 0.05);
    // when drawn alone and together,
    BufferedImage one = decode(png("lines-one", List.of(total)));
    BufferedImage two = decode(png("lines", List.of(total, kl)));
    // then the first is drawn in the palette's blue, the second in its orange, which is absent without it.
    Color blue = Charts.PALETTE[0];
    Color orange = Charts.PALETTE[1];
    assertTrue(pixels(one, blue) > 300, "first line drawn in blue, found " + pixels(one, blue) + " pixels");
    assertEquals(0, pixels(one, orange), "no orange without the second series");
    assertTrue(pixels(two, orange) > 300, "second line drawn in orange, found " + pixels(two, orange) + " pixels");
    // A line, not markers: the blue is a thin curve, far fewer pixels than a column of markers would paint.
    assertTrue(pixels(one, blue) < 8_000, "thin line, found " + pixels(one, blue) + " blue pixels");
  }

  @Test
  void theSameInputGivesTheSameBytes() throws IOException {
    List<Series> series = List.of(decay("total", 50, 1, 100, 0), decay("nll", 50, 0.7, 50, 0.2));
    assertArrayEquals(png("lines-again", series), png("lines-again", series));
  }

  @Test
  void aFlatCurveAndASinglePointAreDrawn() throws IOException {
    // a term that stays at zero and one evaluated once
    Series flat = new Series("zero", new double[] {0, 10, 20}, new double[] {0, 0, 0});
    Series once = new Series("held-out", new double[] {10}, new double[] {0.5});
    BufferedImage image = decode(png("lines-flat", List.of(flat, once)));
    assertTrue(pixels(image, Charts.PALETTE[0]) > 50, "the flat line is drawn");
    assertTrue(pixels(image, Charts.PALETTE[1]) > 10, "the single point is marked");
    // alone, each leaves an axis with an empty range
    assertTrue(pixels(decode(png("lines-flat-alone", List.of(flat))), Charts.PALETTE[0]) > 50);
    assertTrue(pixels(decode(png("lines-point-alone", List.of(once))), Charts.PALETTE[0]) > 10);
  }

  @Test
  void badArgumentsAreRejectedBeforeAnythingIsWritten() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Series> ok = List.of(decay("total", 3, 1, 1, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Figures.lines("t", "step", "loss", List.of(), out));
    assertTrue(e.getMessage().contains("series") && e.getMessage().contains("none"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.lines("t", "step", "loss", null, out));
    assertTrue(e.getMessage().contains("found null"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Figures.lines("t", "step", "loss", Arrays.asList(ok.get(0), null), out));
    assertTrue(e.getMessage().contains("series[1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.lines(null, "step", "loss", ok, out));
    assertTrue(e.getMessage().contains("title"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.lines("t", "step", null, ok, out));
    assertTrue(e.getMessage().contains("yLabel"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Figures.lines("t", "step", "loss", ok, null));
    assertTrue(e.getMessage().contains("out"), e.getMessage());
    assertEquals(0, out.size(), "nothing is written on rejected input");
  }
}
