package org.macronet.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleToIntFunction;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures, drawn with XChart and written as PNG of a fixed {@link #WIDTH} x
 * {@link #HEIGHT} pixels to a caller's stream (the caller owns the stream and the file system;
 * it is neither closed nor buffered to disk here); the pattern grid alone is sized by its tiles.
 * The same inputs give the same bytes.
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
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Matplotlib's tab10: distinguishable on white. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)
  };

  /** Strong colours that stand out on the lightened viridis background. */
  private static final Color[] OVER_FIELD_PALETTE = {
    new Color(0xd62728), Color.BLACK, new Color(0xff7f0e), new Color(0x1f77b4), new Color(0xe377c2), Color.WHITE
  };

  /** Pixels at the right of a field figure for the colour bar, its ticks and its label. */
  private static final int COLOUR_BAR_WIDTH = 110;

  private static final Color TRANSPARENT = new Color(0, 0, 0, 0);

  /** Pixels around the pattern grid, between its tiles, between its rows, for its title and labels. */
  private static final int GRID_MARGIN = 16;
  private static final int TILE_GAP = 6;
  private static final int ROW_GAP = 10;
  private static final int GRID_TITLE_HEIGHT = 34;
  private static final int ROW_LABEL_HEIGHT = 18;

  /** The target tile's frame: the tab10 red of the example trajectory. */
  private static final Color TARGET_FRAME = new Color(0xd62728);

  /** A diamond twice the styler's marker size (XChart sizes markers per chart, not per series). */
  private static final Marker LARGE_DIAMOND = new Marker() {
    @Override
    public void paint(Graphics2D g, double x, double y, int markerSize) {
      SeriesMarkers.DIAMOND.paint(g, x, y, 2 * markerSize);
    }
  };

  private Figures() {}

  /**
   * A scatter plot of each series in its own colour, with a legend (preprint fig. 5B: macrostate
   * against energy).
   *
   * @throws IllegalArgumentException when {@code series} is null or empty or a text is null
   */
  public static void scatter(String title, String xLabel, String yLabel, List<Series> series, OutputStream out)
      throws IOException {
    scatter(title, xLabel, yLabel, series, null, out);
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
    checkTexts(title, xLabel, yLabel);
    checkSeries(series);
    if (marks != null && marks.size() != series.size()) {
      throw new IllegalArgumentException("marks must hold one entry (or null) per series: " + series.size()
          + " series, " + marks.size() + " marks");
    }
    checkOut(out);
    XYChart chart = newChart(WIDTH, HEIGHT, title, xLabel, yLabel);
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    addScatter(chart, series, PALETTE);
    if (marks != null) {
      for (int k = 0; k < marks.size(); k++) {
        Series m = marks.get(k);
        if (m == null || m.x().length == 0) {
          continue;
        }
        XYSeries added = chart.addSeries("mark" + k, m.x(), m.y());
        added.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        added.setMarker(LARGE_DIAMOND);
        added.setMarkerColor(PALETTE[k % PALETTE.length].darker());
        added.setShowInLegend(false);
      }
    }
    writePng(render(chart, WIDTH, HEIGHT), out);
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
    checkTexts(title, xLabel, yLabel);
    if (field == null) {
      throw new IllegalArgumentException("field must not be null");
    }
    checkSeries(series);
    checkOut(out);
    int chartWidth = WIDTH - COLOUR_BAR_WIDTH;
    int chartHeight = HEIGHT;
    XYChart chart = newChart(chartWidth, chartHeight, title, xLabel, yLabel);
    XYStyler styler = chart.getStyler();
    styler.setLegendPosition(LegendPosition.OutsideS);
    // the field is painted first; the chart's own backgrounds must let it through
    styler.setChartBackgroundColor(TRANSPARENT);
    styler.setPlotBackgroundColor(TRANSPARENT);
    styler.setPlotGridLinesColor(new Color(255, 255, 255, 110));
    styler.setXAxisMin(field.xMin());
    styler.setXAxisMax(field.xMax());
    styler.setYAxisMin(field.yMin());
    styler.setYAxisMax(field.yMax());
    styler.setMarkerSize(7);
    addScatter(chart, series, OVER_FIELD_PALETTE);

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

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
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
      drawColourBar(g, range.clipped() ? field.name() + " (1st-99th percentile)" : field.name(), range,
          offsetX + chartWidth, (int) Math.round(box[2]) + offsetY, (int) Math.round(box[3]) + offsetY,
          ColourMap::rgb);
    } finally {
      g.dispose();
    }
    writePng(image, out);
  }

  /** Paints the chart once, off screen, and returns where the field's box falls in pixels. */
  private static double[] layOut(XYChart chart, int width, int height, GridField field) {
    render(chart, width, height);
    return new double[] {
      chart.getScreenXFromChart(field.xMin()), chart.getScreenXFromChart(field.xMax()),
      chart.getScreenYFromChart(field.yMax()), chart.getScreenYFromChart(field.yMin())
    };
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
    checkTexts(title, "x", "y");
    if (sets == null || sets.isEmpty()) {
      throw new IllegalArgumentException("sets must hold at least one trajectory set, found "
          + (sets == null ? "null" : "none"));
    }
    for (int k = 0; k < sets.size(); k++) {
      if (sets.get(k) == null) {
        throw new IllegalArgumentException("sets[" + k + "] must not be null");
      }
    }
    checkOut(out);
    XYChart chart = newChart(WIDTH, HEIGHT, title, "x", "y");
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
        include(bounds, xs, ys);
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

    pad(bounds);
    setRange(chart, bounds);
    render(chart, WIDTH, HEIGHT); // lays the chart out to measure pixels per unit on each axis
    double unitX = (chart.getScreenXFromChart(bounds[1]) - chart.getScreenXFromChart(bounds[0])) / (bounds[1] - bounds[0]);
    double unitY = (chart.getScreenYFromChart(bounds[2]) - chart.getScreenYFromChart(bounds[3])) / (bounds[3] - bounds[2]);
    if (unitX > unitY) {
      widen(bounds, 0, unitX / unitY);
    } else {
      widen(bounds, 2, unitY / unitX);
    }
    setRange(chart, bounds);
    writePng(render(chart, WIDTH, HEIGHT), out);
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
    checkTexts(title, "", yLabel);
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
    checkOut(out);
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
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
    series.setFillColor(PALETTE[0]);
    writePng(render(chart, WIDTH, HEIGHT), out);
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
    if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
      throw new IllegalArgumentException("colour range must be finite with min < max, found [" + min + ", " + max + "]");
    }
    patternGrid(title, rows, size, new ColourRange(min, max, min, max), out);
  }

  /**
   * As {@link #patternGrid(String, List, int, double, double, OutputStream)}, colours spanning
   * {@code range} (e.g. {@link ColourRange#of} the shown b values); where values lie beyond it, its
   * colour bar marks the ends as bounds.
   */
  public static void patternGrid(String title, List<PatternRow> rows, int size, ColourRange range, OutputStream out)
      throws IOException {
    double min = range.low();
    double max = range.high();
    if (title == null) {
      throw new IllegalArgumentException("title must not be null");
    }
    if (rows == null || rows.isEmpty()) {
      throw new IllegalArgumentException("rows must hold at least one pattern row, found "
          + (rows == null ? "null" : "none"));
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, found " + size);
    }
    int cells = size * size;
    int columns = 0;
    boolean labelled = false;
    for (int r = 0; r < rows.size(); r++) {
      PatternRow row = rows.get(r);
      if (row == null) {
        throw new IllegalArgumentException("rows[" + r + "] must not be null");
      }
      labelled |= row.label() != null;
      columns = Math.max(columns, row.patterns().size());
      for (int t = 0; t < row.patterns().size(); t++) {
        float[] pattern = row.patterns().get(t);
        if (pattern.length != 2 * cells) {
          throw new IllegalArgumentException("rows[" + r + "] tile " + t + " must hold 2 * " + size + " * " + size
              + " = " + 2 * cells + " values, found " + pattern.length);
        }
        for (int i = 0; i < cells; i++) {
          if (!Float.isFinite(pattern[cells + i])) {
            throw new IllegalArgumentException("rows[" + r + "] tile " + t + ": b at row " + i / size + ", column "
                + i % size + " must be finite, found " + pattern[cells + i]);
          }
        }
      }
    }
    checkOut(out);
    int scale = Math.max(1, 128 / size);
    int tile = size * scale;
    int labelHeight = labelled ? ROW_LABEL_HEIGHT : 0;
    long width = GRID_MARGIN + (long) columns * tile + (columns - 1L) * TILE_GAP + COLOUR_BAR_WIDTH;
    long height = 2L * GRID_MARGIN + GRID_TITLE_HEIGHT + (long) rows.size() * (tile + labelHeight)
        + (rows.size() - 1L) * ROW_GAP;
    if (width > MAX_GRID_SIDE || height > MAX_GRID_SIDE) {
      throw new IllegalArgumentException("the pattern grid would be " + width + " x " + height
          + " pixels, more than " + MAX_GRID_SIDE + " on a side: draw fewer rows or tiles");
    }

    BufferedImage image = new BufferedImage((int) width, (int) height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, (int) width, (int) height);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString(title, GRID_MARGIN, GRID_MARGIN + g.getFontMetrics().getAscent());
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int ascent = g.getFontMetrics().getAscent();
      double span = max - min;
      int top = GRID_MARGIN + GRID_TITLE_HEIGHT;
      int gridTop = top + labelHeight;
      int gridBottom = gridTop;
      for (PatternRow row : rows) {
        if (row.label() != null) {
          g.setColor(Color.BLACK);
          g.drawString(row.label(), GRID_MARGIN, top + ascent);
        }
        int y0 = top + labelHeight;
        for (int t = 0; t < row.patterns().size(); t++) {
          float[] pattern = row.patterns().get(t);
          int x0 = GRID_MARGIN + t * (tile + TILE_GAP);
          for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
              int rgb = ColourMap.viridis((pattern[cells + i * size + j] - min) / span);
              for (int dy = 0; dy < scale; dy++) {
                for (int dx = 0; dx < scale; dx++) {
                  image.setRGB(x0 + j * scale + dx, y0 + i * scale + dy, rgb);
                }
              }
            }
          }
          if (t == 0) {
            g.setColor(TARGET_FRAME);
            g.setStroke(new BasicStroke(2));
            g.drawRect(x0 - 2, y0 - 2, tile + 3, tile + 3);
          }
        }
        gridBottom = y0 + tile;
        top = y0 + tile + ROW_GAP;
      }
      int barLeft = GRID_MARGIN + columns * tile + (columns - 1) * TILE_GAP;
      g.setStroke(new BasicStroke(1));
      drawColourBar(g, "b", range, barLeft, gridTop, gridBottom - 1, ColourMap::viridis);
    } finally {
      g.dispose();
    }
    writePng(image, out);
  }

  private static XYChart newChart(int width, int height, String title, String xLabel, String yLabel) {
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

  private static void addScatter(XYChart chart, List<Series> series, Color[] palette) {
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

  private static void drawColourBar(Graphics2D g, String name, ColourRange range, int x0, int top, int bottom,
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

  private static void include(double[] bounds, double[] xs, double[] ys) {
    for (int i = 0; i < xs.length; i++) {
      bounds[0] = Math.min(bounds[0], xs[i]);
      bounds[1] = Math.max(bounds[1], xs[i]);
      bounds[2] = Math.min(bounds[2], ys[i]);
      bounds[3] = Math.max(bounds[3], ys[i]);
    }
  }

  /** Pads the box by 5% of its larger side on every side (a unit box about a single point). */
  private static void pad(double[] bounds) {
    double pad = 0.05 * Math.max(bounds[1] - bounds[0], bounds[3] - bounds[2]);
    if (pad == 0) {
      pad = 1;
    }
    bounds[0] -= pad;
    bounds[1] += pad;
    bounds[2] -= pad;
    bounds[3] += pad;
  }

  private static void setRange(XYChart chart, double[] bounds) {
    chart.getStyler().setXAxisMin(bounds[0]);
    chart.getStyler().setXAxisMax(bounds[1]);
    chart.getStyler().setYAxisMin(bounds[2]);
    chart.getStyler().setYAxisMax(bounds[3]);
  }

  /** Stretches the interval {@code bounds[i], bounds[i + 1]} about its centre by {@code factor}. */
  private static void widen(double[] bounds, int i, double factor) {
    double centre = 0.5 * (bounds[i] + bounds[i + 1]);
    double half = 0.5 * (bounds[i + 1] - bounds[i]) * factor;
    bounds[i] = centre - half;
    bounds[i + 1] = centre + half;
  }

  private static BufferedImage render(Chart<?, ?> chart, int width, int height) {
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

  private static void writePng(BufferedImage image, OutputStream out) throws IOException {
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

  private static void checkTexts(String title, String xLabel, String yLabel) {
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

  private static void checkSeries(List<Series> series) {
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

  private static void checkOut(OutputStream out) {
    if (out == null) {
      throw new IllegalArgumentException("out must not be null");
    }
  }
}
