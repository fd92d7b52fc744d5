package org.macronet.jobs.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.training.data.PairData;

/**
 * Reads a dataset's (u, v) pairs into memory for the single-JVM trainer, ordered by
 * {@code sample_id} (so the result does not depend on file layout), and splits held-out rows
 * by a hash of (seed, sample_id): a row is held out in every run with the same seed and fraction.
 * (The data-parallel trainer reads its training rows with {@link TrainingBlocks} instead.)
 */
public final class PairDatasets {
  private static final long SPLIT_SALT = 0x686f6c646f7574L;

  /**
   * The validation rows that {@code train.restarts} compares its trainings on: the training rows
   * that {@link #heldOut} puts aside for {@code seed} and {@code fraction}.
   */
  public record Validation(long seed, double fraction) implements java.io.Serializable {
    /** Whether the training row {@code sampleId} is a validation row. */
    public boolean contains(long sampleId) {
      return heldOut(seed, sampleId, fraction);
    }
  }

  /** Training and held-out rows, each ordered by {@code sample_id}. */
  public record Split(PairData train, PairData heldOut) {}

  /** The held-out rows as pairs, and as dataset rows with every column (for analysis and design). */
  public record HeldOut(PairData pairs, List<Row> rows) {}

  private PairDatasets() {}

  /** Whether {@code sampleId} is held out. */
  public static boolean heldOut(long seed, long sampleId, double fraction) {
    return SampleSeeds.forSample(seed ^ SPLIT_SALT, sampleId).nextDouble() < fraction;
  }

  /**
   * {@link #heldOut} as a condition on the {@code sample_id} column, for {@code Dataset.filter}:
   * unlike a filter on whole rows, it leaves the other columns unread (and unconverted) for the
   * rows it drops.
   */
  public static Column isHeldOut(long seed, double fraction) {
    UserDefinedFunction held = functions.udf((UDF1<Long, Boolean>) id -> heldOut(seed, id, fraction),
        DataTypes.BooleanType);
    return held.apply(functions.col(DatasetSchema.SAMPLE_ID));
  }

