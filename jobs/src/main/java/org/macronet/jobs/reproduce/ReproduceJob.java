package org.macronet.jobs.reproduce;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.macronet.experiment.Studies;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.ReproduceConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.lattice.EvolveJob;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.lattice.UpsampleJob;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.sde.LatticePipeline;
import org.macronet.jobs.pipeline.PipelineJob;

/**
 * {@code reproduce}: runs a pinned configuration ({@code conf/repro/<name>.conf}: configuration,
 * seeds, partitioning, threads) into a fresh run folder, writes {@code manifest.json} there, and
 * compares the run with its baseline ({@link BaselineComparison}); the verdict goes to the console
 * and {@code verdict.json}. With {@code --update-baseline} the run becomes the new baseline
 * instead, and the console says so.
 */
public final class ReproduceJob {
  public static final String VERDICT = "verdict.json";
  private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private ReproduceJob() {}

  /**
   * A pinned run, checked before Spark starts.
   *
   * @param outputDir       the run folder the user named with {@code output.dir}, or null for a new
   *                        {@code <reproduce.runs-dir>/<name>-<time>}
   * @param sparkSettings   the configuration's {@code spark.*} settings
   * @param baseline        the baseline, or null when {@code --update-baseline} writes the first one
   *                        (or replaces one that cannot be read)
   * @param baselineProblem why the baseline could not be read, or null
   */
  public record Plan(File confFile, List<String> sets, ReproduceConfig config, String outputDir,
      Map<String, String> sparkSettings, RunSummary baseline, String baselineProblem) {}

  /**
   * What a reproduce run ended with.
   *
   * @param verdict         the comparison with the baseline (with {@code --update-baseline}: with the
   *                        baseline it replaced), or null when there was none to compare with
   * @param baselineWritten whether this run was written as the new baseline
   */
  public record Outcome(Verdict verdict, Path runDir, boolean baselineWritten, File baseline) {
    /** Exit status: 0 when the run matched its baseline or became the new one, 1 on drift. */
    public int exitStatus() {
      return baselineWritten || verdict.passed() ? 0 : 1;
    }
  }

  /**
   * Reads the configuration and the baseline and checks the job settings, so that a usage or
   * configuration error stops before any work. A missing baseline is an error unless
   * {@code updateBaseline}.
   */
  public static Plan plan(File confFile, List<String> sets, boolean updateBaseline) {
    ConfigLoader loader = ConfigLoader.load(confFile, sets);
    ReproduceConfig rc = ReproduceConfig.from(loader, confFile);
    GenerateConfig generate = GenerateConfig.from(loader);
    if (rc.stages() == ReproduceConfig.Stages.PIPELINE) {
      String system = generate.system().name();
      ConfigException.require(Studies.has(system), "reproduce.stages", "pipeline needs a system with a design "
          + "study (" + String.join(", ", Studies.systems()) + "), found system " + system
          + "; set reproduce.stages = generate");
      TrainConfig.from(loader);
      // the system's tolerances, under the configuration's own
      rc = ReproduceConfig.from(loader, confFile, DesignConfig.from(loader).study().reproduceTolerances());
    }
    if (rc.stages() == ReproduceConfig.Stages.LATTICE || rc.stages() == ReproduceConfig.Stages.SDE) {
      var system = UpsampleConfig.from(loader).system();
      if (!(system instanceof org.macronet.simulation.ensemble.FieldEnsemble)) {
        LatticeInputs.spinSystem(system, "reproduce.stages = " + rc.stages().configName());
      }
      EvolveConfig.from(loader);
      SdeConfig.from(loader);
    }
    RunSummary baseline = null;
    String problem = null;
    try {
      baseline = RunSummary.fromJson(Files.readAllBytes(rc.baseline().toPath()), rc.baseline().getPath());
    } catch (NoSuchFileException e) {
      if (!updateBaseline) {
        throw new ConfigException("reproduce.baseline", "no baseline at " + rc.baseline() + "; run once with "
            + "--update-baseline to write it (bin/macronet reproduce --conf " + confFile.getPath()
            + " --update-baseline), review it and commit it");
      }
    } catch (IOException | IllegalArgumentException e) {
      problem = e instanceof IllegalArgumentException ? e.getMessage() : rc.baseline() + ": cannot read: " + e;
      if (!updateBaseline) {
        throw new ConfigException("reproduce.baseline", problem);
      }
    }
    return new Plan(confFile, List.copyOf(sets), rc,
        loader.isSetByUser("output.dir") ? loader.string("output.dir") : null, loader.sparkSettings(), baseline, problem);
  }

