package org.macronet.analysis.pattern;

import java.util.Arrays;

/**
 * Connected components of the cells of a periodic field above a threshold, with
 * 4-connectivity and wrap-around at the edges (a pattern on a torus has no border).
 *
 * @param count number of components
 * @param sizes cells in each component, largest first
 * @param cells total cells above the threshold
 */
public record ConnectedComponents(int count, int[] sizes, int cells) {

  /**
   * Labels the cells of {@code field[offset .. offset + height * width)} (row-major) with
   * value strictly above {@code threshold}.
   */
  public static ConnectedComponents of(float[] field, int offset, int height, int width, double threshold) {
    int n = height * width;
    int[] label = new int[n];
    Arrays.fill(label, -1);
    int[] stack = new int[n];
    int[] sizes = new int[n];
    int count = 0;
    int cells = 0;
    for (int start = 0; start < n; start++) {
      if (label[start] >= 0 || !(field[offset + start] > threshold)) {
        continue;
      }
      int top = 0;
      stack[top++] = start;
      label[start] = count;
      int size = 0;
      while (top > 0) {
        int i = stack[--top];
        size++;
        int y = i / width;
        int x = i - y * width;
        int[] neighbours = {
          y * width + (x == 0 ? width - 1 : x - 1),
          y * width + (x == width - 1 ? 0 : x + 1),
          (y == 0 ? height - 1 : y - 1) * width + x,
          (y == height - 1 ? 0 : y + 1) * width + x
        };
        for (int j : neighbours) {
          if (label[j] < 0 && field[offset + j] > threshold) {
            label[j] = count;
            stack[top++] = j;
          }
        }
      }
      sizes[count++] = size;
      cells += size;
    }
    int[] out = Arrays.copyOf(sizes, count);
    Arrays.sort(out);
    for (int i = 0, j = count - 1; i < j; i++, j--) {
      int t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return new ConnectedComponents(count, out, cells);
  }

  /** Size of the largest component, 0 when there is none. */
  public int largest() {
    return count == 0 ? 0 : sizes[0];
  }

  /** Fraction of the above-threshold cells that lie in the largest component. */
  public double largestFraction() {
    return cells == 0 ? 0 : (double) largest() / cells;
  }
}
