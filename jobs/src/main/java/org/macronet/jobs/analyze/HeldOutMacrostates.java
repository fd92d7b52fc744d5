package org.macronet.jobs.analyze;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.PairDatasets;
import org.macronet.jobs.train.TrainedRun;
import org.macronet.experiment.HeldOut;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.TrainedMacroNet;

/**
 * The macrostates of the held-out rows, computed on the executors: each task reads its held-out
 * rows, maps them through both flows a chunk at a time and writes them, with every dataset column
 * and {@code macro_u_k}, {@code macro_v_k}, to {@code macrostates.parquet} (ordered by
 * {@code sample_id}). Only the sample ids, the u columns, the macrostates and the scalar columns a
 * study asks for come back to the driver, as a {@link HeldOut}: never the observations v.
 */
public final class HeldOutMacrostates {
  public static final String FILE = "macrostates.parquet";
  /** Rows per pass through the flows on an executor. */
  private static final int CHUNK = 64;

  private HeldOutMacrostates() {}

  /**
   * Computes the held-out macrostates of {@code in}'s dataset with its model, writes
   * {@code <dir>/macrostates.parquet} and returns what the analysis needs.
   *
   * @param extras scalar dataset columns to bring back besides u
   * @throws IllegalArgumentException when no row is held out, or an extra column is not in the dataset
   */
  public static HeldOut compute(SparkSession spark, TrainedRun in, Path dir, List<String> extras)
      throws java.io.IOException {
    ModelArtifact model = in.model();
    int d = model.net().macroDim();
    List<String> uColumns = model.uColumns();
    List<String> vColumns = model.vColumns();
    int uDim = model.net().uDim();
    int vDim = model.net().vDim();
    long seed = in.trainSeed();
    double fraction = in.holdout();
    Dataset<Row> ds = PairDatasets.open(spark, in.dataset());
    Dataset<Row> held = ds.filter(PairDatasets.isHeldOut(seed, fraction));
    StructType schema = ds.schema();
    for (int k = 0; k < d; k++) {
      schema = schema.add("macro_u_" + k, DataTypes.DoubleType, false);
    }
    for (int k = 0; k < d; k++) {
      schema = schema.add("macro_v_" + k, DataTypes.DoubleType, false);
    }
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<TrainedMacroNet> b = sc.broadcast(model.bundle());
    Path out = new Path(dir, FILE);
    try {
      held.mapPartitions((MapPartitionsFunction<Row, Row>) it -> withMacrostates(it, b.value(), uColumns, uDim,
              vColumns, vDim), Encoders.row(schema))
          .orderBy(DatasetSchema.SAMPLE_ID)
          .write().mode(SaveMode.ErrorIfExists).parquet(out.toString());
    } finally {
      b.destroy();
    }
    List<Column> small = new ArrayList<>();
    small.add(functions.col(DatasetSchema.SAMPLE_ID));
    uColumns.forEach(c -> small.add(functions.col(c)));
    for (int k = 0; k < d; k++) {
      small.add(functions.col("macro_u_" + k));
    }
    for (int k = 0; k < d; k++) {
      small.add(functions.col("macro_v_" + k));
    }
    for (String c : extras) {
      if (!List.of(ds.columns()).contains(c)) {
        throw new IllegalArgumentException(in.dataset() + ": the analysis needs column " + c + ", which the dataset "
            + "lacks; found " + List.of(ds.columns()));
      }
      small.add(functions.col(c).cast("double"));
    }
    List<Row> rows = spark.read().parquet(out.toString()).select(small.toArray(Column[]::new))
        .orderBy(DatasetSchema.SAMPLE_ID).collectAsList();
    int n = rows.size();
    if (n == 0) {
      throw new IllegalArgumentException(in.dataset() + ": no row is held out (train.holdout = " + fraction + ")");
    }
    long[] ids = new long[n];
    float[] u = new float[n * uDim];
    float[] mu = new float[n * d];
    float[] mv = new float[n * d];
    double[][] extra = new double[extras.size()][n];
    List<String> uOnly = uColumns;
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(0);
      float[] ui = PairDatasets.packRow(r, uOnly, uDim, ids[i]);
      System.arraycopy(ui, 0, u, i * uDim, uDim);
      int at = r.fieldIndex("macro_u_0");
      for (int k = 0; k < d; k++) {
        mu[i * d + k] = (float) r.getDouble(at + k);
        mv[i * d + k] = (float) r.getDouble(at + d + k);
      }
      for (int e = 0; e < extra.length; e++) {
        extra[e][i] = r.isNullAt(at + 2 * d + e) ? Double.NaN : r.getDouble(at + 2 * d + e);
      }
    }
    java.util.Map<String, double[]> byName = new java.util.LinkedHashMap<>();
    for (int e = 0; e < extra.length; e++) {
      byName.put(extras.get(e), extra[e]);
    }
    return new HeldOut(ids, u, uDim, mu, mv, d, byName);
  }

  /** Each row with its macrostates appended, computed a chunk of rows at a time. */
  private static Iterator<Row> withMacrostates(Iterator<Row> it, TrainedMacroNet model, List<String> uColumns,
      int uDim, List<String> vColumns, int vDim) {
    MacroNet net = model.build();
    float[] params = model.params();
    int d = net.macroDim();
    return new Iterator<>() {
      private final List<Row> chunk = new ArrayList<>(CHUNK);
      private int next;

      @Override
      public boolean hasNext() {
        return next < chunk.size() || it.hasNext();
      }

      @Override
      public Row next() {
        if (next == chunk.size()) {
          fill();
        }
        return chunk.get(next++);
      }

      private void fill() {
        List<Row> in = new ArrayList<>(CHUNK);
        while (in.size() < CHUNK && it.hasNext()) {
          in.add(it.next());
        }
        int n = in.size();
        float[] u = new float[n * uDim];
        float[] v = new float[n * vDim];
        for (int i = 0; i < n; i++) {
          Row r = in.get(i);
          long id = r.getLong(r.fieldIndex(DatasetSchema.SAMPLE_ID));
          System.arraycopy(PairDatasets.packRow(r, uColumns, uDim, id), 0, u, i * uDim, uDim);
          System.arraycopy(PairDatasets.packRow(r, vColumns, vDim, id), 0, v, i * vDim, vDim);
        }
        float[] mu = net.macrostatesU(params, u, n);
        float[] mv = net.macrostatesV(params, v, n);
        chunk.clear();
        next = 0;
        for (int i = 0; i < n; i++) {
          Row r = in.get(i);
          Object[] values = new Object[r.length() + 2 * d];
          for (int c = 0; c < r.length(); c++) {
            values[c] = r.get(c);
          }
          for (int k = 0; k < d; k++) {
            values[r.length() + k] = (double) mu[i * d + k];
            values[r.length() + d + k] = (double) mv[i * d + k];
          }
          chunk.add(RowFactory.create(values));
        }
      }
    };
  }
}