  public static Outcome run(SparkSession spark, Plan plan, boolean updateBaseline, PrintStream out)
      throws IOException {
    ReproduceConfig rc = plan.config();
    Path runDir = claimRunFolder(spark, plan);
    List<String> sets = new ArrayList<>(plan.sets());
    sets.add("output.dir=" + runDir);
    ConfigLoader loader = ConfigLoader.load(plan.confFile(), sets);
    GenerateConfig generate = GenerateConfig.from(loader);
    out.printf("reproduce: %s (%s) -> %s%n", rc.name(), rc.stages().configName(), runDir);

    Map<String, Object> configuration = new LinkedHashMap<>(generate.resolved());
    Map<String, Object> manifest;
    Map<String, String> checksums = new LinkedHashMap<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    DatasetMetadata dataset;
    if (rc.stages() == ReproduceConfig.Stages.PIPELINE) {
      TrainConfig train = TrainConfig.from(loader);
      DesignConfig design = DesignConfig.from(loader);
      configuration.putAll(train.resolved());
      configuration.putAll(design.resolved());
      PipelineJob.Stages stages = PipelineJob.runStages(spark, generate, train, design, out);
      dataset = stages.dataset();
      manifest = PipelineJob.manifest(stages, generate, train, design);
      checksums.put("dataset", dataset.checksum());
      checksums.put("model", stages.trained().model().weightChecksum());
      metrics.put("dataset.rows", dataset.rows());
      metrics.putAll(RunSummary.flatten(stages.analysis().metrics()));
    } else {
      long t0 = System.nanoTime();
      dataset = GenerateJob.run(spark, generate, out);
      Map<String, Object> timings = new LinkedHashMap<>();
      timings.put("generate_s", PipelineJob.seconds(t0));
      checksums.put("dataset", dataset.checksum());
      metrics.put("dataset.rows", dataset.rows());
      if (rc.stages() == ReproduceConfig.Stages.LATTICE || rc.stages() == ReproduceConfig.Stages.SDE) {
        UpsampleConfig upsample = UpsampleConfig.from(loader);
        EvolveConfig evolve = EvolveConfig.from(loader);
        configuration.putAll(upsample.resolved());
        configuration.putAll(evolve.resolved());
        long t1 = System.nanoTime();
        DatasetMetadata states = UpsampleJob.run(spark, upsample, out);
        timings.put("upsample_s", PipelineJob.seconds(t1));
        long t2 = System.nanoTime();
        DatasetMetadata pairs = EvolveJob.run(spark, evolve, out);
        timings.put("evolve_s", PipelineJob.seconds(t2));
        checksums.put("upsampled", states.checksum());
        checksums.put("pairs", pairs.checksum());
        metrics.put("upsampled.rows", states.rows());
        metrics.put("pairs.rows", pairs.rows());
      }
      if (rc.stages() == ReproduceConfig.Stages.SDE) {
        SdeConfig sde = SdeConfig.from(loader);
        configuration.putAll(sde.resolvedDirect());
        configuration.putAll(sde.closure().resolved());
        configuration.putAll(sde.fit().resolved(0));
        configuration.putAll(sde.resolvedEvaluation());
        LatticePipeline.SdeStages stages = LatticePipeline.sdeStages(spark, sde, checksums, timings, out);
        metrics.put("direct.rows", stages.direct().rows());
        com.fasterxml.jackson.databind.node.ObjectNode analysis = stages.metrics();
        analysis.path("sources").fields().forEachRemaining(e ->
            metrics.put(e.getKey() + ".relative_mse", e.getValue().path("relative_mse").asDouble()));
      }
      timings.put("total_s", PipelineJob.seconds(t0));
      manifest = new LinkedHashMap<>();
      manifest.put("format", "macronet-run");
      manifest.put("format_version", 1);
      manifest.put("code_version", BuildInfo.version());
      manifest.put("created", Instant.now().toString());
      manifest.put("configuration", new LinkedHashMap<>(configuration));
      Map<String, Object> seeds = new LinkedHashMap<>();
      seeds.put("generate.seed", generate.seed());
      if (rc.stages() == ReproduceConfig.Stages.LATTICE || rc.stages() == ReproduceConfig.Stages.SDE) {
        seeds.put("upsample.seed", UpsampleConfig.from(loader).seed());
        seeds.put("evolve.seed", EvolveConfig.from(loader).seed());
      }
      if (rc.stages() == ReproduceConfig.Stages.SDE) {
        SdeConfig sde = SdeConfig.from(loader);
        seeds.put("sde.seed", sde.fit().seed());
        seeds.put("direct.seed", sde.direct().seed());
        seeds.put("rollout.seed", sde.rollout().seed());
      }
      manifest.put("seeds", seeds);
      manifest.put("checksums", new LinkedHashMap<>(checksums));
      manifest.put("timings", timings);
    }
    // what decides the results: not where they are written
    configuration.remove("output.dir");
    configuration.remove("output.overwrite");
    configuration.putAll(rc.resolved());
    Map<String, String> context = new LinkedHashMap<>();
    context.put("code_version", BuildInfo.version());
    context.put("dataset_kernel", dataset.kernel());
    RunSummary actual = RunSummary.of(rc.name(), configuration, Platform.current(), checksums, metrics, context);

    manifest.put("configuration_sha256", actual.configurationSha256());
    manifest.put("platform", actual.platform());
    manifest.put("spark", sparkDescription(spark));
    manifest.put("dataset", Map.of("rows", dataset.rows(), "kernel", dataset.kernel()));
    Map<String, Object> repro = new LinkedHashMap<>();
    repro.put("name", rc.name());
    repro.put("stages", rc.stages().configName());
    repro.put("configuration_file", plan.confFile().getPath());
    repro.put("baseline", rc.baseline().getPath());
    repro.put("hashed_configuration", new java.util.TreeMap<>(configuration));
    manifest.put("reproduce", repro);
    Path manifestPath = PipelineJob.writeJson(spark, runDir, PipelineJob.MANIFEST, manifest);

    RunSummary baseline = plan.baseline();
    Verdict verdict = baseline == null ? null : BaselineComparison.compare(baseline, actual, rc.tolerances());
    if (updateBaseline) {
      writeBaseline(rc.baseline(), actual);
    }
    Map<String, Object> record = new LinkedHashMap<>();
    if (updateBaseline) {
      // the run is the new baseline; how it differs from the one it replaces is for the reader
      record.put("name", rc.name());
      record.put("verdict", "baseline-updated");
      record.put("passed", true);
      record.put("previous_baseline_comparison", verdict == null ? null : verdict.toMap());
    } else {
      record.putAll(verdict.toMap());
    }
    record.put("baseline_updated", updateBaseline);
    record.put("baseline", rc.baseline().getPath());
    record.put("run", runDir.toString());
    record.put("manifest", manifestPath.toString());
    record.put("configuration_sha256", actual.configurationSha256());
    record.put("platform", actual.platform());
    record.put("baseline_platform", baseline == null ? null : baseline.platform());
    record.put("code_version", BuildInfo.version());
    record.put("baseline_code_version", baseline == null ? null : baseline.context().get("code_version"));
    Map<String, Object> tolerances = new LinkedHashMap<>();
    rc.tolerances().asMap().forEach((k, t) -> tolerances.put(k, Map.of("absolute", t.absolute(), "relative",
        t.relative())));
    record.put("tolerances", tolerances);
    Path verdictPath = PipelineJob.writeJson(spark, runDir, VERDICT, record);

    report(rc, plan, verdict, updateBaseline, out);
    out.printf("reproduce: manifest -> %s%nreproduce: verdict -> %s%n", manifestPath, verdictPath);
    return new Outcome(verdict, runDir, updateBaseline, rc.baseline());
  }

