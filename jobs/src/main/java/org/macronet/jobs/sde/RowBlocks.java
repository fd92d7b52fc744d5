package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.train.SparkTrainer;
import scala.Tuple2;

/**
 * Training rows on the executors: some double columns as floats (the increments z0, z1, dt of a
 * pair dataset) and optionally one int8 array column (the spins of a state), in {@code partitions}
 * contiguous blocks of a fixed global order (by {@code sample_id, sweep, seed}, which identify a
 * row of the spin systems' jobs; by {@code sample_id, seed} for a field system's), so that row i is the same row however the dataset's files were split.
 * The driver holds none of them: each step it sends the parameters and the global indices of a
 * minibatch, and every block returns the sums of its share ({@link #sum}), combined along
 * {@link SparkTrainer#combine}'s fixed tree.
 */
final class RowBlocks implements AutoCloseable {

  /**
   * Rows [first, first + rows) of the global order: {@code width} floats per row, row-major, and
   * {@code bytesWidth} bytes per row of the array column (0 without one).
   */
  record Block(long first, int rows, int width, float[] values, int bytesWidth, byte[] bytes) implements Serializable {
    /** Column j of local row r. */
    float value(int r, int j) {
      return values[r * width + j];
    }
  }

  /** What a block computes for one minibatch, from the rows of it that it holds. */
  @FunctionalInterface
  interface Share<T> extends Serializable {
    T apply(Block block, int[] localRows) throws Exception;
  }

  private final JavaRDD<Block> blocks;
  private final long rows;

  private RowBlocks(JavaRDD<Block> blocks, long rows) {
    this.blocks = blocks;
    this.rows = rows;
  }

  /**
   * Reads the double columns {@code columns} (as floats) and, unless {@code arrayColumn} is null,
   * the int8 array column of {@code rowsOf} with {@code arrayLength} elements per row into blocks.
   */
  static RowBlocks load(Dataset<Row> rowsOf, List<String> columns, String arrayColumn, int arrayLength,
                        int partitions) {
    int width = columns.size();
    int bytesWidth = arrayColumn == null ? 0 : arrayLength;
    List<Column> cols = new ArrayList<>();
    for (String c : columns) {
      cols.add(col(c));
    }
    if (arrayColumn != null) {
      cols.add(col(arrayColumn));
    }
    // a spin system's rows are ordered by their sweep; a field system's by their own seed, which
    // tells a sample's rows apart as well
    String[] order = List.of(rowsOf.columns()).contains("sweep") ? new String[] {"sweep", "seed"}
        : new String[] {"seed"};
    Dataset<Row> ordered = rowsOf.orderBy("sample_id", order).select(cols.toArray(Column[]::new));
    // the reader reuses its internal rows: each is copied into a compact record at once
    JavaPairRDD<Long, Tuple2<float[], byte[]>> indexed = LatticeInputs.internalRows(ordered).map(r -> {
      float[] v = new float[width];
      for (int j = 0; j < width; j++) {
        v[j] = (float) r.getDouble(j);
      }
      byte[] a = bytesWidth == 0 ? new byte[0] : LatticeInputs.spins(r, width, bytesWidth, arrayColumn);
      return new Tuple2<>(v, a);
    }).zipWithIndex().mapToPair(Tuple2::swap);
    long n = indexed.count();
    if (n == 0) {
      throw new IllegalArgumentException("the dataset holds no rows");
    }
    int parts = (int) Math.min(partitions, n);
    JavaRDD<Block> blocks = indexed.partitionBy(new RangeOfIndex(n, parts)).mapPartitionsWithIndex((p, it) -> {
      long first = start(p, n, parts);
      int count = (int) (start(p + 1, n, parts) - first);
      if ((long) count * Math.max(width, bytesWidth) > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("a block of " + count + " rows of " + Math.max(width, bytesWidth)
            + " values does not fit one array; use more partitions");
      }
      float[] values = new float[count * width];
      byte[] bytes = new byte[count * bytesWidth];
      while (it.hasNext()) {
        Tuple2<Long, Tuple2<float[], byte[]>> t = it.next();
        int i = (int) (t._1() - first);
        System.arraycopy(t._2()._1(), 0, values, i * width, width);
        System.arraycopy(t._2()._2(), 0, bytes, i * bytesWidth, bytesWidth);
      }
      return List.of(new Block(first, count, width, values, bytesWidth, bytes)).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
    blocks.count();
    return new RowBlocks(blocks, n);
  }

  static long start(int p, long n, int parts) {
    return n * p / parts;
  }

  long rows() {
    return rows;
  }

  int partitions() {
    return blocks.getNumPartitions();
  }

  /**
   * {@code share} of every block for the minibatch {@code batch} (global indices, in the order the
   * block should see them), combined in partition order along the fixed tree.
   */
  <T> T sum(int[] batch, Share<T> share, Function0<T> empty, Function2<T, T, T> merge) {
    Broadcast<int[]> rowsOf = JavaSparkContext.fromSparkContext(blocks.context()).broadcast(batch);
    try {
      JavaPairRDD<Integer, T> partial = blocks.mapPartitionsWithIndex((index, it) -> {
        T total = empty.call();
        while (it.hasNext()) {
          Block b = it.next();
          int[] all = rowsOf.value();
          int count = 0;
          int[] local = new int[all.length];
          for (int g : all) {
            if (g >= b.first() && g < b.first() + b.rows()) {
              local[count++] = (int) (g - b.first());
            }
          }
          total = merge.call(total, share.apply(b, java.util.Arrays.copyOf(local, count)));
        }
        return List.of(new Tuple2<>(index, total)).iterator();
      }, true).mapToPair(t -> t);
      return SparkTrainer.combine(partial, blocks.getNumPartitions(), empty, merge);
    } finally {
      rowsOf.destroy();
    }
  }

  @Override
  public void close() {
    blocks.unpersist(false);
  }

  /** Partition p holds global indices [start(p), start(p + 1)). */
  private static final class RangeOfIndex extends Partitioner {
    private final long n;
    private final int parts;

    RangeOfIndex(long n, int parts) {
      this.n = n;
      this.parts = parts;
    }

    @Override
    public int numPartitions() {
      return parts;
    }

    @Override
    public int getPartition(Object key) {
      long i = (Long) key;
      int p = (int) (i * parts / n);
      while (p + 1 < parts && i >= start(p + 1, n, parts)) {
        p++;
      }
      while (p > 0 && i < start(p, n, parts)) {
        p--;
      }
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RangeOfIndex r && r.n == n && r.parts == parts;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(n) * 31 + parts;
    }
  }
}
