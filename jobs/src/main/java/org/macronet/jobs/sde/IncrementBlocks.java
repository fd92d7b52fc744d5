package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.macronet.jobs.train.SparkTrainer;
import scala.Tuple2;

/**
 * Increments (z0, z1, dt) of a pair dataset on the executors, in {@code partitions} contiguous
 * blocks of a fixed global order (by {@code sample_id, sweep, seed}, which identify a pair), so that
 * row i is the same row however the dataset's files were split. The driver holds none of them:
 * each step it sends the parameters and the global indices of a minibatch, and every block returns
 * the sums of its share ({@link #sum}), combined along {@link SparkTrainer#combine}'s fixed tree.
 */
final class IncrementBlocks implements AutoCloseable {

  /** Rows [first, first + rows) of the global order: n x d states before and after, n durations. */
  record Block(long first, int rows, int d, float[] z0, float[] z1, float[] dt) implements Serializable {}

  /** What a block computes for one minibatch, from the rows of it that it holds. */
  @FunctionalInterface
  interface Share<T> extends Serializable {
    T apply(Block block, int[] localRows) throws Exception;
  }

  private final JavaRDD<Block> blocks;
  private final long rows;

  private IncrementBlocks(JavaRDD<Block> blocks, long rows) {
    this.blocks = blocks;
    this.rows = rows;
  }

  /** Reads columns {@code z0} and {@code z1} (doubles) and {@code dt} of {@code pairs} into blocks. */
  static IncrementBlocks load(Dataset<Row> pairs, List<String> z0, List<String> z1, int partitions) {
    int d = z0.size();
    List<Column> cols = new ArrayList<>();
    for (String c : z0) {
      cols.add(col(c));
    }
    for (String c : z1) {
      cols.add(col(c));
    }
    cols.add(col("dt"));
    Dataset<Row> ordered = pairs.orderBy("sample_id", "sweep", "seed").select(cols.toArray(Column[]::new));
    JavaPairRDD<Long, Row> indexed = ordered.javaRDD().zipWithIndex().mapToPair(Tuple2::swap);
    long n = indexed.count();
    if (n == 0) {
      throw new IllegalArgumentException("the pair dataset holds no rows");
    }
    int parts = (int) Math.min(partitions, n);
    JavaRDD<Block> blocks = indexed.partitionBy(new RangeOfIndex(n, parts)).mapPartitionsWithIndex((p, it) -> {
      long first = start(p, n, parts);
      int count = (int) (start(p + 1, n, parts) - first);
      float[] a = new float[count * d];
      float[] b = new float[count * d];
      float[] dt = new float[count];
      while (it.hasNext()) {
        Tuple2<Long, Row> t = it.next();
        int i = (int) (t._1() - first);
        Row r = t._2();
        for (int j = 0; j < d; j++) {
          a[i * d + j] = (float) r.getDouble(j);
          b[i * d + j] = (float) r.getDouble(d + j);
        }
        dt[i] = (float) r.getDouble(2 * d);
      }
      return List.of(new Block(first, count, d, a, b, dt)).iterator();
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
    blocks.count();
    return new IncrementBlocks(blocks, n);
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
    Broadcast<int[]> rowsOf = JavaSparkContextHolder.broadcast(blocks, batch);
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

  /** The Spark context of an RDD, for its broadcasts. */
  private static final class JavaSparkContextHolder {
    static <T> Broadcast<T> broadcast(JavaRDD<?> rdd, T value) {
      return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(rdd.context()).broadcast(value);
    }
  }
}
