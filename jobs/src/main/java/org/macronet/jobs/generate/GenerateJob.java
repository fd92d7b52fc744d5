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
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;

/**
 * The {@code generate} job: simulates {@code generate.samples} pairs over
 * {@code generate.partitions} Spark tasks and writes them as Parquet to
 * {@code <output.dir>/dataset}, atomically, with {@code _macronet.json} beside the data.
 *
 * <p>Partition p simulates the contiguous index range [p N / P, (p + 1) N / P) in blocks;
 * every row depends only on (seed, index), so any partitioning, retry or cluster gives the
 * same rows and the same content checksum.
 */
public final class GenerateJob {
  public static final String DATASET = "dataset";

  private GenerateJob() {}

  /** Runs the job and returns the description of the published dataset. */
  public static DatasetMetadata run(SparkSession spark, GenerateConfig config, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Path target = new Path(config.outputDir(), DATASET);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, config.overwrite(), "output.overwrite");
    PairSystem system = config.system();
    log.printf("generate: %d %s samples in %d partitions -> %s%n", config.samples(), system.name(),
        config.partitions(), fs.makeQualified(target));
    boolean published = false;
    try {
      CollectionAccumulator<String> kernels = spark.sparkContext().collectionAccumulator("kernels");
      StructType schema = DatasetSchema.of(system);
      try (ProgressReporter progress = new ProgressReporter(spark, "generate", "samples", config.samples(),
          config.progressSeconds(), log)) {
        JavaRDD<Row> rows = rows(spark, config, progress.counter(), kernels);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        // Dictionary encoding never pays off on simulated floats and costs a failed attempt per page.
        df.write().mode(SaveMode.ErrorIfExists).option("parquet.enable.dictionary", "false")
            .parquet(out.staging().toString());
        log.println(progress.line());
      }
      String kernel = String.join(", ", new TreeSet<>(kernels.value()));
      log.println("generate: simulated with " + kernel);
      DatasetChecksums.Result sum = DatasetChecksums.compute(spark.read().parquet(out.staging().toString()));
      if (sum.rows() != config.samples()) {
        throw new IllegalStateException("wrote " + sum.rows() + " rows, expected " + config.samples());
      }
      DatasetMetadata md = new DatasetMetadata(DatasetMetadata.FORMAT_VERSION, system.name(), sum.rows(),
          system.uColumns(), system.vColumns(), system.scalarColumns(),
          system.arrayColumn().map(PairSystem.ArrayColumn::name).orElse(null),
          system.arrayColumn().map(PairSystem.ArrayColumn::shape).orElse(null),
          kernel, BuildInfo.version(), sum.checksum(), Instant.now().toString(),
          (System.nanoTime() - t0) / 1e9, config.resolved());
      md.write(fs, out.staging());
      out.publish();
      published = true;
      log.printf("generate: wrote %d rows, checksum %s, in %s%n", md.rows(), md.checksum(),
          ProgressReporter.duration(md.seconds()));
      return md;
    } finally {
      // Spark throws its checked SparkException undeclared, so clean up on every way out
      if (!published) {
        awaitIdleExecutors(spark);
        out.abandon();
      }
    }
  }

  /**
   * Waits (up to 30 s) until no task runs: after a failure, Spark cancels the job's other
   * tasks but they may still be writing into the staging directory for a moment.
   */
  static void awaitIdleExecutors(SparkSession spark) {
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

  /** The rows, lazily simulated per partition. */
  static JavaRDD<Row> rows(SparkSession spark, GenerateConfig config, LongAccumulator done,
                           CollectionAccumulator<String> kernels) {
    int partitions = config.partitions();
    List<Integer> ids = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    PairSystem system = config.system();
    PairSystem.Sampling sampling = new PairSystem.Sampling(config.seed(), config.seedsPerPoint());
    long n = config.samples();
    int block = config.block();
    FlatMapFunction<Iterator<Integer>, Row> simulate = it -> {
      if (!it.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      int p = it.next();
      return new BlockRows(system, sampling, partitionStart(p, n, partitions), partitionStart(p + 1, n, partitions),
          block, done, kernels);
    };
    return jsc.parallelize(ids, partitions).mapPartitions(simulate);
  }

  /** First sample index of partition {@code p}: floor(p * n / partitions), without overflow. */
  static long partitionStart(long p, long n, int partitions) {
    return java.math.BigInteger.valueOf(p).multiply(java.math.BigInteger.valueOf(n))
        .divide(java.math.BigInteger.valueOf(partitions)).longValueExact();
  }

  /** Iterates the rows of [first, end), simulating a block at a time; closes the simulator at the end. */
  private static final class BlockRows implements Iterator<Row> {
    private final PairSystem.BlockSimulator simulator;
    private final PairSystem.Sampling sampling;
    private final long end;
    private final int blockSize;
    private final LongAccumulator done;
    private long next;
    private SampleBlock block;
    private int r;
    private boolean closed;

    BlockRows(PairSystem system, PairSystem.Sampling sampling, long first, long end, int blockSize,
              LongAccumulator done, CollectionAccumulator<String> kernels) {
      this.simulator = system.openSimulator();
      this.sampling = sampling;
      this.next = first;
      this.end = end;
      this.blockSize = blockSize;
      this.done = done;
      kernels.add(simulator.description());
      if (first >= end) {
        close();
      }
    }

    @Override
    public boolean hasNext() {
      if (block != null && r < block.size()) {
        return true;
      }
      if (next >= end) {
        close();
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
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return DatasetSchema.row(block, r++);
    }

    private void close() {
      if (!closed) {
        closed = true;
        simulator.close();
      }
    }
  }
}
