package org.macronet.jobs.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.prior.PriorEntry;
import org.macronet.training.flow.BoxLogit;
import org.macronet.training.flow.image.ImageAugmentation;
import org.macronet.training.flow.image.ImageFlow;
import org.macronet.training.flow.image.ImageShape;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainSettings;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.LearningRateSchedule;

/** Everything the {@code train} job needs, validated on construction; keys under {@code train.}. */
public record TrainConfig(String outputDir, boolean overwrite, int macroDim, boolean shared, int couplings,
    int[] hidden, Activation activation, double clamp, boolean actNorm, double lastLayerScale, double gamma,
    double noise, long steps, int batch, double learningRate, LearningRateSchedule.Kind schedule, long warmup,
    double finalLrFraction, double clipNorm, long seed, int threads, int partitions, long checkpointEvery,
    boolean resume, double holdout, long logEvery, Mode mode, int localSteps, ImageV image, int restarts,
    double validation, PairSystem.Symmetry augment, BoxLogit.Bounds boxU) implements java.io.Serializable {
  private static final long RESTART_SALT = 0x72657374617274L;
  /**
   * How far {@code train.u-box = prior} widens the prior's box on each side, as a fraction of its
   * width, beyond the reach of the training noise ({@link #BOX_NOISE_REACH}).
   */
  public static final double BOX_MARGIN = 1e-3;
  /**
   * Standard deviations of the training noise the box also makes room for on each side: a value
   * drawn at an edge and moved out by the noise would have no image (a non-finite loss). The noise
   * of a column is {@code train.noise} times its standard deviation, width / sqrt(12) for a uniform
   * draw; 8 of them are passed with probability about 1e-15.
   */
  public static final double BOX_NOISE_REACH = 8;

  /**
   * The image flow of v ({@code train.v-flow = image}, the default for image observations): {@code scales}
   * Haar squeezes with multi-scale splits, {@code steps} conv couplings per scale with
   * {@code hidden[s]} channels at scale s and {@code kernel} x {@code kernel} convolutions, then
   * {@code headCouplings} dense couplings (hidden widths {@code headHidden}) on the last scale.
   * The couplings use {@code train.activation}, {@code train.clamp} and {@code train.last-layer-scale}.
   */
  public record ImageV(int scales, int steps, int[] hidden, int kernel, int headCouplings, int[] headHidden)
      implements java.io.Serializable {
    public ImageV {
      ConfigException.require(scales >= 1 && scales <= 8, "train.image.scales", "must be in [1, 8], found " + scales);
      ConfigException.require(steps >= 1 && steps <= 64, "train.image.steps", "must be in [1, 64], found " + steps);
      ConfigException.require(hidden.length == scales && Arrays.stream(hidden).allMatch(h -> h >= 1 && h <= 4096),
          "train.image.hidden", "must list one width in [1, 4096] per scale (" + scales + "), found "
              + Arrays.toString(hidden));
      ConfigException.require(kernel >= 1 && kernel <= 15 && kernel % 2 == 1, "train.image.kernel",
          "must be odd, in [1, 15], found " + kernel);
      ConfigException.require(headCouplings >= 0 && headCouplings <= 64, "train.image.head-couplings",
          "must be in [0, 64], found " + headCouplings);
      ConfigException.require(headCouplings == 0 || headHidden.length >= 1
          && Arrays.stream(headHidden).allMatch(h -> h >= 1 && h <= 65536), "train.image.head-hidden",
          "must list 1 or more widths in [1, 65536], found " + Arrays.toString(headHidden));
      hidden = hidden.clone();
      headHidden = headHidden.clone();
    }

    @Override
    public int[] hidden() {
      return hidden.clone();
    }

    @Override
    public int[] headHidden() {
      return headHidden.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ImageV v && scales == v.scales && steps == v.steps && Arrays.equals(hidden, v.hidden)
          && kernel == v.kernel && headCouplings == v.headCouplings && Arrays.equals(headHidden, v.headHidden);
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(scales, steps, Arrays.hashCode(hidden), kernel, headCouplings,
          Arrays.hashCode(headHidden));
    }
  }

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
    ConfigException.require(restarts >= 1 && restarts <= 1000, "train.restarts",
        "must be in [1, 1000], found " + restarts);
    ConfigException.require(validation > 0 && validation < 1, "train.validation",
        "must be in (0, 1), found " + validation);
    ConfigException.require(augment != null, "train.augment", "must be none, translations or lattice");
    ConfigException.require(boxU == null || !shared, "train.u-box", "needs separate flows for u and v, found "
        + "train.shared = true");
    hidden = hidden.clone();
  }

  public static TrainConfig from(ConfigLoader c) {
    if (!c.string("system").isBlank()) {
      Systems.create(c); // refuses a system that makes trajectories, not pairs, naming the key
    }
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
    return new TrainConfig(c.string("output.dir"), c.booleanValue("output.overwrite"), macroDim(c), shared(c),
        c.intValue("train.couplings"), c.intList("train.hidden"), activation,
        c.doubleValue("train.clamp"), c.booleanValue("train.actnorm"), c.doubleValue("train.last-layer-scale"),
        c.doubleValue("train.gamma"), c.doubleValue("train.noise"), c.longValue("train.steps"),
        c.intValue("train.batch"), c.doubleValue("train.learning-rate"), kind, c.longValue("train.warmup"),
        c.doubleValue("train.final-lr-fraction"), c.doubleValue("train.clip-norm"), c.longValue("train.seed"),
        c.intValue("train.threads"), c.intValue("train.partitions"), c.longValue("train.checkpoint-every"),
        c.booleanValue("train.resume"), c.doubleValue("train.holdout"), c.longValue("train.log-every"), mode,
        c.intValue("train.local-steps"), imageV(c), c.intValue("train.restarts"), c.doubleValue("train.validation"),
        augment(c), boxU(c));
  }

  /**
   * {@code train.u-box}: none, or prior, the prior's box around each u column, widened on each
   * side by {@link #BOX_MARGIN} of its width plus {@link #BOX_NOISE_REACH} standard deviations of
   * the training noise, so that no draw, rounded or moved by the noise, leaves it (a parameter the
   * prior fixes stays unbounded). Every u column must be a parameter of the prior.
   */
  private static BoxLogit.Bounds boxU(ConfigLoader c) {
    String value = c.string("train.u-box");
    if (value.equals("none")) {
      return null;
    }
    ConfigException.require(value.equals("prior"), "train.u-box", "must be none or prior, found '" + value + "'");
    PairSystem system = Systems.create(c);
    List<String> columns = system.uColumns();
    double margin = BOX_MARGIN + BOX_NOISE_REACH * c.doubleValue("train.noise") / Math.sqrt(12);
    double[] low = new double[columns.size()];
    double[] high = new double[columns.size()];
    for (int j = 0; j < columns.size(); j++) {
      String name = columns.get(j);
      ConfigException.require(system.prior().names().contains(name), "train.u-box",
          "prior needs every u column to be a parameter of the prior, but " + name + " is not (the prior has "
              + system.prior().names() + ")");
      PriorEntry e = system.prior().entry(name);
      double width = e.max() - e.min();
      low[j] = width > 0 ? e.min() - margin * width : Double.NEGATIVE_INFINITY;
      high[j] = width > 0 ? e.max() + margin * width : Double.POSITIVE_INFINITY;
    }
    return new BoxLogit.Bounds(low, high);
  }

  /**
   * {@code train.augment}: the group whose random elements move each training row's pattern
   * ({@code none}; {@code translations}, the periodic shifts; {@code lattice}, the shifts with the
   * square's rotations and reflections), refused when the system does not declare it
   * ({@code PairSystem.observationSymmetry}).
   */
  private static PairSystem.Symmetry augment(ConfigLoader c) {
    String value = c.string("train.augment");
    PairSystem.Symmetry augment = Arrays.stream(PairSystem.Symmetry.values())
        .filter(g -> configName(g).equals(value)).findFirst()
        .orElseThrow(() -> new ConfigException("train.augment", "must be none, translations or lattice, found '"
            + value + "'"));
    if (augment != PairSystem.Symmetry.NONE) {
      PairSystem.Symmetry declared = Systems.create(c).observationSymmetry();
      ConfigException.require(declared.contains(augment), "train.augment", configName(augment)
          + " needs a system whose patterns are unchanged in distribution by that group; system "
          + c.string("system") + " declares " + configName(declared));
    }
    return augment;
  }

  /** A symmetry group as {@code train.augment} names it. */
  private static String configName(PairSystem.Symmetry g) {
    return g.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The augmentation of v for rows of shape {@code vShape} (channels, height, width), or null for
   * {@code train.augment = none}.
   */
  public ImageAugmentation augmentation(int[] vShape) {
    if (augment == PairSystem.Symmetry.NONE) {
      return null;
    }
    ConfigException.require(vShape != null && vShape.length == 3, "train.augment",
        "needs an observation of shape [channels, height, width], found "
            + (vShape == null ? "scalar columns" : Arrays.toString(vShape)));
    ImageShape shape = new ImageShape(vShape[0], vShape[1], vShape[2]);
    ConfigException.require(augment != PairSystem.Symmetry.LATTICE || shape.height() == shape.width(), "train.augment",
        "lattice rotates the pattern, so it needs a square grid, found " + shape);
    return new ImageAugmentation(shape, augment == PairSystem.Symmetry.LATTICE ? ImageAugmentation.Group.LATTICE
        : ImageAugmentation.Group.TRANSLATIONS);
  }

  /** {@code train.macro-dim}: a number, or auto for the system's hint. */
  private static int macroDim(ConfigLoader c) {
    String value = c.string("train.macro-dim");
    if (value.equals("auto")) {
      return Systems.create(c).flowHints().macroDim();
    }
    ConfigException.require(value.trim().matches("[-+]?\\d{1,9}"), "train.macro-dim",
        "must be an integer or auto, found '" + value + "'");
    return c.intValue("train.macro-dim");
  }

  /** {@code train.shared}: true, false, or auto for the system's hint. */
  private static boolean shared(ConfigLoader c) {
    String value = c.string("train.shared");
    if (value.equals("auto")) {
      return Systems.create(c).flowHints().shared();
    }
    ConfigException.require(value.equals("true") || value.equals("false"), "train.shared",
        "must be true, false or auto, found '" + value + "'");
    return c.booleanValue("train.shared");
  }

  /** The image flow's settings when v gets one: {@code train.v-flow} image, or auto where v is an image. */
  private static ImageV imageV(ConfigLoader c) {
    String vFlow = c.string("train.v-flow");
    boolean image = switch (vFlow) {
      case "image" -> true;
      case "realnvp" -> false;
      case "auto" -> Systems.create(c).imageObservation();
      default -> throw new ConfigException("train.v-flow", "must be auto, realnvp or image, found '" + vFlow + "'");
    };
    if (!image) {
      return null;
    }
    return new ImageV(c.intValue("train.image.scales"), c.intValue("train.image.steps"),
        c.intList("train.image.hidden"), c.intValue("train.image.kernel"), c.intValue("train.image.head-couplings"),
        c.intList("train.image.head-hidden"));
  }

  /** The architecture for u and v of the given widths (vector observations); checks d and sharing against them. */
  public MacroNetSpec spec(int uDim, int vDim) {
    return spec(uDim, vDim, null);
  }

  /**
   * The architecture for u and v of the given widths, v an array of shape {@code vShape}
   * (channels, height, width for an image; null for scalar columns).
   */
  public MacroNetSpec spec(int uDim, int vDim, int[] vShape) {
    return spec(uDim, vDim, vShape, seed);
  }

  /**
   * The architecture as {@link #spec(int, int, int[])} gives it, its permutations drawn from
   * {@code modelSeed} ({@link #restartSeed}) instead of {@code train.seed}.
   */
  public MacroNetSpec spec(int uDim, int vDim, int[] vShape, long modelSeed) {
    ConfigException.require(macroDim <= Math.min(uDim, vDim), "train.macro-dim",
        "must be at most min(n_u, n_v) = " + Math.min(uDim, vDim) + ", found " + macroDim);
    ConfigException.require(!shared || uDim == vDim, "train.shared",
        "needs u and v of one width, found " + uDim + " and " + vDim);
    ImageFlow flowV = null;
    if (image != null) {
      ConfigException.require(!shared, "train.shared", "must be false with an image flow for v (train.v-flow)");
      ConfigException.require(vShape != null && vShape.length == 3, "train.v-flow",
          "image needs an observation of shape [channels, height, width], found "
              + (vShape == null ? "scalar columns" : Arrays.toString(vShape)));
      ImageShape shape = new ImageShape(vShape[0], vShape[1], vShape[2]);
      int side = 1 << image.scales();
      ConfigException.require(shape.height() % side == 0 && shape.width() % side == 0, "train.image.scales",
          image.scales() + " scales halve the grid " + image.scales() + " times, so its sides must be divisible by "
              + side + ", found " + shape.height() + " x " + shape.width());
      flowV = new ImageFlow(shape, image.scales(), image.steps(), image.hidden(), image.kernel(), activation, clamp,
          lastLayerScale, image.headCouplings(), image.headHidden(), modelSeed + 1);
    }
    ConfigException.require(boxU == null || boxU.dim() == uDim, "train.u-box", "has " + (boxU == null ? 0
        : boxU.dim()) + " columns but u has " + uDim);
    return new MacroNetSpec(uDim, vDim, macroDim, shared, couplings, hidden, activation, clamp, actNorm,
        lastLayerScale, modelSeed, flowV, boxU);
  }

  public TrainSettings settings() {
    return settings(seed);
  }

  /** The optimiser's settings, its initialisation and minibatches drawn from {@code modelSeed}. */
  public TrainSettings settings(long modelSeed) {
    return new TrainSettings(steps, batch, new LearningRateSchedule(learningRate, schedule, warmup, steps,
        finalLrFraction), clipNorm, modelSeed, threads, checkpointEvery, logEvery);
  }

  /**
   * The seed of restart {@code r} of {@code train.restarts}: {@code train.seed} itself for the first,
   * then seeds mixed from it, so that the restarts of different training seeds do not share models.
   * It draws the initial weights, the flows' permutations and the minibatches; the held-out and
   * validation rows stay those of {@code train.seed}.
   */
  public long restartSeed(int r) {
    if (r < 0 || r >= restarts) {
      throw new IllegalArgumentException("restart " + r + " of " + restarts);
    }
    return r == 0 ? seed : org.macronet.common.random.SampleSeeds.sampleSeed(seed ^ RESTART_SALT, r);
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
    if (image != null) {
      // only for an image flow, so that the vector systems' configurations keep their hash
      m.put("train.v-flow", "image");
      m.put("train.image.scales", image.scales());
      m.put("train.image.steps", image.steps());
      m.put("train.image.hidden", Arrays.stream(image.hidden()).boxed().toList());
      m.put("train.image.kernel", image.kernel());
      m.put("train.image.head-couplings", image.headCouplings());
      m.put("train.image.head-hidden", Arrays.stream(image.headHidden()).boxed().toList());
    }
    m.put("train.checkpoint-every", checkpointEvery);
    m.put("train.holdout", holdout);
    if (boxU != null) {
      // only when on, so that configurations from before the key keep their hash
      m.put("train.u-box", "prior");
    }
    if (augment != PairSystem.Symmetry.NONE) {
      // only when on, so that configurations from before the key keep their hash
      m.put("train.augment", configName(augment));
    }
    if (restarts > 1) {
      // only with restarts, so that configurations from before the keys keep their hash
      m.put("train.restarts", restarts);
      m.put("train.validation", validation);
    }
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
