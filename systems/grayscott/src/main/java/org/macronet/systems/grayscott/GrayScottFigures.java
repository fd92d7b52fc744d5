package org.macronet.systems.grayscott;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.macronet.analysis.figure.ColourRange;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.PatternRow;
import org.macronet.analysis.figure.Series;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.Findings;
import org.macronet.experiment.Values;

/**
 * The Gray-Scott design figures: targets with their re-simulated designs (preprint fig. 6A/6C) and
 * the designed parameters per target (6B). The pattern grid draws b over a robust range of the b
 * values shown ({@code ColourRange}: 1st to 99th percentile, stated in a note).
 */
final class GrayScottFigures {
  private static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  static void patterns(DesignOutputs design, Findings out) throws IOException {
    List<PatternRow> rows = new ArrayList<>();
    int size = 0;
    int skipped = 0;
    DoubleStream.Builder shownB = DoubleStream.builder();
    for (Map<String, Object> t : design.shownTargets()) {
      if (rows.size() == GrayScottAnalysis.PATTERN_ROWS) {
        break;
      }
      float[] target = Values.floats(t, "pattern");
      if (target == null) {
        continue;
      }
      if (size == 0) {
        size = side(target);
      }
      if (!drawable(target, size)) {
        skipped++;
        continue;
      }
      List<float[]> tiles = new ArrayList<>(List.of(target));
      for (Map<String, Object> d : design.designsOf(GrayScottAnalysis.id(t))) {
        float[] pattern = Values.floats(d, "pattern");
        if (pattern == null) {
          continue;
        }
        if (drawable(pattern, size)) {
          tiles.add(pattern);
        } else {
          skipped++;
        }
      }
      for (float[] tile : tiles) {
        for (int i = size * size; i < tile.length; i++) {
          shownB.add(tile[i]);
        }
      }
      String median = GrayScottAnalysis.validDesigns(t) > 0
          ? String.format(Locale.ROOT, "median pct %.1f", Values.number(t, "median_percentile")) : "no valid design";
      rows.add(new PatternRow(String.format(Locale.ROOT, "target %d: %s", GrayScottAnalysis.id(t), median), tiles));
    }
    if (skipped > 0) {
      out.note(GrayScottAnalysis.PATTERNS_FIGURE + ": " + skipped + " pattern(s) left out: not 2 x " + size + " x " + size
          + " values or b not finite.");
    }
    if (rows.isEmpty()) {
      out.note(GrayScottAnalysis.PATTERNS_FIGURE + " not drawn: no shown target has a drawable pattern.");
      return;
    }
    int side = size;
    ColourRange range = ColourRange.of(shownB.build().toArray());
    out.note(GrayScottAnalysis.PATTERNS_FIGURE + ": b, " + range.describe() + ".");
    out.figure(GrayScottAnalysis.PATTERNS_FIGURE, String.format(java.util.Locale.ROOT, "%d targets (framed), each "
        + "with some of its designs re-simulated: the concentration b on the %d x %d grid, one colour scale over %s.",
        rows.size(), side, side, range.describe()), o -> Figures.patternGrid(
        "Targets (framed) and the patterns of their designs, re-simulated (b)", rows, side, range, o));
  }
  static void parameters(DesignOutputs design, String name, String xName, String yName, Findings out)
      throws IOException {
    int xi = PARAMETERS.indexOf(xName);
    int yi = PARAMETERS.indexOf(yName);
    List<Series> series = new ArrayList<>();
    List<Series> marks = new ArrayList<>();
    for (Map<String, Object> t : design.shownTargets()) {
      List<double[]> points = new ArrayList<>();
      for (Map<String, Object> d : design.designsOf(GrayScottAnalysis.id(t))) {
        if (Boolean.TRUE.equals(d.get("valid"))) {
          points.add(new double[] {Values.number(d, xName), Values.number(d, yName)});
        }
      }
      Series s = series("target " + GrayScottAnalysis.id(t), points);
      if (s != null) {
        series.add(s);
        // the target's own parameters (absent for patterns from a file), in its designs' colour
        marks.add(series("target " + GrayScottAnalysis.id(t) + " parameters",
            List.<double[]>of(new double[] {Values.number(t, xName), Values.number(t, yName)})));
      }
    }
    if (series.isEmpty()) {
      out.note(name + " not drawn: the shown targets have no valid design.");
      return;
    }
    int points = series.stream().mapToInt(x -> x.x().length).sum();
    out.figure(name, String.format(java.util.Locale.ROOT, "The %,d valid designs of %d targets in (%s, %s), in "
        + "the simulation's units (rates per unit time, diffusion per unit time on the unit grid); diamonds: each "
        + "target's own parameters.", points, series.size(), xName, yName), o -> Figures.scatter("Designed (" + xName
        + ", " + yName
        + ") per target (diamonds: each target's own)", xName, yName, series, marks, o));
  }
  /** The finite points as a series, or null when there are none. */
  private static Series series(String name, List<double[]> points) {
    double[][] finite = points.stream().filter(p -> Double.isFinite(p[0]) && Double.isFinite(p[1]))
        .toArray(double[][]::new);
    if (finite.length == 0) {
      return null;
    }
    return new Series(name, Arrays.stream(finite).mapToDouble(p -> p[0]).toArray(),
        Arrays.stream(finite).mapToDouble(p -> p[1]).toArray());
  }
  /** The grid side of a pattern of {@code 2 size^2} values, or 0 when its length is not of that form. */
  static int side(float[] pattern) {
    int size = (int) Math.round(Math.sqrt(pattern.length / 2.0));
    return size >= 1 && 2 * size * size == pattern.length ? size : 0;
  }
  private static boolean drawable(float[] pattern, int size) {
    if (size == 0 || pattern.length != 2 * size * size) {
      return false;
    }
    for (int i = size * size; i < pattern.length; i++) {
      if (!Float.isFinite(pattern[i])) {
        return false;
      }
    }
    return true;
  }

  private GrayScottFigures() {}
}
