package org.macronet.jobs.generate;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayDeque;
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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.ContentChecksum;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.EnsembleSchema;
import org.macronet.jobs.dataset.PartitionChecksum;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;

/**
 * {@code generate} for an {@link EnsembleSystem}: {@code generate.samples} trajectories over
 * {@code generate.partitions} tasks, one row per stored snapshot, written like a pair dataset
 * (atomically, to {@code <output.dir>/dataset}, with {@code _macronet.json} and a content
 * checksum that does not depend on the partitioning). Sample i has seed
 * {@code SampleSeeds.sampleSeed(generate.seed, i)}; a task holds one trajectory's rows at a time.
 */
final class EnsembleGenerate {
  private EnsembleGenerate() {}

  static DatasetMetadata run(SparkSession spark, GenerateConfig config, EnsembleSystem system, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    Path target = new Path(config.outputDir(), GenerateJob.DATASET);
    FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, target, config.overwrite(), "output.overwrite");
    log.printf("generate: %d %s trajectories (%d snapshots each) in %d partitions -> %s%n", config.samples(),
        system.name(), system.snapshotsPerSample(), config.partitions(), fs.makeQualified(target));
    DatasetMetadata md = out.publishAfter(staging -> {
      CollectionAccumulator<String> kernels = spark.sparkContext().collectionAccumulator("kernels");
      CollectionAccumulator<PartitionChecksum> checksums =
          spark.sparkContext().collectionAccumulator("checksums");
      try (ProgressReporter progress = new ProgressReporter(spark, "generate", "trajectories", config.samples(),
          config.progressSeconds(), log)) {
        JavaRDD<InternalRow> rows = rows(spark, config, system, progress.counter(), kernels, checksums);
        GenerateJob.writeParquet(spark, GenerateJob.internalDataFrame(spark, rows, EnsembleSchema.of(system)), staging);
        log.println(progress.line());
      }
      String kernel = String.join(", ", new TreeSet<>(kernels.value()));
      ContentChecksum sum = PartitionChecksum.combine(checksums.value(), config.partitions());
      long expected = Math.multiplyExact(config.samples(), (long) system.snapshotsPerSample());
      if (sum.rows() != expected) {
        throw new IllegalStateException("wrote " + sum.rows() + " rows, expected " + expected);
      }
      DatasetMetadata written = metadata(config, system, sum, kernel, (System.nanoTime() - t0) / 1e9);
      written.write(fs, staging);
      return written;
    }, () -> GenerateJob.awaitIdleExecutors(spark));
    log.printf("generate: wrote %d rows, checksum %s, in %s%n", md.rows(), md.checksum(),
        ProgressReporter.duration(md.seconds()));
    return md;
  }

  private static DatasetMetadata metadata(GenerateConfig config, EnsembleSystem system, ContentChecksum sum,
                                          String kernel, double seconds) {
    List<String> scalars = new ArrayList<>();
    Field array = null;
    for (Field f : system.fields()) {
      if (f.type().isArray()) {
        array = array == null ? f : array;
      } else {
        scalars.add(f.name());
      }
    }
    return new DatasetMetadata(DatasetMetadata.ENSEMBLE_FORMAT_VERSION, system.name(), sum.rows(), system.prior().names(),
        system.observables(), scalars, array == null ? null : array.name(), array == null ? null : array.shape(),
        kernel, BuildInfo.version(), sum.value(), Instant.now().toString(), seconds, config.resolved(),
        DatasetMetadata.ENSEMBLE, system.fields(), system.snapshotsPerSample());
  }

  private static JavaRDD<InternalRow> rows(SparkSession spark, GenerateConfig config, EnsembleSystem system,
                                           LongAccumulator done, CollectionAccumulator<String> kernels,
                                           CollectionAccumulator<PartitionChecksum> checksums) {
    int partitions = config.partitions();
    List<Integer> ids = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      ids.add(p);
    }
    long n = config.samples();
    long seed = config.seed();
    FlatMapFunction<Iterator<Integer>, InternalRow> simulate = it -> {
      if (!it.hasNext()) {
        return java.util.Collections.emptyIterator();
      }
      int p = it.next();
      return new TrajectoryRows(system, seed, p, GenerateJob.partitionStart(p, n, partitions),
          GenerateJob.partitionStart(p + 1, n, partitions), done, kernels, checksums);
    };
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(ids, partitions).mapPartitions(simulate);
  }

  /** The rows of samples [first, end), one trajectory at a time, hashed as they go out. */
  private static final class TrajectoryRows implements Iterator<InternalRow> {
    private final EnsembleSystem.Simulator simulator;
    private final List<Field> fields;
    private final long masterSeed;
    private final int partition;
    private final long end;
    private final LongAccumulator done;
    private final CollectionAccumulator<PartitionChecksum> checksums;
    private final ContentChecksum checksum = new ContentChecksum();
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private long next;
    private long sampleId;
    private long sampleSeed;
    private boolean closed;

    TrajectoryRows(EnsembleSystem system, long masterSeed, int partition, long first, long end, LongAccumulator done,
                   CollectionAccumulator<String> kernels,
                   CollectionAccumulator<PartitionChecksum> checksums) {
      this.simulator = system.openSimulator();
      this.fields = system.fields();
      this.masterSeed = masterSeed;
      this.partition = partition;
      this.next = first;
      this.end = end;
      this.done = done;
      this.checksums = checksums;
      kernels.add(simulator.description());
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty()) {
        if (next >= end) {
          finish();
          return false;
        }
        sampleId = next++;
        sampleSeed = SampleSeeds.sampleSeed(masterSeed, sampleId);
        try {
          simulator.simulate(sampleSeed, this::accept);
        } catch (RuntimeException e) {
          close();
          throw e;
        }
        done.add(1);
      }
      return true;
    }

    private void accept(Object[] values) {
      Field.checkRow(fields, values, 0, "sample " + sampleId);
      pending.add(values);
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object[] values = pending.poll();
      checksum.addRow(sampleId, sampleSeed, values);
      return EnsembleSchema.internalRow(sampleId, sampleSeed, values);
    }

    private void finish() {
      if (!closed) {
        checksums.add(new PartitionChecksum(partition, checksum));
      }
      close();
    }

    private void close() {
      if (!closed) {
        closed = true;
        pending.clear();
        simulator.close();
      }
    }
  }
}
