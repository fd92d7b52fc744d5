package org.macronet.jobs.train;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.storage.StorageLevel;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.data.PairFile;
import org.macronet.training.data.PairRows;
import org.macronet.training.flow.Standardization;
import scala.Tuple2;

/**
 * The training (or held-out) rows of a dataset as the data-parallel trainer holds them: read by
 * the executors straight from the Parquet files and kept as one {@link PairBlock} per partition,
 * nothing but the sample ids passing through the driver. Row r of the training set is the r-th
 * training {@code sample_id} in ascending order (as {@link PairDatasets#load} orders them for the
 * single JVM), and partition k holds rows [k n / P, (k + 1) n / P), as {@link PairBlock#split} cuts
 * them; so the blocks, and every sum over them, do not depend on how the files were written or read.
 *
 * <p>Out of the heap's way: each row is packed on the executor that reads it, sent to its block's
 * partition through Spark's shuffle (which streams and spills), and written at its place in a
 * {@link PairFile} on that executor's local disk; the cached block is a small handle to that file
 * (8 bytes a row of sample ids, 4 of row indices). Training reads its minibatch rows from the file,
 * so a partition's share of the data may be far larger than the executor's heap; the page cache
 * keeps in memory what fits. The files live in Spark's local directories, which Spark removes when
 * the executor stops; {@link #close} deletes them sooner.
 *
 * <p>Lost partitions (an executor gone) are rebuilt from the lineage: the same files, the same
 * broadcast ids, the same blocks.
 */
public final class TrainingBlocks implements AutoCloseable {
  /** Values per chunk when a pass reads a whole block (16 MB of floats). */
  private static final int PASS_VALUES = 1 << 22;
  /** Values per round of {@link #select}. */
  private static final int SELECT_VALUES = 1 << 20;
  private final JavaRDD<PairBlock> rdd;
  private final Broadcast<long[]> ids;
  private final int rows;
  private final int uDim;
  private final int vDim;

  private TrainingBlocks(JavaRDD<PairBlock> rdd, Broadcast<long[]> ids, int rows, int uDim, int vDim) {
    this.rdd = rdd;
    this.ids = ids;
    this.rows = rows;
    this.uDim = uDim;
    this.vDim = vDim;
  }

  /** One row on its way to its block: its index in the row set and its values as the block's file stores them. */
  private record Packed(int row, long sampleId, byte[] values) implements Serializable {}

