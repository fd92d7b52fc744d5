package org.macronet.jobs.sde;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.lattice.EvolveJob;
import org.macronet.jobs.lattice.UpsampleJob;
import org.macronet.jobs.pipeline.PipelineJob;

/**
 * {@code pipeline} for a lattice system (the learned-SDE method): generate the small-lattice data,
 * upsample, evolve patches, run the direct large-lattice simulations, train the closure
 * autoencoder and encode the pairs and direct runs with it (when {@code closure.dimension > 0}),
 * train the patch-corrected SDE and the naive one, roll both models out and analyze, then write
 * {@code <output.dir>/manifest.json} with the configuration, checksums, stage times and metrics.
 */
public final class LatticePipeline {
  private LatticePipeline() {}

  public static ObjectNode run(SparkSession spark, GenerateConfig generate, UpsampleConfig upsample,
                               EvolveConfig evolve, SdeConfig sde, PrintStream log) throws IOException {
    Map<String, Object> timings = new LinkedHashMap<>();
    Map<String, Object> checksums = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    long t = System.nanoTime();
    checksums.put("dataset", GenerateJob.run(spark, generate, log).checksum());
    timings.put("generate_s", seconds(t));
    t = System.nanoTime();
    checksums.put("upsampled", UpsampleJob.run(spark, upsample, log).checksum());
    timings.put("upsample_s", seconds(t));
    t = System.nanoTime();
    DatasetMetadata pairs = EvolveJob.run(spark, evolve, log);
    checksums.put("pairs", pairs.checksum());
    timings.put("evolve_s", seconds(t));
    ObjectNode metrics = sdeStages(spark, sde, checksums, timings, log).metrics();
    timings.put("total_s", seconds(t0));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", "macronet-run");
    manifest.put("format_version", 1);
    manifest.put("method", "learned SDE");
    manifest.put("code_version", BuildInfo.version());
    manifest.put("created", Instant.now().toString());
    Map<String, Object> configuration = new LinkedHashMap<>(generate.resolved());
    configuration.putAll(upsample.resolved());
    configuration.putAll(evolve.resolved());
    configuration.putAll(sde.resolvedDirect());
    configuration.putAll(sde.closure().resolved());
    configuration.putAll(sde.fit().resolved(0));
    configuration.putAll(sde.resolvedEvaluation());
    manifest.put("configuration", configuration);
    manifest.put("checksums", checksums);
    manifest.put("timings", timings);
    manifest.put("metrics", metrics);
    boolean passed = SdeAnalyzeJob.bars(metrics, sde.evaluation()).stream().allMatch(m -> m.passed());
    manifest.put("bars_passed", passed);
    Path target = PipelineJob.writeJson(spark, new Path(generate.outputDir()), PipelineJob.MANIFEST, manifest);
    log.printf(java.util.Locale.ROOT, "pipeline: done in %.1f s; bars %s; manifest -> %s%n", timings.get("total_s"),
        passed ? "all met" : "NOT all met", target);
    return metrics;
  }

  /** What {@link #sdeStages} produced: the direct runs' description and the analysis' metrics. */
  public record SdeStages(DatasetMetadata direct, ObjectNode metrics) {}

  /**
   * The method's stages after the training data exist: direct, closure and encode (when
   * {@code closure.dimension > 0}), both SDEs, their rollouts and analyze. Adds the direct runs'
   * checksum and both models' weight checksums ({@code direct}, {@code sde}, {@code sde-naive})
   * to {@code checksums}, and each stage's seconds to {@code timings}.
   */
  public static SdeStages sdeStages(SparkSession spark, SdeConfig sde, Map<String, ? super String> checksums,
                                    Map<String, Object> timings, PrintStream log) throws IOException {
    long t = System.nanoTime();
    DatasetMetadata direct = DirectJob.run(spark, sde, log);
    checksums.put("direct", direct.checksum());
    timings.put("direct_s", seconds(t));
    if (sde.closure().enabled()) {
      t = System.nanoTime();
      ClosureJob.run(spark, sde, log);
      timings.put("closure_s", seconds(t));
      t = System.nanoTime();
      EncodeJob.run(spark, sde, log);
      timings.put("encode_s", seconds(t));
    }
    t = System.nanoTime();
    checksums.put("sde", SdeTrainJob.run(spark, sde.withNaive(false), log).weightChecksum());
    timings.put("train_sde_s", seconds(t));
    t = System.nanoTime();
    checksums.put("sde-naive", SdeTrainJob.run(spark, sde.withNaive(true), log).weightChecksum());
    timings.put("train_naive_s", seconds(t));
    t = System.nanoTime();
    RolloutJob.run(spark, sde.withNaive(false), log);
    RolloutJob.run(spark, sde.withNaive(true), log);
    timings.put("rollout_s", seconds(t));
    t = System.nanoTime();
    ObjectNode metrics = SdeAnalyzeJob.run(spark, sde, log);
    timings.put("analyze_s", seconds(t));
    return new SdeStages(direct, metrics);
  }

  private static double seconds(long from) {
    return (System.nanoTime() - from) / 1e9;
  }
}
