package org.macronet.systems.predatorprey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.ensemble.FieldEnsemble;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.lattice.PatchBoundary;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The 1-D stochastic predator-prey system as an ensemble of trajectories: each sample draws
 * (m, k) from the prior, starts from u = m + k cos(10 pi x), v = 1 - u, runs {@link PredatorPrey}
 * for {@code steps} steps and stores a snapshot every {@code snapshot-every} steps, the initial
 * state included.
 *
 * <p>Rows: {@code m, k, step, time, u_mean, v_mean, u[cells], v[cells]}; the state is simulated
 * in double and stored as float32. As a {@link FieldEnsemble} it gives the learned-SDE method its
 * training states on a longer line (linear interpolation), its patches (one Euler-Maruyama step of
 * a run of cells) and its direct runs.
 */
public final class PredatorPreySystem implements FieldEnsemble {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "predator-prey";
  public static final List<String> PARAMETERS = List.of("m", "k");
  public static final List<String> OBSERVABLES = List.of("u_mean", "v_mean");
  public static final List<String> SPECIES = List.of("u", "v");

  private final Prior prior;
  private final PredatorPreySettings settings;

  /**
   * @throws ConfigException on {@code prior.<name>} for a grid entry: a trajectory is simulated
   *     from its seed alone, so it cannot know its grid point, and a sweep would silently collapse
   */
  public PredatorPreySystem(Prior prior, PredatorPreySettings settings) {
    if (!prior.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException("predator-prey prior must name " + PARAMETERS + ", found " + prior.names());
    }
    for (String name : PARAMETERS) {
      PriorEntry e = prior.entry(name);
      ConfigException.require(!(e instanceof PriorEntry.Grid), "prior." + name,
          "grid sweeps are not supported by the ensemble system " + NAME + "; give a number or a [lo, hi] range, found "
              + e.render());
    }
    this.prior = prior;
    this.settings = settings;
  }

  /** The source paper's prior: m ~ U(0.45, 0.55), k ~ U(0.05, 0.15). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("m", new PriorEntry.Uniform(0.45, 0.55));
    m.put("k", new PriorEntry.Uniform(0.05, 0.15));
    return m;
  }

  public PredatorPreySettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Prior prior() {
    return prior;
  }

  @Override
  public List<Field> fields() {
    return fields(settings.cells());
  }

  @Override
  public List<Field> fields(int cells) {
    return List.of(
        Field.scalar("m", Field.Type.DOUBLE),
        Field.scalar("k", Field.Type.DOUBLE),
        Field.scalar("step", Field.Type.INT),
        Field.scalar("time", Field.Type.DOUBLE),
        Field.scalar("u_mean", Field.Type.DOUBLE),
        Field.scalar("v_mean", Field.Type.DOUBLE),
        Field.array("u", Field.Type.FLOATS, cells),
        Field.array("v", Field.Type.FLOATS, cells));
  }

  @Override
  public List<String> species() {
    return SPECIES;
  }

  @Override
  public String indexColumn() {
    return "step";
  }

  /** The mean prey and predator densities. */
  @Override
  public double[] observe(double[][] state) {
    return new double[] {mean(state[0]), mean(state[1])};
  }

  static double mean(double[] x) {
    double sum = 0;
    for (double value : x) {
      sum += value;
    }
    return sum / x.length;
  }

  @Override
  public double[][] resample(double[][] state, int cells) {
    double[][] out = new double[state.length][];
    for (int s = 0; s < state.length; s++) {
      out[s] = interpolate(state[s], cells);
    }
    return out;
  }

  /**
   * {@code x} (on its own cell centres (j + 0.5) / n of [0, 1]) linearly interpolated at the centres
   * of {@code cells} cells; beyond the outermost centres the edge value.
   */
  static double[] interpolate(double[] x, int cells) {
    if (cells < 1) {
      throw new IllegalArgumentException("cells must be positive, found " + cells);
    }
    int n = x.length;
    double[] out = new double[cells];
    for (int j = 0; j < cells; j++) {
      // position in units of the source's cells, 0 at its first centre
      double p = (j + 0.5) * n / cells - 0.5;
      if (p <= 0) {
        out[j] = x[0];
      } else if (p >= n - 1) {
        out[j] = x[n - 1];
      } else {
        int i = (int) Math.floor(p);
        double w = p - i;
        out[j] = (1 - w) * x[i] + w * x[i + 1];
      }
    }
    return out;
  }

  /** Under the consistent discretisation a finer grid needs a shorter step: refused naming the step's key. */
  @Override
  public void checkCells(int cells) {
    settings.with(cells, settings.steps(), settings.snapshotEvery());
  }

  @Override
  public double stepTime() {
    return settings.dt();
  }

  @Override
  public void evolvePatch(double[][] state, int from, int to, PatchBoundary boundary, int steps, SampleRandom rng) {
    int cells = state[0].length;
    PredatorPrey model = PredatorPrey.of(settings.with(cells, settings.steps(), settings.snapshotEvery()));
    for (int s = 0; s < steps; s++) {
      model.stepPatch(state[0], state[1], from, to, boundary == PatchBoundary.PERIODIC, rng);
    }
  }

  @Override
  public Simulator openSimulator(int cells, int steps, int snapshotEvery, Prior from) {
    if (!from.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException("predator-prey prior must name " + PARAMETERS + ", found " + from.names());
    }
    return new PredatorPreySimulator(from, settings.with(cells, steps, snapshotEvery));
  }

  @Override
  public List<String> observables() {
    return OBSERVABLES;
  }

  @Override
  public int snapshotsPerSample() {
    return settings.snapshots();
  }

  @Override
  public Simulator openSimulator() {
    return new PredatorPreySimulator(prior, settings);
  }
}
