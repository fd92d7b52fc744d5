package org.macronet.training.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of training rows held by one worker (a Spark partition): the rows' (u, v) values (in
 * memory, or in a {@link PairFile} on the worker's disk; a PairRows that is also Serializable), and
 * for each local row its index in the whole training set ({@code globalRows}, strictly
 * ascending). The global index is what minibatch schedules and training noise are keyed by, so a
 * worker sees exactly the rows, and the noise, that a single JVM would.
 */
public record PairBlock(PairRows pairs, int[] globalRows) implements Serializable {
  private static final long serialVersionUID = 1L;

  public PairBlock {
    if (!(pairs instanceof Serializable)) {
      throw new IllegalArgumentException("a block's rows travel between workers and must be Serializable, found "
          + pairs.getClass().getName());
    }
    if (globalRows.length != pairs.rows()) {
      throw new IllegalArgumentException("a block of " + pairs.rows() + " rows needs as many global indices, found "
          + globalRows.length);
    }
    for (int i = 0; i < globalRows.length; i++) {
      if (globalRows[i] < 0 || i > 0 && globalRows[i] <= globalRows[i - 1]) {
        throw new IllegalArgumentException("global row indices must be >= 0 and strictly ascending, found "
            + globalRows[i] + " at local row " + i);
      }
    }
  }

  /** Rows [from, to) of {@code data}, keeping their indices in {@code data} as global indices. */
  public static PairBlock slice(PairData data, int from, int to) {
    if (from < 0 || to < from || to > data.rows()) {
      throw new IllegalArgumentException("rows [" + from + ", " + to + ") are not within 0.." + data.rows());
    }
    int[] global = new int[to - from];
    for (int i = 0; i < global.length; i++) {
      global[i] = from + i;
    }
    return new PairBlock(data.select(global), global);
  }

  /**
   * {@code data} cut into {@code parts} contiguous blocks of sizes differing by at most one
   * (block k holds rows [k n / parts, (k + 1) n / parts)); with more parts than rows some are empty.
   */
  public static PairBlock[] split(PairData data, int parts) {
    if (parts <= 0) {
      throw new IllegalArgumentException("parts must be > 0, found " + parts);
    }
    PairBlock[] out = new PairBlock[parts];
    int n = data.rows();
    for (int k = 0; k < parts; k++) {
      out[k] = slice(data, (int) ((long) k * n / parts), (int) ((long) (k + 1) * n / parts));
    }
    return out;
  }

  public int rows() {
    return globalRows.length;
  }

  /**
   * This block's share of a global minibatch: the local index of every minibatch row the block
   * holds, in minibatch order (a row drawn twice appears twice).
   */
  public int[] localRows(int[] minibatch) {
    int[] local = new int[minibatch.length];
    int n = 0;
    for (int row : minibatch) {
      int i = Arrays.binarySearch(globalRows, row);
      if (i >= 0) {
        local[n++] = i;
      }
    }
    return Arrays.copyOf(local, n);
  }
}
