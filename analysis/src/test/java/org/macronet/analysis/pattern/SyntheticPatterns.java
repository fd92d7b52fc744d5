package org.macronet.analysis.pattern;

import java.util.SplittableRandom;

/** Gray-Scott-like fields for tests: channel a then channel b, size x size each, row-major. */
final class SyntheticPatterns {

  private SyntheticPatterns() {}

  /** a and b constant everywhere. */
  static float[] uniform(int size, float a, float b) {
    float[] p = new float[2 * size * size];
    for (int i = 0; i < size * size; i++) {
      p[i] = a;
      p[size * size + i] = b;
    }
    return p;
  }

  /**
   * A square lattice of discs of b = 0.3, a = 0.4 (elsewhere a = 1, b = 0): centres at
   * (x0 + period i, y0 + period j), a cell inside when its periodic distance to a centre is below
   * radius. The period must divide the size.
   */
  static float[] spots(int size, int period, double radius, double x0, double y0) {
    int n = size * size;
    float[] p = uniform(size, 1, 0);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double dx = wrap(x - x0, period);
        double dy = wrap(y - y0, period);
        if (dx * dx + dy * dy < radius * radius) {
          p[y * size + x] = 0.4f;
          p[n + y * size + x] = 0.3f;
        }
      }
    }
    return p;
  }

  /** b = 0.25 + 0.2 sin(2 pi x / period), a = 1 - b: stripes running along y. */
  static float[] stripes(int size, int period) {
    int n = size * size;
    float[] p = new float[2 * n];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        float b = (float) (0.25 + 0.2 * Math.sin(2 * Math.PI * x / period));
        p[y * size + x] = 1 - b;
        p[n + y * size + x] = b;
      }
    }
    return p;
  }

  /**
   * a uniform in [0.3, 1], b uniform in [0, 0.16]: above 0.1 on 3/8 of the cells, in many clusters
   * (below the percolation threshold), with no symmetry at all.
   */
  static float[] random(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = size * size;
    float[] p = new float[2 * n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) random.nextDouble(0.3, 1);
      p[n + i] = (float) random.nextDouble(0, 0.16);
    }
    return p;
  }

  /** Both channels shifted periodically: out(y, x) = in(y - dy, x - dx). */
  static float[] roll(float[] p, int size, int dx, int dy) {
    return map(p, size, (y, x) -> Math.floorMod(y - dy, size) * size + Math.floorMod(x - dx, size));
  }

  /** Both channels turned by 90 degrees: out(y, x) = in(size - 1 - x, y). */
  static float[] rotate(float[] p, int size) {
    return map(p, size, (y, x) -> (size - 1 - x) * size + y);
  }

  /** Both channels mirrored in the diagonal: out(y, x) = in(x, y). */
  static float[] transpose(float[] p, int size) {
    return map(p, size, (y, x) -> x * size + y);
  }

  private interface Source {
    int index(int y, int x);
  }

  private static float[] map(float[] p, int size, Source source) {
    int n = size * size;
    float[] out = new float[2 * n];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int from = source.index(y, x);
        out[y * size + x] = p[from];
        out[n + y * size + x] = p[n + from];
      }
    }
    return out;
  }

  /** The signed distance from the nearest multiple of period, in [-period/2, period/2]. */
  private static double wrap(double d, int period) {
    return d - period * Math.rint(d / period);
  }
}
