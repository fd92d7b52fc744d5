package org.macronet.analysis.figure;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;

/** A bar chart with the values printed on the bars. */
final class BarFigure {

  private BarFigure() {}

  /**
   * A bar chart, one bar per label in the given order, the value printed on each bar (e.g. the
   * importance of Da, Db, F and k).
   *
   * @throws IllegalArgumentException when a text is null, labels is null or empty, holds a null
   *     or a repeated label, values is null or not as long as labels, or a value is not finite
   */
  static void bars(String title, String yLabel, List<String> labels, double[] values, OutputStream out)
      throws IOException {
    Charts.checkTexts(title, "", yLabel);
    if (labels == null || labels.isEmpty()) {
      throw new IllegalArgumentException("labels must hold at least one label, found "
          + (labels == null ? "null" : "none"));
    }
    if (values == null || values.length != labels.size()) {
      throw new IllegalArgumentException("values must hold one value per label, found "
          + (values == null ? "null" : values.length + " values") + " for " + labels.size() + " labels");
    }
    for (int i = 0; i < labels.size(); i++) {
      if (labels.get(i) == null) {
        throw new IllegalArgumentException("labels[" + i + "] must not be null");
      }
      if (labels.indexOf(labels.get(i)) != i) {
        throw new IllegalArgumentException("labels must be distinct, found '" + labels.get(i) + "' twice");
      }
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("value for '" + labels.get(i) + "' must be finite, found " + values[i]);
      }
    }
    Charts.checkOut(out);
    CategoryChart chart = new CategoryChartBuilder().width(Figures.WIDTH).height(Figures.HEIGHT).title(title)
        .xAxisTitle("").yAxisTitle(yLabel).build();
    CategoryStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.DARK_GRAY);
    styler.setPlotGridLinesColor(new Color(225, 225, 225));
    styler.setLegendVisible(false);
    styler.setLabelsVisible(true); // inside the bar, white on the dark fill
    styler.setDecimalPattern("0.###");
    styler.setAvailableSpaceFill(0.6);
    styler.setAntiAlias(true);
    styler.setLocale(Locale.ROOT);
    double[] copy = values.clone();
    CategorySeries series = chart.addSeries("values", List.copyOf(labels), Arrays.stream(copy).boxed().toList());
    series.setFillColor(Charts.PALETTE[0]);
    Charts.writePng(Charts.render(chart, Figures.WIDTH, Figures.HEIGHT), out);
  }
}
