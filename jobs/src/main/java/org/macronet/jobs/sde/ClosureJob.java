package org.macronet.jobs.sde;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.BuildInfo;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.lattice.LatticeInputs;
import org.macronet.jobs.lattice.UpsampleJob;
import org.macronet.jobs.progress.ProgressReporter;
import org.macronet.simulation.lattice.SpinEnsemble;
import org.macronet.training.closure.ClosureAutoencoder;
import org.macronet.training.closure.ClosureTrainer;
import org.macronet.training.closure.ShareSums;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;

/**
 * The {@code closure} job: trains the closure autoencoder ({@link ClosureAutoencoder}: the encoder
 * on every {@code evolve.patch} x {@code evolve.patch} patch, averaged; the decoder from the
 * observables and the closure back to the spins) on the states of {@code <output.dir>/upsampled},
 * and publishes {@code <output.dir>/closure}: {@code model.safetensors} (parameters and running
 * statistics, PyTorch's {@code state_dict} names), {@code model.json}, {@code training.csv}.
 *
 * <p>Data-parallel: the states stay on the executors in {@code closure.partitions} blocks
 * ({@link RowBlocks}); step k's minibatch is drawn from {@code (closure.seed, k)}; each block's
 * share of it is one batch-norm batch and returns its loss, gradient and batch statistics
 * ({@link ShareSums}); the driver folds the shares in block order and takes the Adam step, the
 * running statistics following the count-weighted mean of the shares' (as data-parallel PyTorch
 * without synchronised batch norm). A rerun with the same partitions gives the same weights.
 */
public final class ClosureJob {
  public static final String WEIGHTS = "model.safetensors";
  public static final String DESCRIPTION = "model.json";
  public static final String FORMAT = "macronet-closure";

  private ClosureJob() {}

  /**
   * A trained closure: the autoencoder's shape (lattice side, patch side, closure dimension,
   * encoder channels), its parameters and running statistics, and the observables it decodes from.
   */
  public record Trained(int lattice, int patch, int dimension, int[] channels, List<String> observables,
                        float[] params, float[] buffers) implements java.io.Serializable {
    /** SHA-256 of the parameters and running statistics (float32, little-endian), with the shape. */
    public String checksum() {
      try {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * (params.length + buffers.length))
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(params).put(buffers);
        sha.update((lattice + " " + patch + " " + dimension + " " + java.util.Arrays.toString(channels) + " "
            + observables).getBytes(StandardCharsets.UTF_8));
        sha.update(b.array());
        return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is not available", e);
      }
    }

