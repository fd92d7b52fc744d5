package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.io.Flattened;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.training.closure.ClosureEncoding;

/**
 * The {@code encode} job: the learned closure ({@code <output.dir>/closure}, inference mode) of the
 * pairs' and the direct runs' states, written to {@code <output.dir>/encoded}:
 *
 * <ul>
 *   <li>{@code pairs/}: the pairs' scalar columns ({@code sample_id, sweep, seed, dt, patches},
 *       the observables before and after, the patch's own) and, for each closure component j,
 *       {@code c_j} (x0's: the mean of its K patch encodings), {@code c_j_1} = {@code c_j +
 *       enc(patch after) - enc(patch before)} (z1 = z0 + the patch's own change, not divided by K,
 *       as for the observables: the lattice's drift with K times its variance), {@code patch_c_j_0}
 *       and {@code patch_c_j_1} (the patch alone, before and after, for the naive model);
 *   <li>{@code direct/}: {@code sample_id, start, run, m0, sweep, time}, the observables and
 *       {@code c_j} of every direct snapshot.
 * </ul>
 *
 * With these the SDE's macrostate is (observables, c_0 .. c_{d-1}) wherever it is read. Encoding
 * goes in fixed batches ({@link ClosureEncoding#BATCH}), so any partitioning gives the same values.
 */
public final class EncodeJob {
  public static final String PAIRS = "pairs";
  public static final String DIRECT = "direct";
  /** What {@code encoded/} was made from: the closure's dimension and checksum, the pairs' and direct runs' checksums. */
  public static final String SOURCES = "_encoded.json";

  private EncodeJob() {}

