package org.macronet.jobs.lattice;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.dataset.ContentChecksum;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.DerivedRows;
import org.macronet.jobs.dataset.EnsembleSchema;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.ensemble.EnsembleSystem;

/**
 * Writes a lattice job's rows ({@code sample_id, seed}, then {@code fields}) as a dataset folder,
 * atomically, with its {@code _macronet.json} and content checksum, as {@code generate} writes its.
 * The description names the first array column (the state: {@code spins}, or a field system's first
 * species) as the dataset's array.
 */
public final class LatticeOutput {
  private LatticeOutput() {}

  /** What a job writes: its rows (lazy), their columns, and how to describe them. */
  public record Spec(String kind, List<Field> fields, List<String> parameters, String description,
              Map<String, Object> configuration) {}

  /** Builds the rows with the progress counter, writes them into the staging folder and publishes it. */
  public static DatasetMetadata write(SparkSession spark, AtomicDirectory out, EnsembleSystem system, Spec spec,
                               java.util.function.Function<org.apache.spark.util.LongAccumulator, JavaRDD<Object[]>> rows,
                               String what, String unit, long total, int progressSeconds, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    FileSystem fs = out.fileSystem();
    DatasetMetadata md = out.publishAfter(staging -> {
      DerivedRows.Result derived;
      try (ProgressReporter progress = new ProgressReporter(spark, what, unit, total, progressSeconds, log)) {
        derived = DerivedRows.of(spark, rows.apply(progress.counter()), spec.fields());
        GenerateJob.writeParquet(spark, GenerateJob.internalDataFrame(spark, derived.rows(),
            EnsembleSchema.of(spec.fields())), staging);
        log.println(progress.line());
      }
      ContentChecksum sum = derived.checksums().checksum();
      if (sum.rows() != total) {
        throw new IllegalStateException("wrote " + sum.rows() + " rows, expected " + total);
      }
      List<String> scalars = new ArrayList<>();
      Field array = null;
      for (Field f : spec.fields()) {
        if (!f.type().isArray()) {
          scalars.add(f.name());
        } else if (array == null) {
          array = f;
        }
      }
      DatasetMetadata written = new DatasetMetadata(DatasetMetadata.ENSEMBLE_FORMAT_VERSION, system.name(), sum.rows(),
          spec.parameters(), system.observables(), scalars, array.name(), array.shape(),
          spec.description(), BuildInfo.version(), sum.value(), Instant.now().toString(),
          (System.nanoTime() - t0) / 1e9, spec.configuration(), spec.kind(), spec.fields(), 0);
      written.write(fs, staging);
      return written;
    }, () -> GenerateJob.awaitIdleExecutors(spark));
    log.printf("%s: wrote %d rows to %s, checksum %s, in %s%n", what, md.rows(), fs.makeQualified(out.target()),
        md.checksum(), ProgressReporter.duration(md.seconds()));
    return md;
  }
}
