package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.model.Checkpoints;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.optim.Adam;
import org.macronet.training.sde.IncrementLoss;
import org.macronet.training.sde.SdeModel;

/**
 * {@code train} for the learned-SDE method: fits {@link SdeModel} to the increments of
 * {@code <output.dir>/pairs} and publishes {@code <output.dir>/sde} (or {@code sde-naive},
 * {@link SdeArtifact}) atomically. The patch-corrected model takes the whole lattice's
 * macrostate before and after ({@code m, rho} and {@code m_1, rho_1}) with lambda = K; the naive
 * one, with lambda = 1, the lattice's before and the evolved patch's own after ({@code patch_m_1},
 * the reference's baseline), or the patch's own before and after ({@link #columns}).
 *
 * <p>Data-parallel: the increments stay on the executors ({@link RowBlocks}); step k's
 * minibatch is {@code sde.batch} global row indices drawn with replacement from
 * {@code (sde.seed, k)}, as {@link org.macronet.training.sde.SdeTrainer} draws them in one JVM;
 * each block adds the loss and gradient of its share divided by the batch size, the sums are
 * combined in partition order, and the driver takes the Adam step (learning rate dropping to a
 * tenth for the last fifth). Checkpoints every {@code sde.checkpoint-every} steps in
 * {@code <output.dir>/<model>.checkpoints}; a rerun resumes from the newest with the same result as
 * an uninterrupted run.
 */
public final class SdeTrainJob {
  public static final String LOG = "training.csv";

  private SdeTrainJob() {}

  /** The sums of one minibatch share: loss, gradient, and the first partition that was not finite. */
  record Sums(double loss, double[] grad, long firstBad) implements Serializable {
    Sums merge(Sums o) {
      double[] g = grad.clone();
      for (int i = 0; i < g.length; i++) {
        g[i] += o.grad[i];
      }
      long bad = firstBad < 0 ? o.firstBad : o.firstBad < 0 ? firstBad : Math.min(firstBad, o.firstBad);
      return new Sums(loss + o.loss, g, bad);
    }
  }

  /**
   * The columns of z0 and z1 in the pairs: for the patch-corrected model the lattice's before and
   * after; for the naive model ({@code fit.naive()}) the lattice before and the patch alone after
   * (the reference's), or the patch alone before and after ({@code sde.naive-pairs = patch}).
   */
  static List<List<String>> columns(List<String> observables, SdeConfig.Fit fit) {
    List<String> z0 = new ArrayList<>();
    List<String> z1 = new ArrayList<>();
    boolean patchBefore = fit.naive() && fit.naivePairs().equals(SdeConfig.Fit.PATCH);
    for (String o : observables) {
      z0.add(patchBefore ? "patch_" + o + "_0" : o);
      z1.add(fit.naive() ? "patch_" + o + "_1" : o + "_1");
    }
    return List.of(z0, z1);
  }