  /** The closure's column names, {@code c_0 .. c_{d-1}}. */
  public static List<String> closureColumns(int d) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      out.add("c_" + j);
    }
    return out;
  }

  public static void run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    ClosureJob.Trained closure = ClosureJob.read(fs, new Path(runDir, SdeConfig.CLOSURE));
    Path pairsDir = new Path(runDir, EvolveConfig.PAIRS);
    Path directDir = new Path(runDir, SdeConfig.DIRECT);
    for (Path p : List.of(pairsDir, directDir)) {
      if (!fs.exists(new Path(p, DatasetMetadata.FILE))) {
        throw new ConfigException("output.dir", "no " + p.getName() + " in " + fs.makeQualified(runDir) + "; run "
            + (p == pairsDir ? "evolve" : "direct") + " first");
      }
    }
    DatasetMetadata pairsMd = DatasetMetadata.read(fs, pairsDir);
    DatasetMetadata directMd = DatasetMetadata.read(fs, directDir);
    for (DatasetMetadata md : List.of(pairsMd, directMd)) {
      if (md.arrayShape() == null || md.arrayShape()[0] != closure.lattice()) {
        throw new ConfigException("output.dir", "the closure was trained on " + closure.lattice() + " x "
            + closure.lattice() + " states, but " + (md == pairsMd ? pairsDir : directDir) + " holds states of side "
            + (md.arrayShape() == null ? "none" : md.arrayShape()[0]) + " (direct.size, upsample.size)");
      }
    }
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(runDir, SdeConfig.ENCODED), cfg.overwrite(),
        "output.overwrite");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ClosureJob.Trained> model = sc.broadcast(closure);
    List<String> obs = closure.observables();
    int c = closure.dimension();
    int side = closure.lattice();
    int patch = closure.patch();
    long pairs = spark.read().parquet(pairsDir.toString()).count();
    long snapshots = spark.read().parquet(directDir.toString()).count();
    log.printf("encode: the %d-dimensional closure of %d pairs and %d direct snapshots -> %s%n", c, pairs, snapshots,
        fs.makeQualified(out.target()));
    try (ProgressReporter progress = new ProgressReporter(spark, "encode", "states", pairs + snapshots,
        cfg.progressSeconds(), log)) {
      var done = progress.counter();
      out.publishAfter(staging -> {
        // pairs: the scalar columns, then x0, patch before, patch after
        List<String> scalars = new ArrayList<>(List.of("sample_id", "sweep", "seed", "dt", "patches"));
        for (String o : obs) {
          scalars.addAll(List.of(o, o + "_1", "patch_" + o + "_0", "patch_" + o + "_1"));
        }
        List<Column> select = new ArrayList<>();
        scalars.forEach(s -> select.add(col(s)));
        select.addAll(List.of(col(LatticeInputs.SPINS), col("patch_0"), col("patch_1")));
        Dataset<Row> in = spark.read().parquet(pairsDir.toString()).select(select.toArray(Column[]::new));
        List<StructField> fields = new ArrayList<>();
        for (StructField f : in.schema().fields()) {
          if (scalars.contains(f.name())) {
            fields.add(f);
          }
        }
        for (String cj : closureColumns(c)) {
          for (String name : List.of(cj, cj + "_1", "patch_" + cj + "_0", "patch_" + cj + "_1")) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
          }
        }
        int ns = scalars.size();
        StructType inSchema = in.schema();
        int sites = side * side;
        int patchSites = patch * patch;
        JavaRDD<Row> encodedPairs = LatticeInputs.internalRows(in).mapPartitions(it -> batches(it, ns, rows -> {
          ClosureJob.Trained t = model.value();
          ClosureEncoding enc = new ClosureEncoding(t.model(), t.params(), t.buffers());
          int n = rows.size();
          byte[] x0 = new byte[n * sites];
          byte[] p0 = new byte[n * patchSites];
          byte[] p1 = new byte[n * patchSites];
          for (int r = 0; r < n; r++) {
            Object[] v = rows.get(r);
            System.arraycopy((byte[]) v[ns], 0, x0, r * sites, sites);
            System.arraycopy((byte[]) v[ns + 1], 0, p0, r * patchSites, patchSites);
            System.arraycopy((byte[]) v[ns + 2], 0, p1, r * patchSites, patchSites);
          }
          float[] c0 = enc.stateClosure(x0, n);
          float[] q0 = enc.patchClosure(p0, n);
          float[] q1 = enc.patchClosure(p1, n);
          List<Row> outRows = new ArrayList<>(n);
          for (int r = 0; r < n; r++) {
            Object[] v = rows.get(r);
            Object[] o = new Object[ns + 4 * c];
            System.arraycopy(v, 0, o, 0, ns);
            for (int j = 0; j < c; j++) {
              o[ns + 4 * j] = (double) c0[r * c + j];
              // z1 = z0 + the patch's own change, not divided by K, as for the observables
              o[ns + 4 * j + 1] = (double) c0[r * c + j] + ((double) q1[r * c + j] - q0[r * c + j]);
              o[ns + 4 * j + 2] = (double) q0[r * c + j];
              o[ns + 4 * j + 3] = (double) q1[r * c + j];
            }
            outRows.add(RowFactory.create(o));
          }
          done.add(n);
          return outRows;
        }, List.of(sites, patchSites, patchSites), inSchema));
        spark.createDataFrame(encodedPairs, DataTypes.createStructType(fields)).write()
            .parquet(new Path(staging, PAIRS).toString());

        // direct snapshots
        List<String> dScalars = new ArrayList<>(List.of("sample_id", "start", "run", "m0", "sweep", "time"));
        dScalars.addAll(obs);
        List<Column> dSelect = new ArrayList<>();
        dScalars.forEach(s -> dSelect.add(col(s)));
        dSelect.add(col(LatticeInputs.SPINS));
        Dataset<Row> din = spark.read().parquet(directDir.toString()).select(dSelect.toArray(Column[]::new));
        List<StructField> dFields = new ArrayList<>(List.of(din.schema().fields()).subList(0, dScalars.size()));
        for (String cj : closureColumns(c)) {
          dFields.add(DataTypes.createStructField(cj, DataTypes.DoubleType, false));
        }
        int dns = dScalars.size();
        StructType dinSchema = din.schema();
        JavaRDD<Row> encodedDirect = LatticeInputs.internalRows(din).mapPartitions(it -> batches(it, dns, rows -> {
          ClosureJob.Trained t = model.value();
          ClosureEncoding enc = new ClosureEncoding(t.model(), t.params(), t.buffers());
          int n = rows.size();
          byte[] x = new byte[n * sites];
          for (int r = 0; r < n; r++) {
            System.arraycopy((byte[]) rows.get(r)[dns], 0, x, r * sites, sites);
          }
          float[] cz = enc.stateClosure(x, n);
          List<Row> outRows = new ArrayList<>(n);
          for (int r = 0; r < n; r++) {
            Object[] o = new Object[dns + c];
            System.arraycopy(rows.get(r), 0, o, 0, dns);
            for (int j = 0; j < c; j++) {
              o[dns + j] = (double) cz[r * c + j];
            }
            outRows.add(RowFactory.create(o));
          }
          done.add(n);
          return outRows;
        }, List.of(sites), dinSchema));
        spark.createDataFrame(encodedDirect, DataTypes.createStructType(dFields)).write()
            .parquet(new Path(staging, DIRECT).toString());
        var sources = SdeArtifact.JSON.createObjectNode();
        sources.put("closure_dimension", c);
        sources.put("closure_checksum", closure.checksum());
        sources.put("pairs_checksum", pairsMd.checksum());
        sources.put("direct_checksum", directMd.checksum());
        try (var o = fs.create(new Path(staging, SOURCES), false)) {
          o.write(SdeArtifact.JSON.writeValueAsString(sources).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return null;
      });
      log.println(progress.line());
    } finally {
      model.destroy();
    }
    log.printf("encode: wrote %s in %s%n", fs.makeQualified(out.target()),
        ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
  }

  /**
   * Refuses {@code <run>/encoded} unless it was made with a closure of {@code dimension} from the
   * datasets of these checksums ({@code null}: not checked), naming what differs.
   */
  static void checkSources(FileSystem fs, Path runDir, int dimension, String pairsChecksum, String directChecksum)
      throws IOException {
    Path file = new Path(new Path(runDir, SdeConfig.ENCODED), SOURCES);
    if (!fs.exists(file)) {
      throw new ConfigException("closure.dimension", "is " + dimension + " but " + fs.makeQualified(file.getParent())
          + " holds no encoded pairs and direct runs; run closure and encode first (or set closure.dimension=0)");
    }
    com.fasterxml.jackson.databind.JsonNode s;
    try (var in = fs.open(file)) {
      s = SdeArtifact.JSON.readTree(in);
    }
    List<String> problems = new ArrayList<>();
    if (s.path("closure_dimension").asInt() != dimension) {
      problems.add("a closure of " + s.path("closure_dimension").asInt() + " dimensions, closure.dimension is "
          + dimension);
    }
    if (pairsChecksum != null && !pairsChecksum.equals(s.path("pairs_checksum").asText())) {
      problems.add("other pairs than those in pairs/");
    }
    if (directChecksum != null && !directChecksum.equals(s.path("direct_checksum").asText())) {
      problems.add("other direct runs than those in direct/");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("output.dir", file.getParent() + " was encoded from " + String.join("; ", problems)
          + "; rerun encode --set output.overwrite=true");
    }
  }

  /**
   * The rows of a partition, encoded 256 at a time as they are pulled ({@link Flattened}): each
   * internal row copied into {@code Object[]}: the first {@code scalars} columns as Java values
   * ({@code schema}'s types), then the int8 arrays of the given lengths. A task holds one batch at a
   * time.
   */
  private static Iterator<Row> batches(Iterator<InternalRow> it, int scalars, Flattened.Expand<List<Object[]>, Row> encoder,
                                       List<Integer> arrayLengths, StructType schema) {
    Iterator<List<Object[]>> batches = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public List<Object[]> next() {
        List<Object[]> batch = new ArrayList<>();
        while (batch.size() < 256 && it.hasNext()) {
          InternalRow r = it.next();
          Object[] v = new Object[scalars + arrayLengths.size()];
          for (int j = 0; j < scalars; j++) {
            v[j] = r.get(j, schema.fields()[j].dataType());
          }
          for (int a = 0; a < arrayLengths.size(); a++) {
            v[scalars + a] = LatticeInputs.spins(r, scalars + a, arrayLengths.get(a), "row of sample " + v[0]);
          }
          batch.add(v);
        }
        return batch;
      }
    };
    return new Flattened<>(batches, encoder);
  }
}
