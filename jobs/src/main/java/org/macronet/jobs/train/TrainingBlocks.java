package org.macronet.jobs.train;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    List<double[][]> sums = rdd.map(b -> {
      double[] su = new double[dim];
      double[] sv = new double[dim];
      PairData p = b.pairs();
      if (side != Side.V) {
        Standardization.addColumnSums(p.u(), p.rows(), dim, su);
      }
      if (side != Side.U) {
        Standardization.addColumnSums(p.v(), p.rows(), dim, sv);
      }
      return new double[][] {su, sv};
    }).collect();
    double[] mean = addInOrder(sums, side, dim);
    for (int j = 0; j < dim; j++) {
      mean[j] /= count;
    }
    List<double[][]> squares = rdd.map(b -> {
      double[] qu = new double[dim];
      double[] qv = new double[dim];
      PairData p = b.pairs();
      if (side != Side.V) {
        Standardization.addSquaredDeviations(p.u(), p.rows(), dim, mean, qu);
      }
      if (side != Side.U) {
        Standardization.addSquaredDeviations(p.v(), p.rows(), dim, mean, qv);
      }
      return new double[][] {qu, qv};
    }).collect();
    return Standardization.of(mean, addInOrder(squares, side, dim), count);
  }

  // the u parts of every block in partition order, then the v parts: the order of the stacked rows
  private static double[] addInOrder(List<double[][]> parts, Side side, int dim) {
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

  /** Training rows {@code rows} (indices into the training set) gathered to the driver, in the order given. */
  public PairData select(int[] wanted) {
    int[] sortedWanted = Arrays.stream(wanted).distinct().sorted().toArray();
    List<Tuple2<Integer, PairData>> found = rdd.map(b -> {
      int[] local = b.localRows(sortedWanted);
      int[] global = new int[local.length];
      for (int i = 0; i < local.length; i++) {
        global[i] = b.globalRows()[local[i]];
      }
      return new Tuple2<>(global, b.pairs().select(local));
    }).collect().stream().flatMap(t -> {
      List<Tuple2<Integer, PairData>> out = new ArrayList<>();
      for (int i = 0; i < t._1().length; i++) {
        out.add(new Tuple2<>(t._1()[i], t._2().select(new int[] {i})));
      }
      return out.stream();
    }).toList();
    Map<Integer, PairData> byRow = new TreeMap<>();
    found.forEach(t -> byRow.put(t._1(), t._2()));
    float[] u = new float[wanted.length * uDim];
    float[] v = new float[wanted.length * vDim];
    long[] sampleIds = new long[wanted.length];
    for (int i = 0; i < wanted.length; i++) {
      PairData one = byRow.get(wanted[i]);
      if (one == null) {
        throw new IllegalArgumentException("training row " + wanted[i] + " is not in any block (" + rows + " rows)");
      }
      System.arraycopy(one.u(), 0, u, i * uDim, uDim);
      System.arraycopy(one.v(), 0, v, i * vDim, vDim);
      sampleIds[i] = one.sampleIds()[0];
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
