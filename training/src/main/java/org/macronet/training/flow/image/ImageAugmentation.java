package org.macronet.training.flow.image;

import org.macronet.common.random.SampleRandom;

/**
 * Data augmentation by an exact symmetry of periodic images: each training row is replaced by its
 * image under an element of the group drawn uniformly at random. For a system whose outcome
 * distribution is unchanged by the group (a pattern on a periodic grid), the transformed row is an
 * equally likely outcome of the same parameters, so training on it teaches the flow that the
 * macrostate should not depend on where (or, for the lattice, in which orientation) a pattern sits.
 *
 * <p>An element is a point operation g of the square (bit 2: transpose, bit 0: mirror rows, bit 1:
 * mirror columns; only g = 0 for {@link Group#TRANSLATIONS}) followed by a periodic shift
 * (dy, dx): output pixel (y, x) of every channel is input pixel ((Y + dy) mod H, (X + dx) mod W),
 * where (Y, X) is (y, x) transposed when bit 2 is set, then Y = H - 1 - Y when bit 0 is set and
 * X = W - 1 - X when bit 1 is set.
 */
public record ImageAugmentation(ImageShape shape, Group group) implements java.io.Serializable {

  /** The group of transformations drawn from. */
  public enum Group {
    /** The H x W periodic translations. */
    TRANSLATIONS,
    /** The translations with the 8 rotations and reflections of the square (square images only). */
    LATTICE
  }

  public ImageAugmentation {
    if (group == Group.LATTICE && shape.height() != shape.width()) {
      throw new IllegalArgumentException("the lattice's rotations need a square image, found " + shape);
    }
  }

  /** The number of elements of the group. */
  public long order() {
    return (long) shape.pixels() * (group == Group.LATTICE ? 8 : 1);
  }

  /**
   * Writes to {@code dst[dstOffset ..]} the image at {@code src[srcOffset ..]} transformed by an
   * element drawn uniformly from the group with {@code random} (dy, dx, then g for the lattice).
   * {@code src} and {@code dst} must not overlap.
   */
  public void apply(float[] src, int srcOffset, float[] dst, int dstOffset, SampleRandom random) {
    int dy = random.nextInt(shape.height());
    int dx = random.nextInt(shape.width());
    int g = group == Group.LATTICE ? random.nextInt(8) : 0;
    transform(src, srcOffset, dst, dstOffset, shape, dy, dx, g);
  }

  /** The image transformed by the element (dy, dx, g) of the class comment. */
  public static void transform(float[] src, int srcOffset, float[] dst, int dstOffset, ImageShape shape, int dy,
      int dx, int g) {
    int h = shape.height();
    int w = shape.width();
    if (dy < 0 || dy >= h || dx < 0 || dx >= w || g < 0 || g > 7 || ((g & 4) != 0 && h != w)) {
      throw new IllegalArgumentException("no element (" + dy + ", " + dx + ", " + g + ") for " + shape);
    }
    int plane = h * w;
    for (int c = 0; c < shape.channels(); c++) {
      int in = srcOffset + c * plane;
      int out = dstOffset + c * plane;
      if (g == 0) {
        // a shift: each output row is the input row y + dy rotated left by dx, two copies
        for (int y = 0; y < h; y++) {
          int from = in + ((y + dy) % h) * w;
          int to = out + y * w;
          System.arraycopy(src, from + dx, dst, to, w - dx);
          System.arraycopy(src, from, dst, to + w - dx, dx);
        }
        continue;
      }
      boolean transpose = (g & 4) != 0;
      boolean mirrorRows = (g & 1) != 0;
      boolean mirrorColumns = (g & 2) != 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int sy = transpose ? x : y;
          int sx = transpose ? y : x;
          if (mirrorRows) {
            sy = h - 1 - sy;
          }
          if (mirrorColumns) {
            sx = w - 1 - sx;
          }
          dst[out + y * w + x] = src[in + ((sy + dy) % h) * w + (sx + dx) % w];
        }
      }
    }
  }

  @Override
  public String toString() {
    return group.name().toLowerCase(java.util.Locale.ROOT) + " of " + shape;
  }
}
