package org.macronet.bench;

import java.util.ArrayList;
import java.util.List;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.Systems;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.dataset.SimulatedPairs;
import org.macronet.simulation.PairSystem;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.LossSpec;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainSettings;
import org.macronet.training.optim.LearningRateSchedule;

/**
 * A MacroNet training problem for the benchmarks: pairs simulated in-process (no dataset files) and
 * the loss of a network built, as the {@code train} job builds it, from {@code train.*} keys over
 * the defaults, with the input standardisation fitted on the pairs.
 */
record TrainingProblem(String system, PairData data, LossSpec lossSpec, TrainConfig config) {

  /** The training keys of conf/sho.conf: one shared flow, 6 couplings, tanh 32 x 32, d = 1. */
  static final List<String> OSCILLATOR = List.of("train.macro-dim=1", "train.shared=true", "train.couplings=6",
      "train.hidden=[32,32]", "train.activation=tanh", "train.gamma=0.8", "train.noise=0.01",
      "train.learning-rate=2e-3");
  /** The training keys of conf/lds.conf: two flows of 8 couplings, ReLU 64 x 64, d = 2. */
  static final List<String> LINEAR = List.of("train.macro-dim=2", "train.shared=false", "train.couplings=8",
      "train.hidden=[64,64]", "train.activation=relu", "train.gamma=1.0", "train.noise=0.05",
      "train.learning-rate=1e-3");
  /**
   * The networks of conf/turing.conf: a RealNVP of 6 couplings, ReLU 64 x 64, on (Da, Db, F, k)
   * and the default multi-scale image flow on the 2 x 64 x 64 pattern; d = 2 (conf/turing.conf has
   * 3 and moves its patterns by the lattice's symmetries: neither changes what a step costs, the
   * figures in BENCHMARKS.md were taken with these keys).
   */
  static final List<String> GRAYSCOTT = List.of("train.macro-dim=2", "train.shared=false", "train.couplings=6",
      "train.hidden=[64,64]", "train.v-flow=image");
  /** Couplings of the oscillator networks whose width {@link #oscillatorOfSize} grows. */
  static final int SIZED_COUPLINGS = 4;

  /**
   * {@code rows} pairs of {@code system} (oscillator, linear or grayscott; default priors, seed 1)
   * and its configured network.
   */
  static TrainingProblem of(String system, int rows) {
    List<String> keys = switch (system) {
      case "oscillator" -> OSCILLATOR;
      case "linear" -> LINEAR;
      case "grayscott" -> GRAYSCOTT;
      default -> throw new IllegalArgumentException("no benchmark network for system '" + system + "'");
    };
    return build(system, simulate(system, rows), keys);
  }

  /**
   * The oscillator's pairs with a shared flow of {@value #SIZED_COUPLINGS} tanh couplings whose two
   * hidden layers have the width that brings the parameter count closest to {@code parameters}.
   */
  static TrainingProblem oscillatorOfSize(PairData data, int parameters) {
    int lo = 1;
    int hi = 1;
    while (hi < 65536 && sized(data, hi).parameterCount() < parameters) {
      lo = hi;
      hi = Math.min(65536, 2 * hi);
    }
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (sized(data, mid).parameterCount() < parameters) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    TrainingProblem below = sized(data, lo);
    TrainingProblem above = sized(data, hi);
    return parameters - below.parameterCount() <= above.parameterCount() - parameters ? below : above;
  }

  private static TrainingProblem sized(PairData data, int width) {
    return build("oscillator", data, List.of("train.macro-dim=1", "train.shared=true",
        "train.couplings=" + SIZED_COUPLINGS, "train.hidden=[" + width + "," + width + "]", "train.activation=tanh"));
  }

  /** Simulates {@code rows} pairs of {@code system} with its default prior, master seed 1. */
  static PairData simulate(String system, int rows) {
    PairSystem sys = Systems.create(ConfigLoader.load(null, List.of("system=" + system)));
    try (PairSystem.BlockSimulator sim = sys.openSimulator()) {
      return SimulatedPairs.of(sys, sim.simulate(new PairSystem.Sampling(1, 1), 0, rows));
    }
  }

  private static TrainingProblem build(String system, PairData data, List<String> trainKeys) {
    List<String> keys = new ArrayList<>(trainKeys);
    keys.add(0, "system=" + system);
    ConfigLoader c = ConfigLoader.load(null, keys);
    TrainConfig config = TrainConfig.from(c);
    int[] vShape = Systems.create(c).arrayColumn().map(PairSystem.ArrayColumn::shape).orElse(null);
    MacroNetSpec spec = config.spec(data.uDim(), data.vDim(), vShape);
    LossSpec lossSpec = LossSpec.fit(spec, data, config.gamma(), config.noise());
    return new TrainingProblem(system, data, lossSpec, config);
  }

  int parameterCount() {
    return lossSpec.loss().net().parameterCount();
  }

  /**
   * Settings for {@code steps} steps of {@code batch} on {@code threads} threads: the configured
   * rate held constant, no checkpoints, progress after every step (which {@link StepClock} reads).
   */
  TrainSettings settings(long steps, int batch, int threads) {
    return new TrainSettings(steps, batch, new LearningRateSchedule(config.learningRate(),
        LearningRateSchedule.Kind.CONSTANT, 0, steps, 1.0), config.clipNorm(), config.seed(), threads, 0, 1);
  }

  /** The subnets' hidden widths, for the result lines. */
  String hidden() {
    return java.util.Arrays.toString(config.hidden()).replace(" ", "");
  }
}
