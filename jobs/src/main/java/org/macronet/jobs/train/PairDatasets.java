package org.macronet.jobs.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.simulation.random.SampleSeeds;
import org.macronet.training.data.PairData;

/**
 * Reads a dataset's (u, v) pairs into memory for the single-JVM trainer, ordered by
 * {@code sample_id} (so the result does not depend on file layout), and splits held-out rows
 * by a hash of (seed, sample_id): a row is held out in every run with the same seed and fraction.
 * (The data-parallel trainer reads its training rows with {@link TrainingBlocks} instead.)
 */
public final class PairDatasets {
  private static final long SPLIT_SALT = 0x686f6c646f7574L;

  /** Training and held-out rows, and every other scalar column of the held-out rows. */
  public record Split(PairData train, HeldOut heldOut) {}

  /** The held-out rows as pairs, and as dataset rows with every column (for analysis and design). */
  public record HeldOut(PairData pairs, List<Row> rows) {}

  private PairDatasets() {}

  /** Whether {@code sampleId} is held out. */
  public static boolean heldOut(long seed, long sampleId, double fraction) {
    return SampleSeeds.forSample(seed ^ SPLIT_SALT, sampleId).nextDouble() < fraction;
  }

  /** Reads the dataset at {@code dir}; the error names the directory when it is missing or not a dataset. */
  public static Dataset<Row> open(SparkSession spark, Path dir) throws IOException {
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(dir)) {
      throw new IllegalArgumentException(dir + ": no dataset here; run 'macronet generate' first (or check output.dir)");
    }
    DatasetMetadata.read(fs, dir);
    return spark.read().parquet(dir.toString());
  }

  /** Every row, split into training and held-out rows, each ordered by {@code sample_id}. */
  public static Split load(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns, long seed,
      double fraction) throws IOException {
    Dataset<Row> ds = open(spark, dir);
    List<Row> rows = new ArrayList<>(ds.collectAsList());
    rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID))));
    List<Row> train = new ArrayList<>();
    List<Row> held = new ArrayList<>();
    for (Row r : rows) {
      (heldOut(seed, r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID)), fraction) ? held : train).add(r);
    }
    if (train.size() < 2 || held.isEmpty()) {
      throw new IllegalArgumentException(dir + ": " + rows.size() + " rows give " + train.size() + " training and "
          + held.size() + " held-out rows; generate more samples or change train.holdout");
    }
    return new Split(pairs(train, uColumns, vColumns), new HeldOut(pairs(held, uColumns, vColumns), held));
  }

  /**
   * Only the held-out rows, ordered by {@code sample_id}: filtered on the executors, so that the
   * driver holds the held-out fraction of the dataset and not all of it.
   */
  public static HeldOut loadHeldOut(SparkSession spark, Path dir, List<String> uColumns, List<String> vColumns,
      long seed, double fraction) throws IOException {
    Dataset<Row> ds = open(spark, dir);
    List<Row> held = new ArrayList<>(ds.javaRDD()
        .filter(r -> heldOut(seed, r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID)), fraction)).collect());
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

  static int width(Row r, List<String> columns) {
    int w = 0;
    for (String c : columns) {
      Object o = r.get(r.fieldIndex(c));
      w += o instanceof scala.collection.Seq<?> s ? s.size() : o instanceof List<?> l ? l.size() : 1;
    }
    return w;
  }

  /** One row's columns packed into {@code width} floats; the error names the sample id on a width mismatch. */
  static float[] packRow(Row r, List<String> columns, int width, long id) {
    float[] out = new float[width];
    pack(r, columns, out, 0, width, id);
    return out;
  }

  private static void pack(Row r, List<String> columns, float[] out, int offset, int width, long id) {
    int k = offset;
    for (String c : columns) {
      int idx = r.fieldIndex(c);
      Object o = r.get(idx);
      if (o instanceof Number num) {
        out[k++] = num.floatValue();
      } else {
        List<Object> list = r.getList(idx);
        for (Object x : list) {
          out[k++] = ((Number) x).floatValue();
        }
      }
    }
    if (k - offset != width) {
      throw new IllegalArgumentException("sample_id " + id + ": " + columns + " hold " + (k - offset)
          + " values, other rows " + width);
    }
  }
}
