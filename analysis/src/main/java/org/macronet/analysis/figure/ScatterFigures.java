package org.macronet.analysis.figure;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;

/** Scatter plots, alone or over a scalar field with a colour bar. */
final class ScatterFigures {

  private ScatterFigures() {}

  /**
   * A scatter plot of each series in its own colour, with a legend (preprint fig. 5B: macrostate
   * against energy).
   *
   * @throws IllegalArgumentException when {@code series} is null or empty or a text is null
   */
  static void scatter(String title, String xLabel, String yLabel, List<Series> series, OutputStream out)
      throws IOException {
    scatter(title, xLabel, yLabel, series, null, out);
  }

  /**
   * As {@link Figures#scatter(String, String, String, List, OutputStream)}, with {@code marks.get(k)} drawn
   * on top as large diamonds in the colour of {@code series.get(k)} (preprint fig. 6B: each target's
   * own parameters among its designs). A null mark draws nothing; marks have no legend entry, so
   * the title or caption should say what the diamonds are.
   *
   * @throws IllegalArgumentException when {@code series} is null or empty, a text is null, or
   *     {@code marks} is not null and not one per series
   */
  static void scatter(String title, String xLabel, String yLabel, List<Series> series, List<Series> marks,
      OutputStream out) throws IOException {
    Charts.checkTexts(title, xLabel, yLabel);
    Charts.checkSeries(series);
    if (marks != null && marks.size() != series.size()) {
      throw new IllegalArgumentException("marks must hold one entry (or null) per series: " + series.size()
          + " series, " + marks.size() + " marks");
    }
    Charts.checkOut(out);
    XYChart chart = Charts.newChart(Figures.WIDTH, Figures.HEIGHT, title, xLabel, yLabel);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    Charts.addScatter(chart, series, Charts.PALETTE);
    if (marks != null) {
      for (int k = 0; k < marks.size(); k++) {
        Series m = marks.get(k);
        if (m == null || m.x().length == 0) {
          continue;
        }
        XYSeries added = chart.addSeries("mark" + k, m.x(), m.y());
        added.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        added.setMarker(Charts.LARGE_DIAMOND);
        added.setMarkerColor(Charts.PALETTE[k % Charts.PALETTE.length].darker());
        added.setShowInLegend(false);
      }
    }
    Charts.writePng(Charts.render(chart, Figures.WIDTH, Figures.HEIGHT), out);
  }

  /**
   * A scatter plot over a background scalar field, with a colour bar (preprint fig. 5C: the learned
   * macrostate over (x, p) with samples at fixed macrostates on top). The axes span the field's
   * range exactly; points outside it are clipped. With {@code equalScale} one unit has the same
   * length on both axes (the plot is narrowed or shortened to fit), so that a circle in a phase
   * plane is drawn as a circle.
   *
   * @throws IllegalArgumentException when {@code field} is null, {@code series} is null or empty, or
   *     a text is null
   */
  static void scatterOverField(String title, String xLabel, String yLabel, GridField field,
      List<Series> series, boolean equalScale, OutputStream out) throws IOException {
    Charts.checkTexts(title, xLabel, yLabel);
    if (field == null) {
      throw new IllegalArgumentException("field must not be null");
    }
    Charts.checkSeries(series);
    Charts.checkOut(out);
    int chartWidth = Figures.WIDTH - Charts.COLOUR_BAR_WIDTH;
    int chartHeight = Figures.HEIGHT;
    XYChart chart = Charts.newChart(chartWidth, chartHeight, title, xLabel, yLabel);
    XYStyler styler = chart.getStyler();
    styler.setLegendPosition(LegendPosition.OutsideS);
    // the field is painted first; the chart's own backgrounds must let it through
    styler.setChartBackgroundColor(Charts.TRANSPARENT);
    styler.setPlotBackgroundColor(Charts.TRANSPARENT);
    styler.setPlotGridLinesColor(new Color(255, 255, 255, 110));
    styler.setXAxisMin(field.xMin());
    styler.setXAxisMax(field.xMax());
    styler.setYAxisMin(field.yMin());
    styler.setYAxisMax(field.yMax());
    styler.setMarkerSize(7);
    Charts.addScatter(chart, series, Charts.OVER_FIELD_PALETTE);

    double spanX = field.xMax() - field.xMin();
    double spanY = field.yMax() - field.yMin();
    double[] box = layOut(chart, chartWidth, chartHeight, field); // left, right, top, bottom in pixels
    int offsetX = 0;
    int offsetY = 0;
    if (equalScale) {
      double unitX = (box[1] - box[0]) / spanX;
      double unitY = (box[3] - box[2]) / spanY;
      if (unitX > unitY) {
        int shrink = (int) Math.round((box[1] - box[0]) - spanX * unitY);
        chartWidth -= shrink;
        offsetX = shrink / 2;
      } else {
        int shrink = (int) Math.round((box[3] - box[2]) - spanY * unitX);
        chartHeight -= shrink;
        offsetY = shrink / 2;
      }
      box = layOut(chart, chartWidth, chartHeight, field);
    }

    BufferedImage image = new BufferedImage(Figures.WIDTH, Figures.HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, Figures.WIDTH, Figures.HEIGHT);
      ColourRange range = ColourRange.of(field.values());
      // every pixel whose centre lies inside the field's box takes the field's value there
      for (int py = (int) Math.ceil(box[2] - 0.5); py + 0.5 <= box[3]; py++) {
        double y = field.yMax() - (py + 0.5 - box[2]) / (box[3] - box[2]) * spanY;
        for (int px = (int) Math.ceil(box[0] - 0.5); px + 0.5 <= box[1]; px++) {
          double x = field.xMin() + (px + 0.5 - box[0]) / (box[1] - box[0]) * spanX;
          image.setRGB(px + offsetX, py + offsetY, ColourMap.rgb(range.position(field.at(x, y))));
        }
      }
      g.translate(offsetX, offsetY);
      chart.paint(g, chartWidth, chartHeight);
      g.translate(-offsetX, -offsetY);
      // the colour bar follows the plot, so that chart and bar stay together, centred
      Charts.drawColourBar(g, range.clipped() ? field.name() + " (1st-99th percentile)" : field.name(), range,
          offsetX + chartWidth, (int) Math.round(box[2]) + offsetY, (int) Math.round(box[3]) + offsetY,
          ColourMap::rgb);
    } finally {
      g.dispose();
    }
    Charts.writePng(image, out);
  }

  /** Paints the chart once, off screen, and returns where the field's box falls in pixels. */
  private static double[] layOut(XYChart chart, int width, int height, GridField field) {
    Charts.render(chart, width, height);
    return new double[] {
      chart.getScreenXFromChart(field.xMin()), chart.getScreenXFromChart(field.xMax()),
      chart.getScreenYFromChart(field.yMax()), chart.getScreenYFromChart(field.yMin())
    };
  }
}
