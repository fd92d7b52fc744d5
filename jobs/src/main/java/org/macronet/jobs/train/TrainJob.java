package org.macronet.jobs.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.model.Checkpoints;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.training.data.PairData;
import org.macronet.training.linalg.Blas;
import org.macronet.training.macronet.LossAggregator;
import org.macronet.training.macronet.LossSpec;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetLoss;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.MacroNetTrainer;
import org.macronet.training.macronet.TrainingListener;
import org.macronet.training.macronet.TrainingLog;
import org.macronet.training.macronet.TrainingState;

/**
 * The {@code train} job: reads {@code <run>/dataset}, holds out a fraction of rows, fits the input
 * standardisation on the training rows, trains MacroNet with checkpoints in
 * {@code <run>/checkpoints}, and publishes {@code <run>/model} atomically. The gradient sums come
 * from the single-JVM trainer's threads or, with {@code train.mode = spark}, from
 * {@link SparkTrainer}'s partitions, whose executors read and cache the training rows themselves
 * ({@link TrainingBlocks}); the optimiser loop, checkpoints and resumption are the same.
 */
public final class TrainJob {
  public static final String MODEL = "model";
  /** The loss terms over the steps ({@link TrainingLog}), in the model folder and beside the checkpoints. */
  public static final String TRAINING_LOG = "training.csv";

  private TrainJob() {}

  /** What a finished training run reports. */
  public record Result(ModelArtifact model, int trainRows, int heldOutRows, LossAggregator.LossTerms train,
      LossAggregator.LossTerms heldOutTerms, double seconds, long stepsRun) {}

