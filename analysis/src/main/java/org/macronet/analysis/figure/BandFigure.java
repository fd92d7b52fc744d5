package org.macronet.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Ensembles over time: each one's mean as a solid line, its spread as dashed lines of its colour. */
final class BandFigure {
  private BandFigure() {}

  static void bands(String title, String xLabel, String yLabel, List<Band> bands, double[] yRange, OutputStream out)
      throws IOException {
    if (yRange != null && (yRange.length != 2 || !Double.isFinite(yRange[0]) || !Double.isFinite(yRange[1])
        || !(yRange[0] < yRange[1]))) {
      throw new IllegalArgumentException("yRange must be two finite numbers lo < hi, found "
          + java.util.Arrays.toString(yRange));
    }
    Charts.checkTexts(title, xLabel, yLabel);
    if (bands == null || bands.isEmpty()) {
      throw new IllegalArgumentException("bands must hold at least one band, found "
          + (bands == null ? "null" : "none"));
    }
    Charts.checkOut(out);
    XYChart chart = Charts.newChart(Figures.WIDTH, Figures.HEIGHT, title, xLabel, yLabel);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setXAxisDecimalPattern("#,##0.##");
    chart.getStyler().setYAxisDecimalPattern("0.###");
    if (yRange != null) {
      chart.getStyler().setYAxisMin(yRange[0]);
      chart.getStyler().setYAxisMax(yRange[1]);
    }
    BasicStroke solid = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    BasicStroke dashed = new BasicStroke(1.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
        new float[] {5f, 4f}, 0f);
    for (int k = 0; k < bands.size(); k++) {
      Band b = bands.get(k);
      Color c = Charts.PALETTE[k % Charts.PALETTE.length];
      XYSeries mean = chart.addSeries("band" + k, b.x(), b.mean());
      mean.setLabel(b.name());
      style(mean, c, solid);
      XYSeries lo = chart.addSeries("band" + k + "lo", b.x(), b.lower());
      style(lo, c, dashed);
      lo.setShowInLegend(false);
      XYSeries hi = chart.addSeries("band" + k + "hi", b.x(), b.upper());
      style(hi, c, dashed);
      hi.setShowInLegend(false);
    }
    Charts.writePng(Charts.render(chart, Figures.WIDTH, Figures.HEIGHT), out);
  }

  private static void style(XYSeries s, Color c, BasicStroke stroke) {
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(c);
    s.setLineStyle(stroke);
  }
}
