package org.macronet.jobs.generate;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.ContentChecksum;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.dataset.PartitionChecksum;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.simulation.ensemble.EnsembleSystem;

/**
 * The {@code generate} job: simulates {@code generate.samples} pairs over
 * {@code generate.partitions} Spark tasks and writes them as Parquet to
 * {@code <output.dir>/dataset}, atomically, with {@code _macronet.json} beside the data.
 *
 * <p>Partition p simulates the contiguous index range [p N / P, (p + 1) N / P) in blocks;
 * every row depends only on (seed, index), so any partitioning, retry or cluster gives the
 * same rows and the same content checksum. Rows go to the Parquet writer in Spark's internal
 * form, and each task hashes its rows as it produces them, so the checksum needs no second
 * pass over the written files ({@code inspect --verify} does that pass).
 */
public final class GenerateJob {
  public static final String DATASET = "dataset";

  private GenerateJob() {}

  /** Runs the job and returns the description of the published dataset. */
  public static DatasetMetadata run(SparkSession spark, GenerateConfig config, PrintStream log) throws IOException {
    if (config.system() instanceof EnsembleSystem ensemble) {
      return EnsembleGenerate.run(spark, config, ensemble, log);
    }
    long t0 = System.nanoTime();
    Path target = new Path(config.outputDir(), DATASET);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, config.overwrite(), "output.overwrite");
    PairSystem system = config.pairSystem();
    log.printf("generate: %d %s samples in %d partitions -> %s%n", config.samples(), system.name(),
        config.partitions(), fs.makeQualified(target));
    // Spark throws its checked SparkException undeclared: publishAfter cleans up on every way out
    DatasetMetadata md = out.publishAfter(staging -> {
      CollectionAccumulator<String> kernels = spark.sparkContext().collectionAccumulator("kernels");
      CollectionAccumulator<PartitionChecksum> checksums = spark.sparkContext().collectionAccumulator("checksums");
      StructType schema = DatasetSchema.of(system);
      try (ProgressReporter progress = new ProgressReporter(spark, "generate", "samples", config.samples(),
          config.progressSeconds(), log)) {
        JavaRDD<InternalRow> rows = rows(spark, config, progress.counter(), kernels, checksums);
        writeParquet(spark, internalDataFrame(spark, rows, schema), staging);
        log.println(progress.line());
      }
      String kernel = String.join(", ", new TreeSet<>(kernels.value()));
      log.println("generate: simulated with " + kernel);
      ContentChecksum sum = PartitionChecksum.combine(checksums.value(), config.partitions());
      if (sum.rows() != config.samples()) {
        throw new IllegalStateException("wrote " + sum.rows() + " rows, expected " + config.samples());
      }
      DatasetMetadata written = new DatasetMetadata(DatasetMetadata.FORMAT_VERSION, system.name(), sum.rows(),
          system.uColumns(), system.vColumns(), system.scalarColumns(),
          system.arrayColumn().map(PairSystem.ArrayColumn::name).orElse(null),
          system.arrayColumn().map(PairSystem.ArrayColumn::shape).orElse(null),
          kernel, BuildInfo.version(), sum.value(), Instant.now().toString(),
          (System.nanoTime() - t0) / 1e9, config.resolved());
      written.write(fs, staging);
      return written;
    }, () -> awaitIdleExecutors(spark));
    log.printf("generate: wrote %d rows, checksum %s, in %s%n", md.rows(), md.checksum(),
        ProgressReporter.duration(md.seconds()));
    return md;
  }

  /**
   * Writes simulated rows as Parquet. Dictionary encoding never pays off on simulated floats and
   * costs a failed attempt per page. Arrays go out as Parquet's two-level lists (one repeated
   * field, the same logical array to Spark, pyarrow and DuckDB): the standard three-level form
   * opens and closes a group per element, which took half of the job's time outside the kernel.
   */
  public static void writeParquet(SparkSession spark, Dataset<Row> df, Path staging) {
    String legacy = "spark.sql.parquet.writeLegacyFormat";
    String before = spark.conf().get(legacy, "false");
    spark.conf().set(legacy, "true");
    try {
      df.write().mode(SaveMode.ErrorIfExists).option("parquet.enable.dictionary", "false").parquet(staging.toString());
    } finally {
      spark.conf().set(legacy, before);
    }
  }

  /**
   * Waits (up to 30 s) until no task runs: after a failure, Spark cancels the job's other
   * tasks but they may still be writing into the staging directory for a moment.
   */
  public static void awaitIdleExecutors(SparkSession spark) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      boolean idle = spark.sparkContext().statusTracker().getActiveJobIds().length == 0
          && java.util.Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos())
              .allMatch(e -> e.numRunningTasks() == 0);
      if (idle) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * A DataFrame over rows already in Spark's internal form. {@code createDataFrame(JavaRDD<Row>,
   * schema)} converts every external {@link Row} field by field, boxing each float of an
   * array (about 60% of the job's time on 2 x 64 x 64 image observations); internal rows skip that.
   */
  public static Dataset<Row> internalDataFrame(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /**
   * The rows, lazily simulated per partition; each partition adds its content checksum to
   * {@code checksums} once it has produced its last row.
   */
  static JavaRDD<InternalRow> rows(SparkSession spark, GenerateConfig config, LongAccumulator done,
                                   CollectionAccumulator<String> kernels,
                                   CollectionAccumulator<PartitionChecksum> checksums) {
    int partitions = config.partitions();
    List<Integer> ids = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PairSystem system = config.pairSystem();
    PairSystem.Sampling sampling = new PairSystem.Sampling(config.seed(), config.seedsPerPoint());
    long n = config.samples();
    int block = config.block();
    FlatMapFunction<Iterator<Integer>, InternalRow> simulate = it -> {
      if (!it.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      int p = it.next();
      return new BlockRows(system, sampling, p, partitionStart(p, n, partitions), partitionStart(p + 1, n, partitions),
          block, done, kernels, checksums);
    };
    return jsc.parallelize(ids, partitions).mapPartitions(simulate);
  }

  /** First sample index of partition {@code p}: floor(p * n / partitions), without overflow. */
  public static long partitionStart(long p, long n, int partitions) {
    return java.math.BigInteger.valueOf(p).multiply(java.math.BigInteger.valueOf(n))
        .divide(java.math.BigInteger.valueOf(partitions)).longValueExact();
  }

  /**
   * Iterates the rows of [first, end), simulating a block at a time and adding each row to the
   * partition's content checksum; closes the simulator at the end.
   */
  private static final class BlockRows implements Iterator<InternalRow> {
    private final PairSystem.BlockSimulator simulator;
    private final PairSystem.Sampling sampling;
    private final int partition;
    private final long end;
    private final int blockSize;
    private final LongAccumulator done;
    private final CollectionAccumulator<PartitionChecksum> checksums;
    private final ContentChecksum checksum = new ContentChecksum();
    private double[] scalars;
    private long next;
    private SampleBlock block;
    private int r;
    private boolean closed;

    BlockRows(PairSystem system, PairSystem.Sampling sampling, int partition, long first, long end, int blockSize,
              LongAccumulator done, CollectionAccumulator<String> kernels,
              CollectionAccumulator<PartitionChecksum> checksums) {
      this.simulator = system.openSimulator();
      this.sampling = sampling;
      this.partition = partition;
      this.next = first;
      this.end = end;
      this.blockSize = blockSize;
      this.done = done;
      this.checksums = checksums;
      kernels.add(simulator.description());
      if (first >= end) {
        finish();
      }
    }

    @Override
    public boolean hasNext() {
      if (block != null && r < block.size()) {
        return true;
      }
      if (next >= end) {
        finish();
        return false;
      }
      int count = (int) Math.min(blockSize, end - next);
      try {
        block = simulator.simulate(sampling, next, count);
      } catch (RuntimeException e) {
        close();
        throw e;
      }
      next += count;
      r = 0;
      done.add(count);
      return true;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      double[][] cols = block.scalars();
      if (scalars == null) {
        scalars = new double[cols.length];
      }
      for (int c = 0; c < cols.length; c++) {
        scalars[c] = cols[c][r];
      }
      checksum.addRow(block.sampleIds()[r], block.seeds()[r], scalars, block.arrays() == null ? null : block.arrays()[r]);
      return DatasetSchema.internalRow(block, r++);
    }

    /** After the last row: publish the partition's checksum (once) and close. */
    private void finish() {
      if (!closed) {
        checksums.add(new PartitionChecksum(partition, checksum));
      }
      close();
    }

    private void close() {
      if (!closed) {
        closed = true;
        block = null;
        simulator.close();
      }
    }
  }
}