  public static SdeArtifact run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    SdeConfig.Fit fit = cfg.fit();
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path pairsDir = new Path(runDir, EvolveConfig.PAIRS);
    if (!fs.exists(new Path(pairsDir, DatasetMetadata.FILE))) {
      throw new ConfigException("output.dir", "no partial-evolution pairs in " + fs.makeQualified(pairsDir)
          + "; run evolve first");
    }
    DatasetMetadata meta = DatasetMetadata.read(fs, pairsDir);
    if (!DatasetMetadata.PATCH_PAIRS.equals(meta.kind())) {
      throw new ConfigException("output.dir", pairsDir + " holds " + meta.kind() + " data, not partial-evolution pairs");
    }
    if (!meta.system().equals(cfg.system().name())) {
      throw new ConfigException("system", pairsDir + " holds " + meta.system() + " pairs, but the configuration is for "
          + cfg.system().name());
    }
    List<String> observables = new ArrayList<>(meta.vColumns());
    Path source = pairsDir;
    if (cfg.closure().enabled()) {
      // the macrostate gains the learned closure, from the encoded pairs
      EncodeJob.checkSources(fs, runDir, cfg.closure().dimension(), meta.checksum(), null);
      source = new Path(new Path(runDir, SdeConfig.ENCODED), EncodeJob.PAIRS);
      observables.addAll(EncodeJob.closureColumns(cfg.closure().dimension()));
    }
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(runDir, fit.modelName()), cfg.overwrite(),
        "output.overwrite");
    List<List<String>> cols = columns(observables, fit);
    Dataset<Row> pairs = spark.read().parquet(source.toString());
    Row k = pairs.agg(min("patches"), max("patches")).first();
    if (k.isNullAt(0)) {
      throw new ConfigException("output.dir", source + " holds no pairs");
    }
    if (k.getInt(0) != k.getInt(1)) {
      throw new IllegalArgumentException(pairsDir + " mixes patch counts " + k.getInt(0) + " and " + k.getInt(1));
    }
    int patches = k.getInt(0);
    double lambda = fit.lambdaFor(patches);
    SdeModel model = new SdeModel(observables.size(), fit.hidden(), fit.sigma());
    String fingerprint = fingerprint(fit, patches, meta.checksum(), cols) + " " + cfg.closure().resolved();
    Checkpoints checkpoints = Checkpoints.in(fs, new Path(runDir, fit.modelName() + ".checkpoints"), fingerprint);
    if (cfg.overwrite()) {
      checkpoints.clear();
    }
    log.printf("train: %s SDE of %s on %s, lambda %s, %d steps of %d in %d partitions%n", fit.modelName(),
        cols.get(0), fs.makeQualified(source), fmt(lambda), fit.steps(), fit.batch(), fit.partitions());
    List<String> columns = new ArrayList<>(cols.get(0));
    columns.addAll(cols.get(1));
    columns.add("dt");
    Standardisation standard = fit.standardise() ? Standardisation.of(pairs, cols.get(0)) : null;
    Dataset<Row> rows = standard == null ? pairs : standard.apply(pairs, cols);
    if (standard != null) {
      log.printf("train: standardised z0 and z1 by mean %s and sd %s%n", java.util.Arrays.toString(standard.mean()),
          java.util.Arrays.toString(standard.sd()));
    }
    try (RowBlocks blocks = RowBlocks.load(rows, columns, null, 0, fit.partitions())) {
      Optional<TrainingState> resumed = checkpoints.latest(SdeArtifact.codec(model), log::println);
      TrainingState state = resumed.orElseGet(() -> {
        float[] p = model.initialParameters(new SplittableRandom(fit.seed()), 0.1, fit.initialSigma());
        return new TrainingState(p, new Adam(p.length), 0);
      });
      if (resumed.isPresent()) {
        log.printf("train: resuming from the checkpoint at step %d%n", state.stepsDone());
      }
      double[] losses = train(blocks, model, fit, lambda, state, fit.steps(), checkpoints, cfg.progressSeconds(), log);
      ObjectNode description = SdeArtifact.describe(model, observables, cfg.system().name(), lambda, fit.eps());
      description.set("pair_columns", SdeArtifact.JSON.valueToTree(cols));
      description.put("patches", patches);
      description.put("dataset_path", fs.makeQualified(source).toString());
      description.put("dataset_checksum", meta.checksum());
      description.put("training_rows", blocks.rows());
      description.set("training", SdeArtifact.JSON.valueToTree(fit.resolved(patches)));
      description.put("final_loss", tailMean(losses));
      if (standard != null) {
        description.set(SdeArtifact.STANDARDISATION, standard.json());
      }
      description.put("code_version", BuildInfo.version());
      description.put("created", Instant.now().toString());
      description.put("seconds", (System.nanoTime() - t0) / 1e9);
      SdeArtifact artifact = new SdeArtifact(model, state.params(), observables, description);
      out.publishAfter(staging -> {
        artifact.write(fs, staging);
        writeLog(fs, new Path(staging, LOG), "loss", losses);
        return null;
      });
      checkpoints.clear();
      log.printf("train: wrote %s (final loss %s) in %s%n", fs.makeQualified(out.target()),
          fmt(tailMean(losses)), ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
      return artifact;
    }
  }

  /**
   * Trains from {@code state} (changed in place) to step {@code until} of {@code fit.steps()};
   * returns each step's loss (NaN for the steps not run here).
   */
  static double[] train(RowBlocks blocks, SdeModel model, SdeConfig.Fit fit, double lambda,
                        TrainingState state, long until, Checkpoints checkpoints, int progressSeconds,
                        PrintStream log) throws IOException {
    long n = blocks.rows();
    ConfigException.require(n < Integer.MAX_VALUE, "output.dir", "more than 2^31 training pairs are not supported");
    int count = model.parameterCount();
    int batch = fit.batch();
    double eps = fit.eps();
    int dim = model.dimension();
    int[] hidden = fit.hidden();
    org.macronet.training.sde.SigmaMode mode = fit.sigma();
    double[] losses = new double[(int) fit.steps()];
    java.util.Arrays.fill(losses, Double.NaN);
    float[] params = state.params();
    Adam adam = state.adam();
    long lastLine = System.nanoTime();
    for (long step = state.stepsDone(); step < until; step++) {
      SampleRandom order = SampleSeeds.forSample(fit.seed(), step);
      int[] rows = new int[batch];
      for (int i = 0; i < batch; i++) {
        rows[i] = order.nextInt((int) n);
      }
      float[] at = params.clone();
      Sums s = blocks.sum(rows, (b, local) -> {
        int d = dim;
        float[] z0 = new float[local.length * d];
        float[] z1 = new float[local.length * d];
        float[] dt = new float[local.length];
        for (int r = 0; r < local.length; r++) {
          for (int j = 0; j < d; j++) {
            z0[r * d + j] = b.value(local[r], j);
            z1[r * d + j] = b.value(local[r], d + j);
          }
          dt[r] = b.value(local[r], 2 * d);
        }
        float[] grad = new float[count];
        SdeModel m = new SdeModel(dim, hidden, mode);
        double loss = local.length == 0 ? 0 : m.loss(at, z0, z1, dt, local.length, new IncrementLoss(d, lambda, eps),
            m.newScratch(local.length), grad, batch);
        double[] g = new double[count];
        boolean finite = Double.isFinite(loss);
        for (int i = 0; i < count; i++) {
          g[i] = grad[i];
          finite &= Float.isFinite(grad[i]);
        }
        return new Sums(loss, g, finite ? -1 : b.first() + local[0]);
      }, () -> new Sums(0, new double[count], -1), Sums::merge);
      if (s.firstBad() >= 0 || !Double.isFinite(s.loss()) || !allFinite(s.grad())) {
        throw new IllegalStateException("the SDE loss or its gradient became " + s.loss() + " at step " + step
            + (s.firstBad() >= 0 ? " (first in the share of the block holding pair row " + s.firstBad() + ")" : "")
            + "; the last checkpoint is kept (lower sde.learning-rate, or raise sde.eps)");
      }
      losses[(int) step] = s.loss();
      adam.step(params, s.grad(), step < fit.steps() * 4 / 5 ? fit.learningRate() : fit.learningRate() / 10);
      long done = step + 1;
      if (fit.checkpointEvery() > 0 && done % fit.checkpointEvery() == 0 && done < fit.steps()) {
        checkpoints.save(SdeArtifact.codec(model), new TrainingState(params, adam, done));
      }
      if (progressSeconds > 0 && System.nanoTime() - lastLine > progressSeconds * 1_000_000_000L) {
        lastLine = System.nanoTime();
        log.printf("train: step %d of %d, loss %s%n", done, fit.steps(), fmt(s.loss()));
      }
    }
    return losses;
  }

  private static boolean allFinite(double[] xs) {
    for (double x : xs) {
      if (!Double.isFinite(x)) {
        return false;
      }
    }
    return true;
  }

  /** Mean of the last tenth of the recorded losses. */
  static double tailMean(double[] losses) {
    int from = losses.length - Math.max(1, losses.length / 10);
    double sum = 0;
    int count = 0;
    for (int i = Math.max(0, from); i < losses.length; i++) {
      if (!Double.isNaN(losses[i])) {
        sum += losses[i];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  /** A training log: {@code step,<column>} per step that ran (steps not run here, NaN, left out). */
  static void writeLog(FileSystem fs, Path file, String column, double[] losses) throws IOException {
    StringBuilder sb = new StringBuilder("step,").append(column).append('\n');
    for (int i = 0; i < losses.length; i++) {
      if (!Double.isNaN(losses[i])) {
        sb.append(i + 1).append(',').append(losses[i]).append('\n');
      }
    }
    try (OutputStream o = fs.create(file, false)) {
      o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String fingerprint(SdeConfig.Fit fit, int patches, String checksum, List<List<String>> cols) {
    return fit.resolved(patches) + " " + cols + " dataset " + checksum;
  }

  static String fmt(double x) {
    return String.format(Locale.ROOT, "%.6g", x);
  }
}
