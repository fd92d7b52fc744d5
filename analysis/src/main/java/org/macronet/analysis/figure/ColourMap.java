package org.macronet.analysis.figure;

import java.awt.Color;

/**
 * Viridis (matplotlib's perceptually uniform map, dark violet to yellow), linearly interpolated
 * between 9 anchors and lightened towards white so that markers drawn over it stay visible.
 */
final class ColourMap {

  private static final int[] ANCHORS = {
    0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725
  };

  /** Fraction of white mixed in: {@code c = (1 - LIGHTEN) viridis + LIGHTEN white}. */
  private static final double LIGHTEN = 0.35;

  private ColourMap() {}

  /** The colour at {@code t} in [0, 1] (clamped), as 0xRRGGBB. */
  static int rgb(double t) {
    double s = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
    int i = Math.min((int) s, ANCHORS.length - 2);
    double f = s - i;
    int a = ANCHORS[i];
    int b = ANCHORS[i + 1];
    return channel(a >> 16, b >> 16, f) << 16 | channel(a >> 8, b >> 8, f) << 8 | channel(a, b, f);
  }

  static Color colour(double t) {
    return new Color(rgb(t));
  }

  private static int channel(int a, int b, double f) {
    double v = (a & 0xff) + f * ((b & 0xff) - (a & 0xff));
    return (int) Math.round((1 - LIGHTEN) * v + LIGHTEN * 255);
  }
}
