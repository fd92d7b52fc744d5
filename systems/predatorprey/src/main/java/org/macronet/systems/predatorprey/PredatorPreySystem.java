package org.macronet.systems.predatorprey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The 1-D stochastic predator-prey system as an ensemble of trajectories: each sample draws
 * (m, k) from the prior, starts from u = m + k cos(10 pi x), v = 1 - u, runs {@link PredatorPrey}
 * for {@code steps} steps and stores a snapshot every {@code snapshot-every} steps, the initial
 * state included.
 *
 * <p>Rows: {@code m, k, step, time, u_mean, v_mean, u[cells], v[cells]}; the state is simulated
 * in double and stored as float32.
 */
public final class PredatorPreySystem implements EnsembleSystem {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "predator-prey";
  public static final List<String> PARAMETERS = List.of("m", "k");
  public static final List<String> OBSERVABLES = List.of("u_mean", "v_mean");

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
    return List.of(
        Field.scalar("m", Field.Type.DOUBLE),
        Field.scalar("k", Field.Type.DOUBLE),
        Field.scalar("step", Field.Type.INT),
        Field.scalar("time", Field.Type.DOUBLE),
        Field.scalar("u_mean", Field.Type.DOUBLE),
        Field.scalar("v_mean", Field.Type.DOUBLE),
        Field.array("u", Field.Type.FLOATS, settings.cells()),
        Field.array("v", Field.Type.FLOATS, settings.cells()));
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
