package org.macronet.jobs.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.simulation.config.ConfigException;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainSettings;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.LearningRateSchedule;

/** Everything the {@code train} job needs, validated on construction; keys under {@code train.}. */
public record TrainConfig(String outputDir, boolean overwrite, int macroDim, boolean shared, int couplings,
    int[] hidden, Activation activation, double clamp, boolean actNorm, double lastLayerScale, double gamma,
    double noise, long steps, int batch, double learningRate, LearningRateSchedule.Kind schedule, long warmup,
    double finalLrFraction, double clipNorm, long seed, int threads, int partitions, long checkpointEvery,
    boolean resume, double holdout, long logEvery, Mode mode, int localSteps) {

  /**
   * Where the gradient sums are computed: {@code jvm}, the single-JVM trainer's threads;
   * {@code spark}, data-parallel over {@code train.partitions} Spark partitions; {@code auto},
   * spark when the master is not local, else jvm.
   */
  public enum Mode {
    JVM, SPARK, AUTO;

    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether this mode trains on Spark under {@code master}. */
    public boolean onSpark(String master) {
      return this == SPARK || this == AUTO && !org.macronet.jobs.SparkSessions.isLocal(master);
    }
  }

  public TrainConfig {
    ConfigException.require(outputDir != null && !outputDir.isBlank(), "output.dir", "must not be empty");
    ConfigException.require(macroDim >= 1, "train.macro-dim", "must be >= 1, found " + macroDim);
    ConfigException.require(couplings >= 1 && couplings <= 256, "train.couplings", "must be in [1, 256], found " + couplings);
    ConfigException.require(hidden.length >= 1 && Arrays.stream(hidden).allMatch(h -> h >= 1 && h <= 65536),
        "train.hidden", "must list 1 or more widths in [1, 65536], found " + Arrays.toString(hidden));
    ConfigException.require(clamp > 0 && Double.isFinite(clamp), "train.clamp", "must be > 0, found " + clamp);
    ConfigException.require(lastLayerScale >= 0 && lastLayerScale <= 10, "train.last-layer-scale",
        "must be in [0, 10], found " + lastLayerScale);
    ConfigException.require(gamma >= 0 && Double.isFinite(gamma), "train.gamma", "must be >= 0, found " + gamma);
    ConfigException.require(noise >= 0 && noise < 10, "train.noise", "must be in [0, 10), found " + noise);
    ConfigException.require(steps >= 1, "train.steps", "must be >= 1, found " + steps);
    ConfigException.require(batch >= 1 && batch <= 1 << 20, "train.batch", "must be in [1, 1048576], found " + batch);
    ConfigException.require(learningRate > 0 && learningRate < 10, "train.learning-rate",
        "must be in (0, 10), found " + learningRate);
    ConfigException.require(warmup >= 0, "train.warmup", "must be >= 0, found " + warmup);
    ConfigException.require(finalLrFraction >= 0 && finalLrFraction <= 1, "train.final-lr-fraction",
        "must be in [0, 1], found " + finalLrFraction);
    ConfigException.require(clipNorm >= 0, "train.clip-norm", "must be >= 0, found " + clipNorm);
    ConfigException.require(threads >= 1 && threads <= 1024 && threads <= batch, "train.threads",
        "must be in [1, min(1024, train.batch)], found " + threads);
    ConfigException.require(partitions >= 1, "train.partitions", "must be >= 1, found " + partitions);
    ConfigException.require(checkpointEvery >= 0, "train.checkpoint-every", "must be >= 0, found " + checkpointEvery);
    ConfigException.require(holdout > 0 && holdout < 1, "train.holdout", "must be in (0, 1), found " + holdout);
    ConfigException.require(logEvery >= 1, "train.log-every", "must be >= 1, found " + logEvery);
    ConfigException.require(mode != null, "train.mode", "must be jvm, spark or auto");
    ConfigException.require(localSteps >= 1 && localSteps <= 100_000, "train.local-steps",
        "must be in [1, 100000], found " + localSteps);
    hidden = hidden.clone();
  }

  public static TrainConfig from(ConfigLoader c) {
    String schedule = c.string("train.schedule");
    LearningRateSchedule.Kind kind;
    try {
      kind = LearningRateSchedule.Kind.parse(schedule);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("train.schedule", "must be constant or cosine, found '" + schedule + "'");
    }
    String modeName = c.string("train.mode");
    Mode mode = java.util.Arrays.stream(Mode.values()).filter(m -> m.configName().equals(modeName)).findFirst()
        .orElseThrow(() -> new ConfigException("train.mode", "must be jvm, spark or auto, found '" + modeName + "'"));
    String act = c.string("train.activation");
    Activation activation;
    try {
      activation = Activation.parse(act);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("train.activation", "must be relu or tanh, found '" + act + "'");
    }
    return new TrainConfig(c.string("output.dir"), c.booleanValue("output.overwrite"), c.intValue("train.macro-dim"),
        c.booleanValue("train.shared"), c.intValue("train.couplings"), c.intList("train.hidden"), activation,
        c.doubleValue("train.clamp"), c.booleanValue("train.actnorm"), c.doubleValue("train.last-layer-scale"),
        c.doubleValue("train.gamma"), c.doubleValue("train.noise"), c.longValue("train.steps"),
        c.intValue("train.batch"), c.doubleValue("train.learning-rate"), kind, c.longValue("train.warmup"),
        c.doubleValue("train.final-lr-fraction"), c.doubleValue("train.clip-norm"), c.longValue("train.seed"),
        c.intValue("train.threads"), c.intValue("train.partitions"), c.longValue("train.checkpoint-every"),
        c.booleanValue("train.resume"), c.doubleValue("train.holdout"), c.longValue("train.log-every"), mode,
        c.intValue("train.local-steps"));
  }

  /** The architecture for u and v of the given widths; checks d and sharing against them. */
  public MacroNetSpec spec(int uDim, int vDim) {
    ConfigException.require(macroDim <= Math.min(uDim, vDim), "train.macro-dim",
        "must be at most min(n_u, n_v) = " + Math.min(uDim, vDim) + ", found " + macroDim);
    ConfigException.require(!shared || uDim == vDim, "train.shared",
        "needs u and v of one width, found " + uDim + " and " + vDim);
    return new MacroNetSpec(uDim, vDim, macroDim, shared, couplings, hidden, activation, clamp, actNorm,
        lastLayerScale, seed);
  }

  public TrainSettings settings() {
    return new TrainSettings(steps, batch, new LearningRateSchedule(learningRate, schedule, warmup, steps,
        finalLrFraction), clipNorm, seed, threads, checkpointEvery, logEvery);
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The resolved settings as configuration keys and values. */
  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("train.macro-dim", macroDim);
    m.put("train.shared", shared);
    m.put("train.couplings", couplings);
    m.put("train.hidden", Arrays.stream(hidden).boxed().toList());
    m.put("train.activation", activation.configName());
    m.put("train.clamp", clamp);
    m.put("train.actnorm", actNorm);
    m.put("train.last-layer-scale", lastLayerScale);
    m.put("train.gamma", gamma);
    m.put("train.loss-normalisation", "per-dimension: L = L_P + gamma (NLL_u / n_u + NLL_v / n_v)");
    m.put("train.noise", noise);
    m.put("train.steps", steps);
    m.put("train.batch", batch);
    m.put("train.learning-rate", learningRate);
    m.put("train.schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
    m.put("train.warmup", warmup);
    m.put("train.final-lr-fraction", finalLrFraction);
    m.put("train.clip-norm", clipNorm);
    m.put("train.seed", seed);
    m.put("train.threads", threads);
    m.put("train.partitions", partitions);
    if (mode != Mode.AUTO) {
      // only when it is not the default, so that configurations from before the key keep their hash
      m.put("train.mode", mode.configName());
    }
    if (localSteps != 1) {
      m.put("train.local-steps", localSteps);
    }
    m.put("train.checkpoint-every", checkpointEvery);
    m.put("train.holdout", holdout);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainConfig t && resolved().equals(t.resolved()) && outputDir.equals(t.outputDir)
        && overwrite == t.overwrite && resume == t.resume && logEvery == t.logEvery;
  }

  @Override
  public int hashCode() {
    return resolved().hashCode();
  }
}