  /**
   * Reads the training rows (those not held out by {@code seed} and {@code fraction}) of the dataset
   * at {@code dir} into {@code partitions} blocks.
   *
   * @throws IllegalArgumentException naming the directory when there are too few rows, or a
   *     {@code sample_id} that appears twice; naming the row and column of a non-finite value
   */
  public static TrainingBlocks load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction, int partitions) throws IOException {
    return load(spark, dir, uColumns, vColumns, seed, fraction, false, null, partitions);
  }

  /**
   * As {@link #load}, of the training rows only those that {@code validation} puts on its
   * {@code side}: the rows a restart trains on ({@code false}), or the validation rows that
   * compare the restarts ({@code true}); every training row when {@code validation} is null.
   */
  public static TrainingBlocks load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction, PairDatasets.Validation validation, boolean side, int partitions)
      throws IOException {
    return load(spark, dir, uColumns, vColumns, seed, fraction, false,
        validation == null ? null : id -> validation.contains(id) == side, partitions);
  }

  /**
   * As {@link #load}, the held-out rows instead, ordered by {@code sample_id}: for evaluating the
   * held-out loss on the executors.
   */
  public static TrainingBlocks loadHeldOut(SparkSession spark, Path dir, List<String> uColumns,
      List<String> vColumns, long seed, double fraction, int partitions) throws IOException {
    return load(spark, dir, uColumns, vColumns, seed, fraction, true, null, partitions);
  }

  private static TrainingBlocks load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction, boolean heldOut, java.util.function.LongPredicate keep, int partitions)
      throws IOException {
    if (partitions < 1) {
      throw new IllegalArgumentException("train.partitions must be >= 1, found " + partitions);
    }
    Dataset<Row> ds = PairDatasets.select(PairDatasets.open(spark, dir), uColumns, vColumns);
    int[] widths = PairDatasets.widths(ds, uColumns, vColumns, dir);
    int uDim = widths[0];
    int vDim = widths[1];
    RowPacker packer = RowPacker.of(ds.schema(), uColumns, uDim, vColumns, vDim);
    long[] sorted = PairDatasets.sortedIds(ds, seed, fraction, dir)[heldOut ? 1 : 0];
    if (keep != null) {
      sorted = Arrays.stream(sorted).filter(keep).toArray();
    }
    if (heldOut ? sorted.length < 1 : sorted.length < 2) {
      throw new IllegalArgumentException(dir + ": " + sorted.length + (heldOut ? " held-out" : " training")
          + " rows; generate more samples or change train.holdout");
    }
    int n = sorted.length;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<long[]> ids = sc.broadcast(sorted);
    JavaRDD<PairBlock> blocks = PairDatasets.internalRows(ds)
        .flatMapToPair((InternalRow r) -> {
          long id = r.getLong(0);
          int row = Arrays.binarySearch(ids.value(), id);
          if (row < 0) {
            return Collections.emptyIterator();
          }
          Packed p = new Packed(row, id, PairFile.encode(packer.packU(r, id), packer.packV(r, id)));
          return List.of(new Tuple2<>(blockOf(row, n, partitions), p)).iterator();
        })
        // keys are block indices 0..P-1, which a HashPartitioner of P puts in partition k = key
        .partitionBy(new HashPartitioner(partitions))
        .mapPartitionsWithIndex((Integer k, Iterator<Tuple2<Integer, Packed>> it) -> {
          int from = (int) ((long) k * n / partitions);
          int to = (int) ((long) (k + 1) * n / partitions);
          try (PairFile.Writer w = PairFile.create(localFile(), to - from, uDim, vDim)) {
            while (it.hasNext()) {
              Packed p = it.next()._2();
              w.put(p.row() - from, p.sampleId(), p.values());
            }
            int[] global = new int[to - from];
            Arrays.setAll(global, i -> from + i);
            return List.of(new PairBlock(w.finish(), global)).iterator();
          }
        }, true)
        .persist(StorageLevel.MEMORY_ONLY());
    long cached = blocks.map(PairBlock::rows).fold(0, Integer::sum);
    if (cached != n) {
      throw new IllegalStateException(dir + ": cached " + cached + " rows, expected " + n);
    }
    return new TrainingBlocks(blocks, ids, n, uDim, vDim);
  }

  /** A new file in this executor's Spark local directories (removed when the executor stops). */
  private static java.nio.file.Path localFile() {
    return SparkEnv.get().blockManager().diskBlockManager().createTempLocalBlock()._2().toPath();
  }

  /** The block of training row {@code row}: the k with k n / P <= row < (k + 1) n / P. */
  static int blockOf(int row, int n, int partitions) {
    int k = (int) ((long) row * partitions / n);
    while (k + 1 < partitions && (long) (k + 1) * n / partitions <= row) {
      k++;
    }
    while (k > 0 && (long) k * n / partitions > row) {
      k--;
    }
    return k;
  }

  /** The cached blocks, one per partition. */
  public JavaRDD<PairBlock> rdd() {
    return rdd;
  }

  /** Training rows in all blocks. */
  public int rows() {
    return rows;
  }

  public int uDim() {
    return uDim;
  }

  public int vDim() {
    return vDim;
  }

  public int partitions() {
    return rdd.getNumPartitions();
  }

  /**
   * The input standardisation fitted on all training rows, as {@link Standardization#fit} fits it
   * in one JVM: two passes (column sums, then squared deviations from the mean), each summed per
   * block in row order and then over the blocks in partition order. With one partition the sums
   * are the single JVM's, bit for bit; with more they differ only in the order of double additions.
   * {@code stacked}: one standardisation of u and v stacked (u rows, then v rows), as for a shared
   * flow; otherwise u's (v's is {@link #standardizationV}).
   */
  public Standardization standardizationU(boolean stacked) {
    return standardization(stacked ? Side.BOTH : Side.U);
  }

  public Standardization standardizationV() {
    return standardization(Side.V);
  }

  private enum Side { U, V, BOTH }

  private Standardization standardization(Side side) {
    int dim = side == Side.V ? vDim : uDim;
    long count = side == Side.BOTH ? 2L * rows : rows;
    double[] mean = sumOverBlocks(side, dim, Standardization::addColumnSums);
    for (int j = 0; j < dim; j++) {
      mean[j] /= count;
    }
    double[] squares = sumOverBlocks(side, dim, (x, n, d, acc) -> Standardization.addSquaredDeviations(x, n, d, mean, acc));
    return Standardization.of(mean, squares, count);
  }

  /** One pass of {@link Standardization#fit} over a block's rows of one side. */
  private interface ColumnPass extends Serializable {
    void add(float[] x, int n, int dim, double[] acc);
  }

  /**
   * {@code pass} summed per block (u and v apart), then the u parts of every block in partition
   * order and the v parts after them: the order of the rows stacked u first, then v.
   */
  private double[] sumOverBlocks(Side side, int dim, ColumnPass pass) {
    int chunk = Math.max(1, PASS_VALUES / (uDim + vDim));
    List<double[][]> parts = rdd.map(b -> {
      double[][] acc = new double[2][dim];
      PairRows p = b.pairs();
      float[] u = new float[Math.min(chunk, p.rows()) * p.uDim()];
      float[] v = new float[Math.min(chunk, p.rows()) * p.vDim()];
      // a chunk of rows at a time, each chunk's rows in order: the sums of one pass over the block
      for (int from = 0; from < p.rows(); from += chunk) {
        int to = Math.min(p.rows(), from + chunk);
        p.readRange(from, to, u, v);
        if (side != Side.V) {
          pass.add(u, to - from, dim, acc[0]);
        }
        if (side != Side.U) {
          pass.add(v, to - from, dim, acc[1]);
        }
      }
      return acc;
    }).collect();
    double[] total = new double[dim];
    for (int s = 0; s < 2; s++) {
      if (s == 0 && side == Side.V || s == 1 && side == Side.U) {
        continue;
      }
      for (double[][] part : parts) {
        for (int j = 0; j < dim; j++) {
          total[j] += part[s][j];
        }
      }
    }
    return total;
  }

  /**
   * Training rows {@code wanted} (indices into the training set) gathered to the driver, in the
   * order given. They come in rounds of at most {@link #SELECT_VALUES} values (4 MB), each written
   * into the result before the next is fetched, so that the driver holds the result and one round
   * rather than every block's share at once, serialised and deserialised: for ActNorm's 4,096
   * rows of 8 KB (2 x 32 x 32 patterns), 42 MB at the peak instead of about 100 MB.
   */
  public PairData select(int[] wanted) {
    int[] distinct = Arrays.stream(wanted).distinct().sorted().toArray();
    Map<Integer, List<Integer>> positions = new HashMap<>();
    for (int k = 0; k < wanted.length; k++) {
      positions.computeIfAbsent(wanted[k], x -> new ArrayList<>()).add(k);
    }
    float[] u = new float[wanted.length * uDim];
    float[] v = new float[wanted.length * vDim];
    long[] sampleIds = new long[wanted.length];
    int round = Math.max(1, SELECT_VALUES / (uDim + vDim));
    int filled = 0;
    for (int from = 0; from < distinct.length; from += round) {
      int[] these = Arrays.copyOfRange(distinct, from, Math.min(distinct.length, from + round));
      // each block's share of this round, with the training-set index of each of its rows
      List<PairBlock> shares = rdd.map(b -> {
        int[] local = b.localRows(these);
        int[] global = new int[local.length];
        for (int i = 0; i < local.length; i++) {
          global[i] = b.globalRows()[local[i]];
        }
        return new PairBlock(b.pairs().select(local), global);
      }).collect();
      for (PairBlock share : shares) {
        int[] global = share.globalRows();
        for (int i = 0; i < global.length; i++) {
          for (int k : positions.getOrDefault(global[i], List.of())) {
            share.pairs().read(i, u, k * uDim, v, k * vDim);
            sampleIds[k] = share.pairs().sampleId(i);
            filled++;
          }
        }
      }
    }
    if (filled != wanted.length) {
      throw new IllegalArgumentException("gathered " + filled + " of " + wanted.length + " training rows; some are "
          + "not in any block (" + rows + " rows)");
    }
    return new PairData(u, uDim, v, vDim, sampleIds);
  }

  /** Deletes the blocks' files, drops the cached blocks and the broadcast ids. */
  @Override
  public void close() {
    rdd.foreachPartition(it -> {
      while (it.hasNext()) {
        if (it.next().pairs() instanceof PairFile f) {
          f.delete();
        }
      }
    });
    rdd.unpersist(false);
    ids.destroy();
  }
}
