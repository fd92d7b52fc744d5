package org.macronet.analysis.figure;

import java.awt.BasicStroke;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Curves against a common abscissa (loss terms against training step): one line per series. */
final class LineFigure {

  private LineFigure() {}

  static void lines(String title, String xLabel, String yLabel, List<Series> series, OutputStream out)
      throws IOException {
    Charts.checkTexts(title, xLabel, yLabel);
    Charts.checkSeries(series);
    Charts.checkOut(out);
    XYChart chart = Charts.newChart(Figures.WIDTH, Figures.HEIGHT, title, xLabel, yLabel);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setXAxisDecimalPattern("#,##0.##");
    chart.getStyler().setMarkerSize(4);
    BasicStroke stroke = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    for (int k = 0; k < series.size(); k++) {
      Series s = series.get(k);
      // internal names are unique; the legend shows the caller's name, which need not be
      XYSeries added = chart.addSeries("line" + k, s.x(), s.y());
      added.setLabel(s.name());
      added.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
      added.setLineColor(Charts.PALETTE[k % Charts.PALETTE.length]);
      added.setLineStyle(stroke);
      // a line of one point draws nothing: mark it instead
      added.setMarker(s.x().length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      added.setMarkerColor(Charts.PALETTE[k % Charts.PALETTE.length]);
    }
    Charts.writePng(Charts.render(chart, Figures.WIDTH, Figures.HEIGHT), out);
  }
}