  public static Result run(SparkSession spark, TrainConfig config, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    Path run = new Path(config.outputDir());
    FileSystem fs = run.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path datasetDir = new Path(run, GenerateJob.DATASET);
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(run, MODEL), config.overwrite(), "output.overwrite");
    DatasetMetadata meta = DatasetMetadata.read(fs, datasetDir);
    PairDatasets.refuseEnsemble(meta, datasetDir);
    boolean onSpark = config.mode().onSpark(spark.sparkContext().master());
    ConfigException.require(onSpark || config.localSteps() == 1, "train.local-steps",
        "needs the data-parallel trainer (train.mode = spark), found " + config.localSteps() + " with train.mode = "
            + config.mode().configName() + " on " + spark.sparkContext().master());
    if (onSpark) {
      // the executors read and keep the training, validation and held-out rows; the driver holds none
      PairDatasets.Validation validation = config.restarts() > 1 ? validation(config) : null;
      try (TrainingBlocks blocks = TrainingBlocks.load(spark, datasetDir, meta.uColumns(), meta.vColumns(),
          config.seed(), config.holdout(), validation, false, config.partitions());
          TrainingBlocks validationBlocks = validation == null ? null
              : TrainingBlocks.load(spark, datasetDir, meta.uColumns(), meta.vColumns(), config.seed(),
                  config.holdout(), validation, true, config.partitions());
          TrainingBlocks heldOut = TrainingBlocks.loadHeldOut(spark, datasetDir, meta.uColumns(), meta.vColumns(),
              config.seed(), config.holdout(), config.partitions())) {
        return train(spark, spark.sparkContext().master(), config, log, t0, run, fs, datasetDir, out, meta,
            new Rows(blocks, heldOut, validationBlocks, null, null, null), null);
      }
    }
    PairDatasets.Split split = PairDatasets.load(spark, datasetDir, meta.uColumns(), meta.vColumns(), config.seed(),
        config.holdout());
    return train(null, spark.sparkContext().master(), config, log, t0, run, fs, datasetDir, out, meta,
        local(config, split, datasetDir), null);
  }

  /**
   * Trains in this JVM, with no Spark session, on rows already read ({@code split}, as
   * {@link PairDatasets#load} reads them from {@code datasetDir}), checkpointing in and publishing
   * to {@code config.outputDir()} exactly as {@link #run} does with the single-JVM trainer: the
   * same configuration gives the same weights. What a sweep's task runs.
   *
   * @param master names where it ran, for model.json
   */
  public static Result trainInJvm(FileSystem fs, TrainConfig config, Path datasetDir, DatasetMetadata meta,
      PairDatasets.Split split, String master, java.util.function.LongConsumer onStep, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    Path run = new Path(config.outputDir());
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(run, MODEL), config.overwrite(), "output.overwrite");
    ConfigException.require(config.localSteps() == 1, "train.local-steps",
        "needs the data-parallel trainer (train.mode = spark), found " + config.localSteps());
    return train(null, master, config, log, t0, run, fs, datasetDir, out, meta, local(config, split, datasetDir),
        onStep);
  }

  /** Salt of the hash that sets validation rows aside from the training rows ({@code train.validation}). */
  private static final long VALIDATION_SALT = 0x76616c6964L;

  /** The validation rows of {@code train.restarts}: {@code train.validation} of the training rows. */
  static PairDatasets.Validation validation(TrainConfig config) {
    return new PairDatasets.Validation(config.seed() ^ VALIDATION_SALT, config.validation());
  }

  /** {@code split}'s rows in this JVM, with validation rows set aside from the training rows for restarts. */
  private static Rows local(TrainConfig config, PairDatasets.Split split, Path datasetDir) {
    if (config.restarts() == 1) {
      return new Rows(null, null, null, split.train(), split.heldOut(), null);
    }
    PairDatasets.Validation v = validation(config);
    PairDatasets.Split carved = PairDatasets.split(split.train(), v.seed(), v.fraction(), datasetDir);
    return new Rows(null, null, null, carved.train(), split.heldOut(), carved.heldOut());
  }

  /**
   * The training, held-out and (with restarts) validation rows: on the executors ({@code blocks},
   * {@code heldOutBlocks}, {@code validationBlocks}) or in this JVM ({@code local},
   * {@code localHeldOut}, {@code localValidation}).
   */
  private record Rows(TrainingBlocks blocks, TrainingBlocks heldOutBlocks, TrainingBlocks validationBlocks,
      PairData local, PairData localHeldOut, PairData localValidation) {
    int count() {
      return blocks != null ? blocks.rows() : local.rows();
    }

    int heldOutCount() {
      return blocks != null ? heldOutBlocks.rows() : localHeldOut.rows();
    }

    int uDim() {
      return blocks != null ? blocks.uDim() : local.uDim();
    }

    int vDim() {
      return blocks != null ? blocks.vDim() : local.vDim();
    }

    int validationCount() {
      return blocks != null ? validationBlocks.rows() : localValidation.rows();
    }

    PairData select(int[] rows) {
      return blocks != null ? blocks.select(rows) : local.select(rows);
    }
  }

  /**
   * One training: its model, final state, loss curve, and its final losses (on the training and
   * held-out rows on Spark; on the validation rows with restarts).
   */
  private record Fitted(int restart, long seed, MacroNetSpec spec, MacroNet net, MacroNetTrainer trainer,
      TrainingState state, TrainingLog curve, long startStep, LossAggregator.LossTerms trainTerms,
      LossAggregator.LossTerms heldTerms, LossAggregator.LossTerms validationTerms) {}

  /** What model.json records of each restart: its number, seed and validation loss. */
  private record Restart(int restart, long seed, LossAggregator.LossTerms validation) {}

  /**
   * Trains on {@code rows}: with {@code spark}'s executors when they hold the rows, else in this
   * JVM ({@code spark} may be null); {@code onStep} (may be null) hears of every step. With
   * {@code train.restarts} > 1, trains each restart on the rows left after the validation rows were
   * set aside, with its own checkpoints in {@code <run>/checkpoints/restart-<r>}, and keeps the one
   * with the lowest validation loss.
   */
  private static Result train(SparkSession spark, String master, TrainConfig config, PrintStream log, long t0,
      Path run, FileSystem fs, Path datasetDir, AtomicDirectory out, DatasetMetadata meta, Rows rows,
      java.util.function.LongConsumer onStep) throws IOException {
    boolean onSpark = rows.blocks() != null;
    String fingerprint = fingerprint(config, meta);
    // each restart's seed and validation loss; only the best one's model stays in memory
    List<Restart> restarts = new ArrayList<>();
    Fitted chosen = null;
    long stepsRun = 0;
    for (int r = 0; r < config.restarts(); r++) {
      Checkpoints checkpoints = config.restarts() == 1 ? new Checkpoints(fs, run, fingerprint)
          : Checkpoints.in(fs, new Path(new Path(run, Checkpoints.DIR), RESTART + r), fingerprint + "-" + RESTART + r);
      Fitted f = fit(spark, config, r, rows, checkpoints, meta, fs, log, onStep);
      stepsRun += f.state().stepsDone() - f.startStep();
      if (config.restarts() == 1) {
        chosen = f;
        break;
      }
      LossAggregator.LossTerms v = f.validationTerms();
      log.printf(Locale.ROOT, "train: restart %d of %d (seed %d): validation loss %.4f (L_P %.4f)%n", r + 1,
          config.restarts(), f.seed(), v.loss(), v.predictive());
      if (chosen == null || v.loss() < chosen.validationTerms().loss()) {
        chosen = f;
      }
      restarts.add(new Restart(r, f.seed(), v));
    }
    if (!restarts.isEmpty()) {
      log.printf(Locale.ROOT, "train: keeping restart %d (seed %d), the lowest validation loss of %d%n",
          chosen.restart() + 1, chosen.seed(), config.restarts());
    }
    MacroNetSpec spec = chosen.spec();
    MacroNet net = chosen.net();
    TrainingState state = chosen.state();
    TrainingLog curve = chosen.curve();
    LossAggregator.LossTerms trainTerms = chosen.trainTerms();
    LossAggregator.LossTerms heldTerms = chosen.heldTerms();
    int[] trainEval = MacroNetTrainer.evaluationRows(rows.count(), MacroNetTrainer.FINAL_EVALUATION_ROWS);
    int[] heldEval = MacroNetTrainer.evaluationRows(rows.heldOutCount(), MacroNetTrainer.FINAL_EVALUATION_ROWS);
    if (trainTerms == null) {
      trainTerms = chosen.trainer().evaluate(state.params(), rows.local(), trainEval);
      heldTerms = chosen.trainer().evaluate(state.params(), rows.localHeldOut(), heldEval);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    ObjectNode d = ModelArtifact.describe(net, spec, meta.uColumns(), meta.vColumns(), meta.system());
    ObjectNode lossNode = d.putObject("loss");
    lossNode.put("gamma", config.gamma());
    lossNode.put("normalisation", "per-dimension: L = L_P + gamma (NLL_u / n_u + NLL_v / n_v)");
    lossNode.put("noise", config.noise());
    d.set("training", ModelArtifact.json().valueToTree(config.resolved()));
    ObjectNode result = d.putObject("result");
    result.put("steps", state.stepsDone());
    result.set("train", ModelArtifact.json().valueToTree(trainTerms));
    result.set("held_out", ModelArtifact.json().valueToTree(heldTerms));
    result.put("train_rows", rows.count());
    result.put("held_out_rows", rows.heldOutCount());
    if (trainEval.length < rows.count() || heldEval.length < rows.heldOutCount()) {
      // larger sets are evaluated on evenly spaced rows (MacroNetTrainer.FINAL_EVALUATION_ROWS)
      result.put("train_rows_evaluated", trainEval.length);
      result.put("held_out_rows_evaluated", heldEval.length);
    }
    if (!restarts.isEmpty()) {
      ObjectNode rs = result.putObject("restarts");
      rs.put("selected", chosen.restart());
      rs.put("selected_by", "lowest validation loss");
      rs.put("validation_rows", rows.validationCount());
      com.fasterxml.jackson.databind.node.ArrayNode list = rs.putArray("runs");
      for (Restart each : restarts) {
        ObjectNode e = list.addObject();
        e.put("restart", each.restart());
        e.put("seed", each.seed());
        e.set("validation", ModelArtifact.json().valueToTree(each.validation()));
      }
    }
    result.put("seconds", seconds);
    ObjectNode trainedOn = result.putObject("trainer");
    trainedOn.put("mode", onSpark ? "spark" : "jvm");
    trainedOn.put("master", master);
    if (onSpark) {
      trainedOn.put("partitions", config.partitions());
      trainedOn.put("local_steps", config.localSteps());
    } else {
      trainedOn.put("threads", config.threads());
    }
    ObjectNode prov = d.putObject("provenance");
    prov.put("dataset", datasetDir.toString());
    prov.put("dataset_checksum", meta.checksum());
    prov.put("code_version", BuildInfo.version());
    prov.put("created", Instant.now().toString());
    ModelArtifact model = new ModelArtifact(net, spec, state.params(), d);
    out.publishAfter(staging -> {
      model.write(fs, staging);
      writeText(fs, new Path(staging, TRAINING_LOG), curve.toCsv());
      return null;
    });
    log.printf(Locale.ROOT, "train: held-out loss %.4f (L_P %.4f); model -> %s (%.1f s)%n", heldTerms.loss(),
        heldTerms.predictive(), fs.makeQualified(out.target()), seconds);
    return new Result(model, rows.count(), rows.heldOutCount(), trainTerms, heldTerms, seconds,
        stepsRun);
  }


  /** The folder of restart r's checkpoints under {@code <run>/checkpoints}. */
  static final String RESTART = "restart-";

  /**
   * Restart {@code r}'s training on {@code rows}, its weights, permutations and minibatches from
   * {@code train.restartSeed(r)}, resuming from {@code checkpoints} when {@code train.resume} is
   * set; on Spark, with its final losses on the training and held-out rows.
   */
  private static Fitted fit(SparkSession spark, TrainConfig config, int r, Rows rows, Checkpoints checkpoints,
      DatasetMetadata meta, FileSystem fs, PrintStream log, java.util.function.LongConsumer onStep)
      throws IOException {
    int uDim = rows.uDim();
    int vDim = rows.vDim();
    boolean onSpark = rows.blocks() != null;
    long seed = config.restartSeed(r);
    MacroNetSpec spec = config.spec(uDim, vDim, meta.arrayShape(), seed);
    LossSpec lossSpec = onSpark
        ? LossSpec.of(spec, rows.blocks().standardizationU(spec.shared()),
            spec.shared() ? null : rows.blocks().standardizationV(), config.gamma(), config.noise(),
            config.augmentation(meta.arrayShape()))
        : LossSpec.fit(spec, rows.local(), config.gamma(), config.noise(), config.augmentation(meta.arrayShape()));
    MacroNetLoss loss = lossSpec.loss();
    MacroNet net = loss.net();
    MacroNetTrainer trainer = new MacroNetTrainer(loss, config.settings(seed));
    TrainingState state;
    Path logFile = new Path(checkpoints.dir(), TRAINING_LOG);
    TrainingLog trainingLog = TrainingLog.forSteps(config.steps(), config.checkpointEvery());
    if (config.resume()) {
      state = checkpoints.latest(net, w -> log.println("train: " + w)).orElse(null);
      if (state != null && fs.exists(logFile)) {
        try (java.io.Reader in = new java.io.InputStreamReader(fs.open(logFile), StandardCharsets.UTF_8)) {
          trainingLog = TrainingLog.read(in, trainingLog.window(), fs.makeQualified(logFile).toString());
        }
        trainingLog.truncate(state.stepsDone());
      }
      if (state == null) {
        log.printf("train: no checkpoint in %s; starting from step 0%n", checkpoints.dir());
        state = trainer.initialState(rows.count(), rows::select);
      } else {
        log.printf("train: resuming from the checkpoint at step %d%n", state.stepsDone());
      }
    } else {
      if (checkpoints.any()) {
        if (!config.overwrite()) {
          throw new ConfigException("train.resume", checkpoints.dir() + " holds checkpoints of an earlier run; set "
              + "train.resume=true to continue it, or output.overwrite=true to start over");
        }
        checkpoints.clear();
      }
      state = trainer.initialState(rows.count(), rows::select);
    }
    long startStep = state.stepsDone();
    log.printf(Locale.ROOT, "train: %s%s on %d pairs (%d held out), u %d, v %d, d %d, %d parameters, %d steps of "
            + "%d, %s, BLAS %s%n", meta.system(), config.restarts() > 1 ? String.format(Locale.ROOT,
            ", restart %d of %d (seed %d),", r + 1, config.restarts(), seed) : "", rows.count(), rows.heldOutCount(),
        uDim, vDim, spec.macroDim(), net.parameterCount(), config.steps(), config.batch(), onSpark ? "Spark, "
            + config.partitions() + " partitions" + (config.localSteps() > 1 ? ", " + config.localSteps()
            + " local steps per round" : "") : config.threads() + " threads", Blas.implementation());
    if (lossSpec.loss().augmentV() != null) {
      log.printf("train: each training pattern moved by a random element of the %s (train.augment)%n",
          lossSpec.loss().augmentV());
    }
    TrainingLog curve = trainingLog;
    TrainingListener listener = new TrainingListener() {
      @Override
      public void onStep(long stepsDone, LossAggregator.LossTerms terms, double gradientNorm, double learningRate) {
        curve.add(stepsDone, terms, gradientNorm, learningRate, stepsDone == config.steps());
        if (onStep != null) {
          onStep.accept(stepsDone);
        }
      }

      @Override
      public void onProgress(Progress p) {
        LossAggregator.LossTerms t = p.terms();
        log.printf(Locale.ROOT, "train: step %d/%d  loss %.4f  L_P %.4f  NLL_u %.3f  NLL_v %.3f  |g| %.3g  lr %.2e  "
                + "%.0f steps/s  %s left%n", p.stepsDone(), p.totalSteps(), t.loss(), t.predictive(), t.nllU(), t.nllV(),
            p.gradientNorm(), p.learningRate(), p.stepsPerSecond(), duration(p.secondsLeft()));
      }

      @Override
      public void onCheckpoint(TrainingState s) {
        try {
          // the log first: killed between the two, the log runs past the latest checkpoint, and a
          // resumed run truncates it there; the other way round it would miss the steps since the one before
          writeText(fs, logFile, curve.toCsv());
          checkpoints.save(net, s);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException("cannot write the checkpoint at step " + s.stepsDone(), e);
        }
      }
    };
    boolean restarts = config.restarts() > 1;
    // the final losses average over at most FINAL_EVALUATION_ROWS rows of each set, evenly spaced
    int[] validationEval = restarts
        ? MacroNetTrainer.evaluationRows(rows.validationCount(), MacroNetTrainer.FINAL_EVALUATION_ROWS) : null;
    if (!onSpark) {
      trainer.train(rows.local(), state, listener);
      if (restarts && state.stepsDone() > startStep) {
        // the finished restart, for a resumed run to compare with the others
        listener.onCheckpoint(state);
      }
      return new Fitted(r, seed, spec, net, trainer, state, curve, startStep, null, null,
          restarts ? trainer.evaluate(state.params(), rows.localValidation(), validationEval) : null);
    }
    int[] trainEval = MacroNetTrainer.evaluationRows(rows.count(), MacroNetTrainer.FINAL_EVALUATION_ROWS);
    int[] heldEval = MacroNetTrainer.evaluationRows(rows.heldOutCount(), MacroNetTrainer.FINAL_EVALUATION_ROWS);
    try (SparkTrainer sparkTrainer = new SparkTrainer(spark, lossSpec, config.settings(seed))) {
      sparkTrainer.train(rows.blocks().rdd(), rows.count(), state, listener, config.localSteps());
      if (restarts && state.stepsDone() > startStep) {
        listener.onCheckpoint(state);
      }
      return new Fitted(r, seed, spec, net, trainer, state, curve, startStep,
          sparkTrainer.evaluate(rows.blocks().rdd(), state.params(), trainEval),
          sparkTrainer.evaluate(rows.heldOutBlocks().rdd(), state.params(), heldEval),
          restarts ? sparkTrainer.evaluate(rows.validationBlocks().rdd(), state.params(), validationEval) : null);
    }
  }

  /**
   * Identifies the training configuration and dataset a checkpoint belongs to. The keys that say
   * only where the sums are computed (train.mode, train.partitions, train.threads) are left out, so
   * a run can resume on another machine or cluster; its weights then match an uninterrupted run's
   * to float rounding instead of bit for bit.
   */
  static String fingerprint(TrainConfig config, DatasetMetadata meta) {
    java.util.Map<String, Object> keys = new java.util.LinkedHashMap<>(config.resolved());
    keys.keySet().removeAll(java.util.List.of("train.mode", "train.partitions", "train.threads"));
    return Integer.toHexString(keys.toString().hashCode()) + "-" + meta.checksum();
  }

  private static void writeText(FileSystem fs, Path file, String text) throws IOException {
    org.macronet.jobs.io.AtomicFile.write(fs, file, text.getBytes(StandardCharsets.UTF_8));
  }

  static String duration(double seconds) {
    if (!Double.isFinite(seconds)) {
      return "?";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60)
        : s + "s";
  }
}
