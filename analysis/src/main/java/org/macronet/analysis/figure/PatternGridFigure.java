package org.macronet.analysis.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** A montage of patterns' b channels as heat maps, one row per target with its designs. */
final class PatternGridFigure {

  private PatternGridFigure() {}

  /** Pixels around the pattern grid, between its tiles, between its rows, for its title and labels. */
  private static final int GRID_MARGIN = 16;
  private static final int TILE_GAP = 6;
  private static final int ROW_GAP = 10;
  private static final int GRID_TITLE_HEIGHT = 34;
  private static final int ROW_LABEL_HEIGHT = 18;

  /** The target tile's frame: the tab10 red of the example trajectory. */
  private static final Color TARGET_FRAME = new Color(0xd62728);


  /**
   * A montage of patterns' b channels as viridis heat maps, one row per {@link PatternRow} (the
   * target first, framed in red, then its designs), each row under its label, with the title on
   * top and a colour bar for b at the right. Colours span the caller's {@code [min, max]} for
   * every tile, so tiles compare; values outside are drawn as the nearest end.
   *
   * <p>The image is sized by its content, not {@link Figures#WIDTH} x {@link Figures#HEIGHT}: each cell is a
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
   *     larger than {@link Figures#MAX_GRID_SIDE} on a side
   */
  static void patternGrid(String title, List<PatternRow> rows, int size, double min, double max,
      OutputStream out) throws IOException {
    if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
      throw new IllegalArgumentException("colour range must be finite with min < max, found [" + min + ", " + max + "]");
    }
    patternGrid(title, rows, size, new ColourRange(min, max, min, max), out);
  }

  /**
   * As {@link Figures#patternGrid(String, List, int, double, double, OutputStream)}, colours spanning
   * {@code range} (e.g. {@link ColourRange#of} the shown b values); where values lie beyond it, its
   * colour bar marks the ends as bounds.
   */
  static void patternGrid(String title, List<PatternRow> rows, int size, ColourRange range, OutputStream out)
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
    Charts.checkOut(out);
    int scale = Math.max(1, 128 / size);
    int tile = size * scale;
    int labelHeight = labelled ? ROW_LABEL_HEIGHT : 0;
    long width = GRID_MARGIN + (long) columns * tile + (columns - 1L) * TILE_GAP + Charts.COLOUR_BAR_WIDTH;
    long height = 2L * GRID_MARGIN + GRID_TITLE_HEIGHT + (long) rows.size() * (tile + labelHeight)
        + (rows.size() - 1L) * ROW_GAP;
    if (width > Figures.MAX_GRID_SIDE || height > Figures.MAX_GRID_SIDE) {
      throw new IllegalArgumentException("the pattern grid would be " + width + " x " + height
          + " pixels, more than " + Figures.MAX_GRID_SIDE + " on a side: draw fewer rows or tiles");
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
      Charts.drawColourBar(g, "b", range, barLeft, gridTop, gridBottom - 1, ColourMap::viridis);
    } finally {
      g.dispose();
    }
    Charts.writePng(image, out);
  }
}
