package org.macronet.analysis.figure;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleToIntFunction;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What the figures share: XChart styling, palettes, bounds, rendering and PNG output, argument checks. */
final class Charts {

  private Charts() {}

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Loads this class, which sets {@code java.awt.headless=true} unless the property is set already. */
  static void headless() {}

  /** Matplotlib's tab10: distinguishable on white. */
  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
  };

  /** Strong colours that stand out on the lightened viridis background. */
  static final Color[] OVER_FIELD_PALETTE = {
    new Color(0xd62728), Color.BLACK, new Color(0xff7f0e), new Color(0x1f77b4), new Color(0xe377c2), Color.WHITE
  };

  /** Pixels at the right of a field figure for the colour bar, its ticks and its label. */
  static final int COLOUR_BAR_WIDTH = 110;

  static final Color TRANSPARENT = new Color(0, 0, 0, 0);

  /** A diamond twice the styler's marker size (XChart sizes markers per chart, not per series). */
  static final Marker LARGE_DIAMOND = new Marker() {
    @Override
    public void paint(Graphics2D g, double x, double y, int markerSize) {
      SeriesMarkers.DIAMOND.paint(g, x, y, 2 * markerSize);
    }
  };


  static XYChart newChart(int width, int height, String title, String xLabel, String yLabel) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.DARK_GRAY);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    styler.setMarkerSize(5);
    styler.setAntiAlias(true);
    styler.setLocale(Locale.ROOT);
    return chart;
  }
  static void addScatter(XYChart chart, List<Series> series, Color[] palette) {
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      // internal names are unique; the legend shows the caller's name, which need not be
      XYSeries added = chart.addSeries("series" + k, s.x(), s.y());
      added.setLabel(s.name());
      added.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      added.setMarker(SeriesMarkers.CIRCLE);
      added.setMarkerColor(palette[k % palette.length]);
    }
  }
  static void drawColourBar(Graphics2D g, String name, ColourRange range, int x0, int top, int bottom,
      DoubleToIntFunction colours) {
    double min = range.low();
    double max = range.high();
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    int barX = x0 + 10;
    int barWidth = 18;
    int height = Math.max(1, bottom - top);
    for (int y = top; y <= bottom; y++) {
      g.setColor(new Color(colours.applyAsInt((bottom - y) / (double) height)));
      g.fillRect(barX, y, barWidth, 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(barX, top, barWidth, bottom - top);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    for (int i = 0; i <= 4; i++) {
      double t = i / 4.0;
      int y = (int) Math.round(bottom - t * height);
      g.drawLine(barX + barWidth, y, barX + barWidth + 4, y);
      // an end with values beyond it (drawn in its colour) is marked as a bound
      String bound = i == 0 && range.min() < min ? "\u2264 " : i == 4 && range.max() > max ? "\u2265 " : "";
      g.drawString(bound + String.format(Locale.ROOT, "%.3g", min + t * (max - min)), barX + barWidth + 6,
          y + metrics.getAscent() / 2 - 1);
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    metrics = g.getFontMetrics();
    AffineTransform saved = g.getTransform();
    g.translate(x0 + COLOUR_BAR_WIDTH - 8, (top + bottom) / 2.0 + metrics.stringWidth(name) / 2.0);
    g.rotate(-Math.PI / 2);
    g.drawString(name, 0, 0);
    g.setTransform(saved);
  }
  static void include(double[] bounds, double[] xs, double[] ys) {
    for (int i = 0; i < xs.length; i++) {
      bounds[0] = Math.min(bounds[0], xs[i]);
      bounds[1] = Math.max(bounds[1], xs[i]);
      bounds[2] = Math.min(bounds[2], ys[i]);
      bounds[3] = Math.max(bounds[3], ys[i]);
    }
  }
  /** Pads the box by 5% of its larger side on every side (a unit box about a single point). */
  static void pad(double[] bounds) {
    double pad = 0.05 * Math.max(bounds[1] - bounds[0], bounds[3] - bounds[2]);
    if (pad == 0) {
      pad = 1;
    }
    bounds[0] -= pad;
    bounds[1] += pad;
    bounds[2] -= pad;
    bounds[3] += pad;
  }
  static void setRange(XYChart chart, double[] bounds) {
    chart.getStyler().setXAxisMin(bounds[0]);
    chart.getStyler().setXAxisMax(bounds[1]);
    chart.getStyler().setYAxisMin(bounds[2]);
    chart.getStyler().setYAxisMax(bounds[3]);
  }
  /** Stretches the interval {@code bounds[i], bounds[i + 1]} about its centre by {@code factor}. */
  static void widen(double[] bounds, int i, double factor) {
    double centre = 0.5 * (bounds[i] + bounds[i + 1]);
    double half = 0.5 * (bounds[i + 1] - bounds[i]) * factor;
    bounds[i] = centre - half;
    bounds[i + 1] = centre + half;
  }
  static BufferedImage render(Chart<?, ?> chart, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      chart.paint(g, width, height);
    } finally {
      g.dispose();
    }
    return image;
  }
  static void writePng(BufferedImage image, OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IOException("no PNG writer is available in this JVM");
    }
    ImageWriter writer = writers.next();
    // in memory: ImageIO's default file cache would write to the local temporary directory
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }
  static void checkTexts(String title, String xLabel, String yLabel) {
    if (title == null) {
      throw new IllegalArgumentException("title must not be null");
    }
    if (xLabel == null) {
      throw new IllegalArgumentException("xLabel must not be null");
    }
    if (yLabel == null) {
      throw new IllegalArgumentException("yLabel must not be null");
    }
  }
  static void checkSeries(List<Series> series) {
    if (series == null || series.isEmpty()) {
      throw new IllegalArgumentException("series must hold at least one series, found "
          + (series == null ? "null" : "none"));
    }
    for (int k = 0; k < series.size(); k++) {
      if (series.get(k) == null) {
        throw new IllegalArgumentException("series[" + k + "] must not be null");
      }
    }
  }
  static void checkOut(OutputStream out) {
    if (out == null) {
      throw new IllegalArgumentException("out must not be null");
    }
  }
}
