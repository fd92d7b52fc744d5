package org.macronet.analysis.figure;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The report's figures, drawn with XChart and written as PNG of a fixed {@link #WIDTH} x
 * {@link #HEIGHT} pixels to a caller's stream (the caller owns the stream and the file system;
 * it is neither closed nor buffered to disk here); the pattern grid alone is sized by its tiles.
 * The same inputs give the same bytes.
 *
 * Each kind of figure is drawn by a class of its own (scatter plots, lines, trajectories, bars, the
 * pattern grid); this class is their one entry point.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless the property is already set,
 * so figures render on machines with no display.
 */
public final class Figures {
  /** Width of every figure in pixels. */
  public static final int WIDTH = 800;

  /** Height of every figure in pixels. */
  public static final int HEIGHT = 600;

  /** The largest side of a pattern grid in pixels, to refuse a montage that would not fit in memory. */
  public static final int MAX_GRID_SIDE = 12_000;

  static {
    // before any figure class draws: figures render on machines with no display
    Charts.headless();
  }

  private Figures() {}

  /**
   * A scatter plot of each series in its own colour, with a legend (preprint fig. 5B: macrostate
   * against energy).
   *
   * @throws IllegalArgumentException when {@code series} is null or empty or a text is null
   */
  public static void scatter(String title, String xLabel, String yLabel, List<Series> series, OutputStream out)
      throws IOException {
    ScatterFigures.scatter(title, xLabel, yLabel, series, out);
  }

  /**
   * As {@link #scatter(String, String, String, List, OutputStream)}, with {@code marks.get(k)} drawn
   * on top as large diamonds in the colour of {@code series.get(k)} (preprint fig. 6B: each target's
   * own parameters among its designs). A null mark draws nothing; marks have no legend entry, so
   * the title or caption should say what the diamonds are.
   *
   * @throws IllegalArgumentException when {@code series} is null or empty, a text is null, or
   *     {@code marks} is not null and not one per series
   */
  public static void scatter(String title, String xLabel, String yLabel, List<Series> series, List<Series> marks,
      OutputStream out) throws IOException {
    ScatterFigures.scatter(title, xLabel, yLabel, series, marks, out);
  }

  /**
   * Curves against a common abscissa, each series a line in its own colour (a series of one point
   * a dot), with a legend: loss terms against training step.
   *
   * @throws IllegalArgumentException when {@code series} is null, empty or holds a null, a text is
   *     null, or {@code out} is null
   */
  public static void lines(String title, String xLabel, String yLabel, List<Series> series, OutputStream out)
      throws IOException {
    LineFigure.lines(title, xLabel, yLabel, series, out);
  }

  /**
   * Ensembles over time (the learned SDE's paths against direct simulations): each band's mean as
   * a solid line and its lower and upper curves dashed, in the band's colour, with a legend.
   *
   * @throws IllegalArgumentException when {@code bands} is null or empty or a text is null
   */
  public static void bands(String title, String xLabel, String yLabel, List<Band> bands, OutputStream out)
      throws IOException {
    BandFigure.bands(title, xLabel, yLabel, bands, null, out);
  }

  /**
   * {@link #bands} with the y axis fixed to {@code yRange} = {lo, hi} (null: fitted to every band),
   * so that one band that runs away does not flatten the others; lines beyond it are cut at its edge.
   *
   * @throws IllegalArgumentException as {@link #bands}, or when {@code yRange} is not two finite
   *     numbers in increasing order
   */
  public static void bands(String title, String xLabel, String yLabel, List<Band> bands, double[] yRange,
                           OutputStream out) throws IOException {
    BandFigure.bands(title, xLabel, yLabel, bands, yRange, out);
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
  public static void scatterOverField(String title, String xLabel, String yLabel, GridField field,
      List<Series> series, boolean equalScale, OutputStream out) throws IOException {
    ScatterFigures.scatterOverField(title, xLabel, yLabel, field, series, equalScale, out);
  }

  /**
   * Planar trajectories, one colour per set, each line starting at a dot (the set's start point,
   * or the trajectory's first point) so that the sense of turning can be read; the origin is
   * marked with a cross and both axes share one scale, so that rotation is not distorted
   * (preprint fig. 4C/4D). Sets are drawn in order: put {@link TrajectorySet#example} last.
   *
   * @throws IllegalArgumentException when {@code sets} is null or empty or {@code title} is null
   */
  public static void trajectories(String title, List<TrajectorySet> sets, OutputStream out) throws IOException {
    TrajectoryFigure.trajectories(title, sets, out);
  }

  /**
   * A bar chart, one bar per label in the given order, the value printed on each bar (e.g. the
   * importance of Da, Db, F and k).
   *
   * @throws IllegalArgumentException when a text is null, labels is null or empty, holds a null
   *     or a repeated label, values is null or not as long as labels, or a value is not finite
   */
  public static void bars(String title, String yLabel, List<String> labels, double[] values, OutputStream out)
      throws IOException {
    BarFigure.bars(title, yLabel, labels, values, out);
  }

  /**
   * A montage of patterns' b channels as viridis heat maps, one row per {@link PatternRow} (the
   * target first, framed in red, then its designs), each row under its label, with the title on
   * top and a colour bar for b at the right. Colours span the caller's {@code [min, max]} for
   * every tile, so tiles compare; values outside are drawn as the nearest end.
   *
   * <p>The image is sized by its content, not {@link #WIDTH} x {@link #HEIGHT}: each cell is a
   * square of {@code s = max(1, 128 / size)} pixels (integer division), so a tile is about 128
   * pixels (exactly 128 for size 64), row 0 of the pattern at the top. With {@code c} the longest
   * row's length and {@code n} rows, {@code width = 16 + c * size * s + (c - 1) * 6 + 110} (margin,
   * tiles, gaps, colour bar) and {@code height = 16 + 34 + n * (size * s + l) + (n - 1) * 10 + 16}
   * (margin, title, rows, gaps, margin), where {@code l} is 18 if any row has a label and 0
   * otherwise: 6 labelled rows of 9 tiles of 64 x 64 give 1,326 x 992 pixels.
   *
   * @param size the patterns' grid side; every pattern holds {@code 2 size^2} values
   * @throws IllegalArgumentException when the title is null, rows is null or empty or holds a
   *     null, size is below 1, the range is not finite with {@code min < max}, a pattern has the
   *     wrong length or a non-finite b value (naming row, tile and cell), or the image would be
   *     larger than {@link #MAX_GRID_SIDE} on a side
   */
  public static void patternGrid(String title, List<PatternRow> rows, int size, double min, double max,
      OutputStream out) throws IOException {
    PatternGridFigure.patternGrid(title, rows, size, min, max, out);
  }

  /**
   * As {@link #patternGrid(String, List, int, double, double, OutputStream)}, colours spanning
   * {@code range} (e.g. {@link ColourRange#of} the shown b values); where values lie beyond it, its
   * colour bar marks the ends as bounds.
   */
  public static void patternGrid(String title, List<PatternRow> rows, int size, ColourRange range, OutputStream out)
      throws IOException {
    PatternGridFigure.patternGrid(title, rows, size, range, out);
  }
}