  private static void report(ReproduceConfig rc, Plan plan, Verdict verdict, boolean updateBaseline, PrintStream out) {
    if (updateBaseline) {
      String previous = plan.baseline() != null ? "it replaces the previous baseline"
          : plan.baselineProblem() != null ? "it replaces an unreadable one (" + plan.baselineProblem() + ")"
          : "there was none before";
      out.printf("reproduce: %s: NEW BASELINE WRITTEN to %s (%s); review and commit it%n", rc.name(), rc.baseline(),
          previous);
      if (verdict != null) {
        out.println("reproduce: compared with the baseline it replaces:");
        verdict.consoleLines().forEach(l -> out.println("reproduce:   " + l));
      }
      return;
    }
    verdict.consoleLines().forEach(l -> out.println("reproduce: " + rc.name() + ": " + l));
  }

  /**
   * The run folder: {@code output.dir} when the user gave it (it must not exist), else a new
   * {@code <reproduce.runs-dir>/<name>-<UTC time>} (with {@code -2}, {@code -3}, ... when taken).
   * It is created here, so the next run cannot take it.
   */
  static Path claimRunFolder(SparkSession spark, Plan plan) throws IOException {
    Path dir;
    FileSystem fs;
    if (plan.outputDir() != null) {
      dir = new Path(plan.outputDir());
      fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(dir)) {
        throw new ConfigException("output.dir", fs.makeQualified(dir) + " already exists; reproduce writes every run "
            + "to a fresh folder: choose another output.dir, or leave it out for <reproduce.runs-dir>/<name>-<time>");
      }
    } else {
      String base = plan.config().name() + "-" + FOLDER_TIME.format(Instant.now());
      Path runs = new Path(plan.config().runsDir());
      fs = runs.getFileSystem(spark.sparkContext().hadoopConfiguration());
      dir = new Path(runs, base);
      for (int k = 2; fs.exists(dir); k++) {
        dir = new Path(runs, base + "-" + k);
      }
    }
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the run folder " + dir);
    }
    return fs.makeQualified(dir);
  }

  /** The master, and how many executors ran tasks (in local mode the driver is the one executor). */
  static Map<String, Object> sparkDescription(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("master", sc.master());
    boolean local = SparkSessions.isLocal(sc.master());
    m.put("executors", local ? 1 : Math.max(0, sc.statusTracker().getExecutorInfos().length - 1));
    m.put("default_parallelism", sc.defaultParallelism());
    m.put("version", sc.version());
    return m;
  }

  /** Writes the baseline file atomically (a temporary file beside it, then a rename). */
  static void writeBaseline(File file, RunSummary summary) throws IOException {
    java.nio.file.Path target = file.toPath().toAbsolutePath();
    Files.createDirectories(target.getParent());
    java.nio.file.Path tmp = Files.createTempFile(target.getParent(), file.getName(), ".tmp");
    try {
      Files.write(tmp, summary.toJson(Instant.now().toString()));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