  /** Reads the dataset at {@code dir}; the error names the directory when it is missing or not a dataset. */
  public static Dataset<Row> open(SparkSession spark, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(dir)) {
      throw new IllegalArgumentException(dir + ": no dataset here; run 'macronet generate' first (or check output.dir)");
    }
    DatasetMetadata meta = DatasetMetadata.read(fs, dir);
    refuseEnsemble(meta, dir);
    spark.conf().set(READER_BATCH, String.valueOf(readerBatch(meta.arrayShape())));
    return spark.read().parquet(dir.toString());
  }

  /** Refuses a dataset of the stochastic-dynamics method (snapshots, states or patch pairs), naming it. */
  public static void refuseEnsemble(DatasetMetadata meta, Path dir) {
    if (meta.isEnsemble()) {
      throw new IllegalArgumentException(dir + " holds " + meta.system() + " " + meta.kind() + ", not (u, v) pairs: "
          + "MacroNet does not train on it");
    }
  }

  /** Rows per batch of Spark's vectorized Parquet reader (default 4096). */
  static final String READER_BATCH = "spark.sql.parquet.columnarReaderBatchSize";

  /**
   * Rows per reader batch for rows with an array column of {@code shape} (null: none): about 1 M
   * values (4 MB of floats) a batch, between 64 and Spark's default of 4096. A batch of 4096
   * image observations of 2 x 64 x 64 floats would take 128 MB of every reading task's heap.
   */
  static int readerBatch(int[] shape) {
    long values = 1;
    if (shape != null) {
      for (int n : shape) {
        values *= n;
      }
    }
    return (int) Math.max(64, Math.min(4096, (1L << 20) / values));
  }

  /**
   * Every row, split into training and held-out rows, each ordered by {@code sample_id}, in this
   * JVM's heap. The executors pack the rows into floats and send them a partition at a time, so the
   * heap holds the packed rows and one partition in transit.
   *
   * @throws ConfigException (train.mode) before reading any row, when the packed rows would take
   *     more than {@link #HEAP_SHARE} of the heap
   */
  public static Split load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns, long seed,
      double fraction) throws IOException {
    return load(spark, dir, uColumns, vColumns, seed, fraction, true);
  }

  /**
   * Every row, ordered by {@code sample_id}, in this JVM's heap (as {@link #load} reads them);
   * {@link #split} then gives any seed's training and held-out rows.
   */
  public static PairData loadAll(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns)
      throws IOException {
    return load(spark, dir, uColumns, vColumns, 0, 0.0, false).train();
  }

  /**
   * The training and held-out rows of {@code all} ({@link #loadAll}'s rows) for a seed and
   * held-out fraction: the same rows, bit for bit and in the same order, as {@link #load} gives.
   *
   * @param dir names the dataset in errors
   */
  public static Split split(PairData all, long seed, double fraction, Path dir) {
    int n = all.rows();
    int[] train = new int[n];
    int[] held = new int[n];
    int nt = 0;
    int nh = 0;
    for (int i = 0; i < n; i++) {
      if (heldOut(seed, all.sampleId(i), fraction)) {
        held[nh++] = i;
      } else {
        train[nt++] = i;
      }
    }
    requireSplit(nt, nh, dir);
    return new Split(all.select(Arrays.copyOf(train, nt)), all.select(Arrays.copyOf(held, nh)));
  }

  private static void requireSplit(long train, long held, Path dir) {
    if (train < 2 || held == 0) {
      throw new IllegalArgumentException(dir + ": " + (train + held) + " rows give " + train + " training and " + held
          + " held-out rows; generate more samples or change train.holdout");
    }
  }

  private static Split load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns, long seed,
      double fraction, boolean requireHeldOut) throws IOException {
    Dataset<Row> ds = select(open(spark, dir), uColumns, vColumns);
    int[] widths = widths(ds, uColumns, vColumns, dir);
    int uDim = widths[0];
    int vDim = widths[1];
    long[][] ids = sortedIds(ds, seed, fraction, dir);
    long[] train = ids[0];
    long[] held = ids[1];
    if (requireHeldOut) {
      requireSplit(train.length, held.length, dir);
    }
    requireHeap(train.length + held.length, uDim, vDim, Runtime.getRuntime().maxMemory());
    float[][] trainUV = {new float[train.length * uDim], new float[train.length * vDim]};
    float[][] heldUV = {new float[held.length * uDim], new float[held.length * vDim]};
    RowPacker packer = RowPacker.of(ds.schema(), uColumns, uDim, vColumns, vDim);
    int chunkRows = Math.max(1, CHUNK_VALUES / (uDim + vDim));
    Iterator<PairData> chunks = internalRows(ds).mapPartitions((Iterator<InternalRow> it) -> new Iterator<PairData>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public PairData next() {
        float[] u = new float[chunkRows * uDim];
        float[] v = new float[chunkRows * vDim];
        long[] sampleIds = new long[chunkRows];
        int n = 0;
        while (n < chunkRows && it.hasNext()) {
          InternalRow r = it.next();
          long id = r.getLong(0);
          System.arraycopy(packer.packU(r, id), 0, u, n * uDim, uDim);
          System.arraycopy(packer.packV(r, id), 0, v, n * vDim, vDim);
          sampleIds[n++] = id;
        }
        return new PairData(Arrays.copyOf(u, n * uDim), uDim, Arrays.copyOf(v, n * vDim), vDim,
            Arrays.copyOf(sampleIds, n));
      }
    }).toLocalIterator();
    while (chunks.hasNext()) {
      PairData c = chunks.next();
      for (int i = 0; i < c.rows(); i++) {
        long id = c.sampleIds()[i];
        boolean isHeld = heldOut(seed, id, fraction);
        long[] order = isHeld ? held : train;
        float[][] to = isHeld ? heldUV : trainUV;
        int row = Arrays.binarySearch(order, id);
        System.arraycopy(c.u(), i * uDim, to[0], row * uDim, uDim);
        System.arraycopy(c.v(), i * vDim, to[1], row * vDim, vDim);
      }
    }
    return new Split(new PairData(trainUV[0], uDim, trainUV[1], vDim, train),
        new PairData(heldUV[0], uDim, heldUV[1], vDim, held));
  }

  /** Values per chunk on its way from an executor to this JVM (16 MB of floats). */
  private static final int CHUNK_VALUES = 1 << 22;

  /** The share of the heap that the packed rows of {@link #load} may take. */
  public static final double HEAP_SHARE = 0.6;

  /**
   * Refuses, before any row is read, a dataset whose packed rows ({@code rows} x (uDim + vDim)
   * floats) would take more than {@link #HEAP_SHARE} of a heap of {@code maxHeap} bytes, or
   * more values than a Java array holds.
   */
  static void requireHeap(long rows, int uDim, int vDim, long maxHeap) {
    long bytes = rows * (uDim + vDim) * (long) Float.BYTES + rows * Long.BYTES;
    boolean arrays = rows * Math.max(uDim, vDim) <= Integer.MAX_VALUE - 8;
    if (bytes > HEAP_SHARE * maxHeap || !arrays) {
      throw new ConfigException("train.mode", String.format(Locale.ROOT, "the single-JVM trainer holds every row in "
          + "its heap: %,d rows of %d values take %s, %s; set train.mode=spark (the executors keep the rows on "
          + "their local disks, and the data need not fit in memory)%s", rows, uDim + vDim, size(bytes),
          arrays ? String.format(Locale.ROOT, "more than %.0f%% of this JVM's %s heap", 100 * HEAP_SHARE,
              size(maxHeap)) : "more values than one Java array holds",
          arrays ? String.format(Locale.ROOT, ", or give the JVM a heap of at least %s (MACRONET_JAVA_OPTS=-Xmx...,"
              + " or spark-submit's --driver-memory)", size((long) Math.ceil(bytes / HEAP_SHARE))) : ""));
    }
  }

  private static String size(long bytes) {
    return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%d MiB", Math.max(1, bytes >> 20));
  }

  /** The widths of u ([0]) and v ([1]) packed as floats, from the first row; an empty dataset is refused. */
  static int[] widths(Dataset<Row> ds, List<String> uColumns, List<String> vColumns, Path dir) {
    List<Row> head = ds.takeAsList(1);
    if (head.isEmpty()) {
      throw new IllegalArgumentException(dir + ": the dataset has no rows; generate it again");
    }
    return new int[] {width(head.get(0), uColumns), width(head.get(0), vColumns)};
  }

  /** Spark SQL's rows as they leave the scan: arrays are copied out of them once, with no boxing. */
  static JavaRDD<InternalRow> internalRows(Dataset<Row> ds) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) ds).queryExecution().toRdd().toJavaRDD();
  }

  /** The sample ids of the training rows ([0]) and the held-out rows ([1]), each sorted; a repeated id is refused. */
  static long[][] sortedIds(Dataset<Row> ds, long seed, double fraction, Path dir) {
    List<long[][]> parts = ds.select(DatasetSchema.SAMPLE_ID).javaRDD().mapPartitions((Iterator<Row> it) -> {
      long[][] out = {new long[16], new long[16]};
      int[] n = new int[2];
      while (it.hasNext()) {
        long id = it.next().getLong(0);
        int side = heldOut(seed, id, fraction) ? 1 : 0;
        if (n[side] == out[side].length) {
          out[side] = Arrays.copyOf(out[side], 2 * n[side]);
        }
        out[side][n[side]++] = id;
      }
      return List.<long[][]>of(new long[][] {Arrays.copyOf(out[0], n[0]), Arrays.copyOf(out[1], n[1])}).iterator();
    }).collect();
    long[][] sorted = new long[2][];
    for (int side = 0; side < 2; side++) {
      int s = side;
      sorted[side] = parts.stream().flatMapToLong(p -> Arrays.stream(p[s])).sorted().toArray();
      for (int i = 1; i < sorted[side].length; i++) {
        if (sorted[side][i] == sorted[side][i - 1]) {
          throw new IllegalArgumentException(dir + ": sample_id " + sorted[side][i] + " appears more than once; the "
              + "dataset is corrupt (regenerate it)");
        }
      }
    }
    return sorted;
  }

  /** The sample id, u and v columns of {@code ds}. */
  static Dataset<Row> select(Dataset<Row> ds, List<String> uColumns, List<String> vColumns) {
    List<String> columns = new ArrayList<>();
    columns.add(DatasetSchema.SAMPLE_ID);
    columns.addAll(uColumns);
    columns.addAll(vColumns);
    return ds.select(columns.stream().map(functions::col).toArray(Column[]::new));
  }

  /**
   * Only the held-out rows, ordered by {@code sample_id}: filtered on the executors, so that the
   * driver holds the held-out fraction of the dataset and not all of it.
   */
  public static HeldOut loadHeldOut(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction) throws IOException {
    Dataset<Row> ds = open(spark, dir);
    List<Row> held = new ArrayList<>(ds.filter(isHeldOut(seed, fraction)).collectAsList());
    held.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID))));
    if (held.isEmpty()) {
      throw new IllegalArgumentException(dir + ": no row is held out (train.holdout = " + fraction + "); generate more "
          + "samples or raise train.holdout");
    }
    return new HeldOut(pairs(held, uColumns, vColumns), held);
  }

  /** Packs rows into floats: scalar columns as one value, array columns flattened, in column order. */
  public static PairData pairs(List<Row> rows, List<String> uColumns, List<String> vColumns) {
    int n = rows.size();
    int uDim = width(rows.get(0), uColumns);
    int vDim = width(rows.get(0), vColumns);
    float[] u = new float[n * uDim];
    float[] v = new float[n * vDim];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID));
      pack(r, uColumns, u, i * uDim, uDim, ids[i]);
      pack(r, vColumns, v, i * vDim, vDim, ids[i]);
    }
    PairData data = new PairData(u, uDim, v, vDim, ids);
    data.requireFinite(String.join(",", uColumns), String.join(",", vColumns));
    return data;
  }

  public static int width(Row r, List<String> columns) {
    int w = 0;
    for (String c : columns) {
      Object o = r.get(r.fieldIndex(c));
      w += o instanceof scala.collection.Seq<?> s ? s.size() : o instanceof List<?> l ? l.size() : 1;
    }
    return w;
  }

  /** One row's columns packed into {@code width} floats; the error names the sample id on a width mismatch. */
  public static float[] packRow(Row r, List<String> columns, int width, long id) {
    float[] out = new float[width];
    pack(r, columns, out, 0, width, id);
    return out;
  }

  /**
   * One row's columns (numbers, or float arrays) packed into {@code width} floats, for rows from
   * anywhere: a null value or a width other than {@code width} is an error naming {@code row}
   * ("sample_id 7", "row 3") and {@code expected} (what the width should match).
   */
  public static float[] packRow(Row r, List<String> columns, int width, String row, String expected) {
    for (String c : columns) {
      if (r.isNullAt(r.fieldIndex(c))) {
        throw new IllegalArgumentException(row + " has no value in column " + c);
      }
    }
    float[] out = new float[width];
    int n = put(r, columns, out, 0, width);
    if (n != width) {
      throw new IllegalArgumentException(row + " has " + n + " values in " + columns + "; " + expected + " " + width);
    }
    return out;
  }

  private static void pack(Row r, List<String> columns, float[] out, int offset, int width, long id) {
    int n = put(r, columns, out, offset, width);
    if (n != width) {
      throw new IllegalArgumentException("sample_id " + id + ": " + columns + " hold " + n + " values, other rows "
          + width);
    }
  }

  /**
   * Writes the row's columns into {@code out} from {@code offset}, at most {@code width} values,
   * and returns how many the columns hold (more than {@code width} when they do not fit). A null
   * array element is written as NaN.
   */
  private static int put(Row r, List<String> columns, float[] out, int offset, int width) {
    int k = 0;
    for (String c : columns) {
      int idx = r.fieldIndex(c);
      Object o = r.get(idx);
      if (o instanceof Number num) {
        if (k < width) {
          out[offset + k] = num.floatValue();
        }
        k++;
      } else {
        List<Object> list = r.getList(idx);
        for (Object x : list) {
          if (k < width) {
            out[offset + k] = x == null ? Float.NaN : ((Number) x).floatValue();
          }
          k++;
        }
      }
    }
    return k;
  }
}
