package org.macronet.analysis.figure;

/**
 * Viridis (matplotlib's perceptually uniform map, dark violet to yellow), linearly interpolated
 * between 9 anchors; {@link #rgb} lightens it towards white so that markers drawn over it stay
 * visible, {@link #viridis} is the map itself, for heat maps with nothing drawn on top.
 */
final class ColourMap {

  private static final int[] ANCHORS = {
    0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725
  };

  /** Fraction of white mixed in: {@code c = (1 - LIGHTEN) viridis + LIGHTEN white}. */
  private static final double LIGHTEN = 0.35;

  private ColourMap() {}

  /** The lightened colour at {@code t} in [0, 1] (clamped), as 0xRRGGBB. */
  static int rgb(double t) {
    return interpolate(t, LIGHTEN);
  }

  /** Viridis itself at {@code t} in [0, 1] (clamped), as 0xRRGGBB. */
  static int viridis(double t) {
    return interpolate(t, 0);
  }

  private static int interpolate(double t, double lighten) {
    double s = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
    int i = Math.min((int) s, ANCHORS.length - 2);
    double f = s - i;
    int a = ANCHORS[i];
    int b = ANCHORS[i + 1];
    return channel(a >> 16, b >> 16, f, lighten) << 16 | channel(a >> 8, b >> 8, f, lighten) << 8
        | channel(a, b, f, lighten);
  }

  private static int channel(int a, int b, double f, double lighten) {
    double v = (a & 0xff) + f * ((b & 0xff) - (a & 0xff));
    return (int) Math.round((1 - lighten) * v + lighten * 255);
  }
}