    /** A new instance of the model (cheap; one per thread). */
    public ClosureAutoencoder model() {
      return new ClosureAutoencoder(lattice, patch, dimension, channels, observables.size());
    }
  }

  public static Trained run(SparkSession spark, SdeConfig cfg, PrintStream log) throws IOException {
    long t0 = System.nanoTime();
    SdeConfig.Closure c = cfg.closure();
    if (!c.enabled()) {
      throw new ConfigException("closure.dimension", "is 0: there is no closure to train; set it to 2 (the reference's)");
    }
    SpinEnsemble system = LatticeInputs.spinSystem(cfg.system(), "closure");
    Path runDir = new Path(cfg.outputDir());
    FileSystem fs = runDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path source = new Path(runDir, UpsampleJob.UPSAMPLED);
    if (!fs.exists(new Path(source, DatasetMetadata.FILE))) {
      throw new ConfigException("output.dir", "no upsampled states in " + fs.makeQualified(source)
          + "; run upsample first");
    }
    DatasetMetadata md = LatticeInputs.states(fs, source, system, "output.dir");
    int side = md.arrayShape()[0];
    List<String> observables = system.observables();
    ClosureAutoencoder model;
    try {
      model = new ClosureAutoencoder(side, cfg.patch(), c.dimension(), c.channels(), observables.size());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("closure.channels", e.getMessage() + " (lattice " + side + ", evolve.patch "
          + cfg.patch() + ")");
    }
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(runDir, SdeConfig.CLOSURE), cfg.overwrite(),
        "output.overwrite");
    ClosureTrainer.Settings settings = new ClosureTrainer.Settings(c.batch(), c.steps(), c.learningRate(), c.seed(), 1);
    ClosureTrainer trainer = new ClosureTrainer(model, settings);
    Map<String, Object> description = new LinkedHashMap<>(model.describe());
    int sites = side * side;
    int nObs = observables.size();
    log.printf("closure: autoencoder of %d parameters (channels %s, closure dimension %d, %d x %d patches) on %d "
        + "states of %s, %d steps of %d in %d partitions%n", model.parameterCount(),
        java.util.Arrays.toString(c.channels()), c.dimension(), cfg.patch(), cfg.patch(), md.rows(),
        fs.makeQualified(source), c.steps(), c.batch(), c.partitions());
    ClosureTrainer.State state = trainer.initialState();
    double[] losses = new double[(int) c.steps()];
    try (RowBlocks blocks = RowBlocks.load(spark.read().parquet(source.toString()), observables,
        LatticeInputs.SPINS, sites, c.partitions())) {
      long n = blocks.rows();
      ConfigException.require(n < Integer.MAX_VALUE, "closure.batch", "more than 2^31 states are not supported");
      long lastLine = System.nanoTime();
      for (long step = 0; step < c.steps(); step++) {
        int[] batch = trainer.draw(step, (int) n);
        float[] at = state.params().clone();
        ShareSums sums = blocks.sum(batch, (b, local) -> {
          if (local.length == 0) {
            return ShareSums.EMPTY;
          }
          byte[] spins = new byte[local.length * sites];
          float[] obs = new float[local.length * nObs];
          for (int r = 0; r < local.length; r++) {
            System.arraycopy(b.bytes(), local[r] * sites, spins, r * sites, sites);
            for (int j = 0; j < nObs; j++) {
              obs[r * nObs + j] = b.value(local[r], j);
            }
          }
          ClosureAutoencoder m = ClosureAutoencoder.fromDescription(description);
          return new ClosureTrainer(m, settings).share(at, spins, obs, local.length);
        }, () -> ShareSums.EMPTY, ShareSums::merge);
        losses[(int) step] = trainer.apply(state, sums);
        if (cfg.progressSeconds() > 0 && System.nanoTime() - lastLine > cfg.progressSeconds() * 1_000_000_000L) {
          lastLine = System.nanoTime();
          log.printf("closure: step %d of %d, binary cross-entropy %s%n", step + 1, c.steps(),
              SdeTrainJob.fmt(losses[(int) step]));
        }
      }
    }
    ObjectNode json = SdeArtifact.JSON.createObjectNode();
    json.put("format", FORMAT);
    json.put("format_version", 1);
    json.put("system", system.name());
    json.set("architecture", SdeArtifact.JSON.valueToTree(description));
    json.set("observables", SdeArtifact.JSON.valueToTree(observables));
    json.put("states_path", fs.makeQualified(source).toString());
    json.put("states_checksum", md.checksum());
    json.set("training", SdeArtifact.JSON.valueToTree(c.resolved()));
    json.put("final_loss", SdeTrainJob.tailMean(losses));
    json.put("code_version", BuildInfo.version());
    json.put("created", Instant.now().toString());
    json.put("seconds", (System.nanoTime() - t0) / 1e9);
    Trained trained = new Trained(side, cfg.patch(), c.dimension(), c.channels(), observables, state.params(),
        state.buffers());
    out.publishAfter(staging -> {
      try (OutputStream o = fs.create(new Path(staging, WEIGHTS), false)) {
        SafeTensors.write(o, model.tensors(state.params(), state.buffers()), Map.of("format", FORMAT));
      }
      try (OutputStream o = fs.create(new Path(staging, DESCRIPTION), false)) {
        o.write(SdeArtifact.JSON.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
      }
      SdeTrainJob.writeLog(fs, new Path(staging, SdeTrainJob.LOG), "bce", losses);
      return null;
    });
    log.printf("closure: wrote %s (binary cross-entropy %s) in %s%n", fs.makeQualified(out.target()),
        SdeTrainJob.fmt(SdeTrainJob.tailMean(losses)), ProgressReporter.duration((System.nanoTime() - t0) / 1e9));
    return trained;
  }

  /** Reads {@code <run>/closure}, refusing a missing folder or a misshapen tensor by name. */
  public static Trained read(FileSystem fs, Path dir) throws IOException {
    Path json = new Path(dir, DESCRIPTION);
    Path weights = new Path(dir, WEIGHTS);
    if (!fs.exists(json) || !fs.exists(weights)) {
      throw new IOException("no closure autoencoder in " + dir + "; run closure first");
    }
    com.fasterxml.jackson.databind.JsonNode root;
    try (var in = fs.open(json)) {
      root = SdeArtifact.JSON.readTree(in);
    }
    if (!FORMAT.equals(root.path("format").asText()) || root.path("format_version").asInt() != 1) {
      throw new IOException(json + ": not a " + FORMAT + " version 1 description");
    }
    var arch = root.path("architecture");
    List<String> observables = new ArrayList<>();
    root.path("observables").forEach(o -> observables.add(o.asText()));
    Trained shape = new Trained(arch.path("lattice").asInt(), arch.path("patch").asInt(), arch.path("closure").asInt(),
        SdeArtifact.JSON.convertValue(arch.path("channels"), int[].class), List.copyOf(observables), null, null);
    ClosureAutoencoder model = shape.model();
    SafeTensorsFile file;
    try (var in = fs.open(weights)) {
      file = SafeTensors.read(in);
    }
    try {
      return new Trained(shape.lattice(), shape.patch(), shape.dimension(), shape.channels(), shape.observables(),
          model.parameters(file), model.buffers(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(weights + ": " + e.getMessage(), e);
    }
  }
}
