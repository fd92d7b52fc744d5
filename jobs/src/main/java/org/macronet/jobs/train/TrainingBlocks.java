package org.macronet.jobs.train;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;
import scala.Tuple2;

/**
 * The training rows of a dataset as the data-parallel trainer holds them: read by the executors
 * straight from the Parquet files and cached as one {@link PairBlock} per partition, nothing but
 * the sample ids passing through the driver. Row r of the training set is the r-th training
 * {@code sample_id} in ascending order (as {@link PairDatasets#load} orders them for the single
 * JVM), and partition k holds rows [k n / P, (k + 1) n / P), as {@link PairBlock#split} cuts them;
 * so the blocks, and every sum over them, do not depend on how the files were written or read.
 *
 * <p>Lost partitions (an executor gone) are rebuilt from the lineage: the same files, the same
 * broadcast ids, the same blocks.
 */
public final class TrainingBlocks implements AutoCloseable {
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

  /** One training row on its way to its block: its index in the training set and its packed values. */
  private record Packed(int row, long sampleId, float[] u, float[] v) implements Serializable {}

  /**
   * Reads the training rows (those not held out by {@code seed} and {@code fraction}) of the dataset
   * at {@code dir} into {@code partitions} cached blocks.
   *
   * @throws IllegalArgumentException naming the directory when there are too few rows, or a
   *     {@code sample_id} that appears twice; naming the row and column of a non-finite value
   */
  public static TrainingBlocks load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction, int partitions) throws IOException {
    if (partitions < 1) {
      throw new IllegalArgumentException("train.partitions must be >= 1, found " + partitions);
    }
    List<String> columns = new ArrayList<>();
    columns.add(DatasetSchema.SAMPLE_ID);
    columns.addAll(uColumns);
    columns.addAll(vColumns);
    Dataset<Row> ds = PairDatasets.open(spark, dir).select(columns.stream().map(functions::col).toArray(Column[]::new));
    List<Row> head = ds.takeAsList(1);
    if (head.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the dataset has no rows; generate it again");
    }
    Row first = head.get(0);
    int uDim = PairDatasets.width(first, uColumns);
    int vDim = PairDatasets.width(first, vColumns);

    List<long[]> parts = ds.select(DatasetSchema.SAMPLE_ID).javaRDD().mapPartitions((Iterator<Row> it) -> {
      long[] out = new long[16];
      int n = 0;
      while (it.hasNext()) {
        long id = it.next().getLong(0);
        if (!PairDatasets.heldOut(seed, id, fraction)) {
          if (n == out.length) {
            out = Arrays.copyOf(out, 2 * n);
          }
          out[n++] = id;
        }
      }
      return List.of(Arrays.copyOf(out, n)).iterator();
    }).collect();
    long[] sorted = parts.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalArgumentException(dir + ": sample_id " + sorted[i] + " appears more than once; the dataset "
            + "is corrupt (regenerate it)");
      }
    }
    if (sorted.length < 2) {
      throw new IllegalArgumentException(dir + ": " + sorted.length + " training rows; generate more samples or "
          + "change train.holdout");
    }
    int n = sorted.length;
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<long[]> ids = sc.broadcast(sorted);
    JavaRDD<PairBlock> blocks = ds.javaRDD()
        .flatMapToPair((Row r) -> {
          long id = r.getLong(0);
          int row = Arrays.binarySearch(ids.value(), id);
          if (row < 0) {
            return List.<Tuple2<Integer, Packed>>of().iterator();
          }
          Packed p = new Packed(row, id, PairDatasets.packRow(r, uColumns, uDim, id),
              PairDatasets.packRow(r, vColumns, vDim, id));
          return List.of(new Tuple2<>(blockOf(row, n, partitions), p)).iterator();
        })
        // keys are block indices 0..P-1, which a HashPartitioner of P puts in partition k = key
        .partitionBy(new HashPartitioner(partitions))
        .mapPartitions((Iterator<Tuple2<Integer, Packed>> it) -> {
          List<Packed> list = new ArrayList<>();
          it.forEachRemaining(t -> list.add(t._2()));
          return List.of(block(list, uDim, vDim, uColumns, vColumns)).iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    long cached = blocks.map(PairBlock::rows).fold(0, Integer::sum);
    if (cached != n) {
      throw new IllegalStateException(dir + ": cached " + cached + " training rows, expected " + n);
    }
    return new TrainingBlocks(blocks, ids, n, uDim, vDim);
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

  private static PairBlock block(List<Packed> rows, int uDim, int vDim, List<String> uColumns, List<String> vColumns) {
    rows.sort(Comparator.comparingInt(Packed::row));
    int n = rows.size();
    float[] u = new float[n * uDim];
    float[] v = new float[n * vDim];
    long[] sampleIds = new long[n];
    int[] global = new int[n];
    for (int i = 0; i < n; i++) {
      Packed p = rows.get(i);
      System.arraycopy(p.u(), 0, u, i * uDim, uDim);
      System.arraycopy(p.v(), 0, v, i * vDim, vDim);
      sampleIds[i] = p.sampleId();
      global[i] = p.row();
    }
    PairData data = new PairData(u, uDim, v, vDim, sampleIds);
    data.requireFinite(String.join(",", uColumns), String.join(",", vColumns));
    return new PairBlock(data, global);
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
    List<double[][]> parts = rdd.map(b -> {
      double[][] acc = new double[2][dim];
      PairData p = b.pairs();
      if (side != Side.V) {
        pass.add(p.u(), p.rows(), dim, acc[0]);
      }
      if (side != Side.U) {
        pass.add(p.v(), p.rows(), dim, acc[1]);
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

  /** Training rows {@code wanted} (indices into the training set) gathered to the driver, in the order given. */
  public PairData select(int[] wanted) {
    int[] distinct = Arrays.stream(wanted).distinct().sorted().toArray();
    // each block's share, with the training-set index of each of its rows
    List<PairBlock> shares = rdd.map(b -> {
      int[] local = b.localRows(distinct);
      int[] global = new int[local.length];
      for (int i = 0; i < local.length; i++) {
        global[i] = b.globalRows()[local[i]];
      }
      return new PairBlock(b.pairs().select(local), global);
    }).collect();
    Map<Integer, int[]> where = new HashMap<>();
    for (int s = 0; s < shares.size(); s++) {
      int[] global = shares.get(s).globalRows();
      for (int i = 0; i < global.length; i++) {
        where.put(global[i], new int[] {s, i});
      }
    }
    float[] u = new float[wanted.length * uDim];
    float[] v = new float[wanted.length * vDim];
    long[] sampleIds = new long[wanted.length];
    for (int k = 0; k < wanted.length; k++) {
      int[] at = where.get(wanted[k]);
      if (at == null) {
        throw new IllegalArgumentException("training row " + wanted[k] + " is not in any block (" + rows + " rows)");
      }
      PairData from = shares.get(at[0]).pairs();
      System.arraycopy(from.u(), at[1] * uDim, u, k * uDim, uDim);
      System.arraycopy(from.v(), at[1] * vDim, v, k * vDim, vDim);
      sampleIds[k] = from.sampleIds()[at[1]];
    }
    return new PairData(u, uDim, v, vDim, sampleIds);
  }

  /** Drops the cached blocks and the broadcast ids. */
  @Override
  public void close() {
    rdd.unpersist(false);
    ids.destroy();
  }
}
