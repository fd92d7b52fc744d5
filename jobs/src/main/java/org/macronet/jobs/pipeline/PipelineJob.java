package org.macronet.jobs.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.analyze.AnalyzeJob;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.TrainJob;
import org.macronet.jobs.train.TrainedRun;

/**
 * {@code pipeline}: generate, train, design and analyze in one go, then {@code <run>/manifest.json}
 * with the configuration, code version, seeds, checksums and timings of every stage.
 */
public final class PipelineJob {
  public static final String MANIFEST = "manifest.json";

  private PipelineJob() {}

  /** What the four stages produced, with their timings in seconds ({@code generate_s}, ..., {@code total_s}). */
  public record Stages(DatasetMetadata dataset, TrainJob.Result trained, DesignJob.Result designs,
      AnalyzeJob.Result analysis, Map<String, Object> timings) {}

  public static AnalyzeJob.Result run(SparkSession spark, GenerateConfig generate, TrainConfig train,
      DesignConfig design, PrintStream log) throws IOException {
    Stages stages = runStages(spark, generate, train, design, log);
    Path target = writeJson(spark, new Path(generate.outputDir()), MANIFEST, manifest(stages, generate, train, design));
    log.printf(java.util.Locale.ROOT, "pipeline: done in %.1f s; bars %s; manifest -> %s%n",
        stages.timings().get("total_s"), stages.analysis().passed() ? "all met" : "NOT all met", target);
    return stages.analysis();
  }

  /** Runs generate, train, design and analyze into {@code generate.outputDir()}; writes no manifest. */
  public static Stages runStages(SparkSession spark, GenerateConfig generate, TrainConfig train, DesignConfig design,
      PrintStream log) throws IOException {
    Map<String, Object> timings = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    DatasetMetadata dataset = GenerateJob.run(spark, generate, log);
    timings.put("generate_s", seconds(t0));
    long t1 = System.nanoTime();
    TrainJob.Result trained = TrainJob.run(spark, train, log);
    timings.put("train_s", seconds(t1));
    long t2 = System.nanoTime();
    // design and analyze start from the trained model in memory
    TrainedRun inputs = TrainedRun.of(spark, new Path(generate.outputDir()), trained.model());
    DesignJob.Result designs = DesignJob.run(spark, design, inputs, log);
    timings.put("design_s", seconds(t2));
    long t3 = System.nanoTime();
    AnalyzeJob.Result analysis = AnalyzeJob.run(spark, design, inputs, designs, log);
    timings.put("analyze_s", seconds(t3));
    timings.put("total_s", seconds(t0));
    return new Stages(dataset, trained, designs, analysis, timings);
  }

  /**
   * The run's manifest: format, code version, configuration, seeds, checksums (the dataset's
   * content checksum and the model's {@link ModelArtifact#weightChecksum() weight checksum}),
   * timings, held-out loss, metrics and whether the bars were met.
   */
  public static Map<String, Object> manifest(Stages stages, GenerateConfig generate, TrainConfig train,
      DesignConfig design) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "macronet-run");
    manifest.put("format_version", 1);
    manifest.put("code_version", BuildInfo.version());
    manifest.put("created", Instant.now().toString());
    Map<String, Object> configuration = new LinkedHashMap<>(generate.resolved());
    configuration.putAll(train.resolved());
    configuration.putAll(design.resolved());
    manifest.put("configuration", configuration);
    manifest.put("seeds", Map.of("generate.seed", generate.seed(), "train.seed", train.seed(), "design.seed",
        design.seed()));
    Map<String, Object> checksums = new LinkedHashMap<>();
    checksums.put("dataset", stages.dataset().checksum());
    checksums.put("model", stages.trained().model().weightChecksum());
    manifest.put("checksums", checksums);
    manifest.put("timings", stages.timings());
    manifest.put("held_out_loss", stages.trained().heldOutTerms());
    manifest.put("metrics", stages.analysis().metrics());
    manifest.put("bars_passed", stages.analysis().passed());
    return manifest;
  }

  /**
   * Writes {@code value} as JSON to {@code dir/name} atomically (a temporary file, then a rename),
   * replacing an older file of that name; returns the qualified path.
   */
  public static Path writeJson(SparkSession spark, Path dir, String name, Object value) throws IOException {
    FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    return org.macronet.jobs.io.AtomicFile.write(fs, new Path(dir, name), ModelArtifact.jsonBytes(value));
  }

  public static double seconds(long since) {
    return Math.round((System.nanoTime() - since) / 1e7) / 100.0;
  }
}
