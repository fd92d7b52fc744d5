package org.macronet.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Trajectories in the plane: designed ones and the example they came from. */
final class TrajectoryFigure {

  private TrajectoryFigure() {}

  /**
   * Planar trajectories, one colour per set, each line starting at a dot (the set's start point,
   * or the trajectory's first point) so that the sense of turning can be read; the origin is
   * marked with a cross and both axes share one scale, so that rotation is not distorted
   * (preprint fig. 4C/4D). Sets are drawn in order: put {@link TrajectorySet#example} last.
   *
   * @throws IllegalArgumentException when {@code sets} is null or empty or {@code title} is null
   */
  static void trajectories(String title, List<TrajectorySet> sets, OutputStream out) throws IOException {
    Charts.checkTexts(title, "x", "y");
    if (sets == null || sets.isEmpty()) {
      throw new IllegalArgumentException("sets must hold at least one trajectory set, found "
          + (sets == null ? "null" : "none"));
    }
    for (int k = 0; k < sets.size(); k++) {
      if (sets.get(k) == null) {
        throw new IllegalArgumentException("sets[" + k + "] must not be null");
      }
    }
    Charts.checkOut(out);
    XYChart chart = Charts.newChart(Figures.WIDTH, Figures.HEIGHT, title, "x", "y");
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    double[] bounds = {0, 0, 0, 0}; // xlo, xhi, ylo, yhi; the origin is always in view
    for (int k = 0; k < sets.size(); k++) {
      TrajectorySet set = sets.get(k);
      BasicStroke stroke = new BasicStroke(set.lineWidth(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
      int n = set.trajectories().size();
      double[] startX = new double[set.start() == null ? n : 1];
      double[] startY = new double[startX.length];
      for (int m = 0; m < n; m++) {
        float[] traj = set.trajectories().get(m);
        int offset = set.start() == null ? 0 : 1;
        int points = traj.length / 2 + offset;
        double[] xs = new double[points];
        double[] ys = new double[points];
        if (set.start() != null) {
          xs[0] = set.start()[0];
          ys[0] = set.start()[1];
        }
        for (int t = 0; t < traj.length / 2; t++) {
          xs[t + offset] = traj[2 * t];
          ys[t + offset] = traj[2 * t + 1];
        }
        Charts.include(bounds, xs, ys);
        if (set.start() == null) {
          startX[m] = xs[0];
          startY[m] = ys[0];
        } else {
          startX[0] = xs[0];
          startY[0] = ys[0];
        }
        XYSeries line = chart.addSeries("set" + k + "-trajectory" + m, xs, ys);
        line.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(set.colour());
        line.setLineStyle(stroke);
        line.setLabel(set.name());
        line.setShowInLegend(m == 0);
      }
      XYSeries starts = chart.addSeries("set" + k + "-starts", startX, startY);
      starts.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
      starts.setMarker(SeriesMarkers.CIRCLE);
      starts.setMarkerColor(set.colour());
      starts.setShowInLegend(false);
    }
    XYSeries origin = chart.addSeries("origin", new double[] {0}, new double[] {0});
    origin.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    origin.setMarker(SeriesMarkers.PLUS);
    origin.setMarkerColor(Color.BLACK);
    origin.setLabel("origin");

    Charts.pad(bounds);
    Charts.setRange(chart, bounds);
    Charts.render(chart, Figures.WIDTH, Figures.HEIGHT); // lays the chart out to measure pixels per unit on each axis
    double unitX = (chart.getScreenXFromChart(bounds[1]) - chart.getScreenXFromChart(bounds[0])) / (bounds[1] - bounds[0]);
    double unitY = (chart.getScreenYFromChart(bounds[2]) - chart.getScreenYFromChart(bounds[3])) / (bounds[3] - bounds[2]);
    if (unitX > unitY) {
      Charts.widen(bounds, 0, unitX / unitY);
    } else {
      Charts.widen(bounds, 2, unitY / unitX);
    }
    Charts.setRange(chart, bounds);
    Charts.writePng(Charts.render(chart, Figures.WIDTH, Figures.HEIGHT), out);
  }
}
