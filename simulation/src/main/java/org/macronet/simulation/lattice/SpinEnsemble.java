package org.macronet.simulation.lattice;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.prior.Prior;

/**
 * An ensemble of spin trajectories on an L x L lattice: each sample draws (T, h, m0) from the
 * prior, starts from exactly round((1 + m0) L^2 / 2) up-spins placed at random, and runs
 * {@code sweeps} sweeps of L^2 events of the system's {@link SpinDynamics}, storing a snapshot
 * every {@code snapshot-every} sweeps with its physical time. A sample's draws come in a fixed
 * order from its own generator: the parameters, the initial placement, then the dynamics.
 *
 * <p>Rows: {@code T, h, m0, sweep, time, m}, {@code rho} when the lattice has geometry, and
 * {@code spins} (int8, L x L, row-major).
 */
public abstract class SpinEnsemble implements EnsembleSystem {
  public static final List<String> PARAMETERS = List.of("T", "h", "m0");

  private final String name;
  private final Prior prior;
  private final SpinRunSettings settings;
  private final boolean withRho;

  /**
   * @param withRho whether rows carry the broken-bond fraction (a lattice with neighbours; not a
   *                mean-field system)
   */
  protected SpinEnsemble(String name, Prior prior, SpinRunSettings settings, boolean withRho) {
    if (!prior.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException(name + " prior must name " + PARAMETERS + ", found " + prior.names());
    }
    this.name = name;
    this.prior = prior;
    this.settings = settings;
    this.withRho = withRho;
  }

  /**
   * The dynamics of a periodic {@code side x side} configuration at temperature {@code t} and field
   * {@code h}, drawing from {@code rng}; sites marked in {@code frozen} (may be {@code null}) never
   * flip but act on the others (as neighbours, or through the mean field).
   */
  public abstract SpinDynamics dynamics(byte[] spins, int side, boolean[] frozen, double t, double h, SampleRandom rng);

  /** Whether the observables include rho (a lattice with neighbours). */
  public boolean hasRho() {
    return withRho;
  }

  /** The observables of a periodic {@code side x side} configuration, in {@link #observables()} order. */
  public double[] observe(byte[] spins, int side) {
    double m = SpinLattice.magnetisation(spins);
    return withRho ? new double[] {m, SpinLattice.brokenBondFraction(spins, side)} : new double[] {m};
  }

  /** What runs the dynamics, for logs and metadata. */
  protected abstract String description();

  @Override
  public String name() {
    return name;
  }

  @Override
  public Prior prior() {
    return prior;
  }

  public SpinRunSettings settings() {
    return settings;
  }

  @Override
  public List<Field> fields() {
    return fields(settings.size());
  }

  /** The rows' columns for runs on a {@code side x side} lattice. */
  public List<Field> fields(int side) {
    List<Field> f = new ArrayList<>(List.of(Field.scalar("T", Field.Type.DOUBLE), Field.scalar("h", Field.Type.DOUBLE),
        Field.scalar("m0", Field.Type.DOUBLE), Field.scalar("sweep", Field.Type.INT),
        Field.scalar("time", Field.Type.DOUBLE), Field.scalar("m", Field.Type.DOUBLE)));
    if (withRho) {
      f.add(Field.scalar("rho", Field.Type.DOUBLE));
    }
    f.add(Field.array("spins", Field.Type.BYTES, side, side));
    return List.copyOf(f);
  }

  @Override
  public List<String> observables() {
    return withRho ? List.of("m", "rho") : List.of("m");
  }

  @Override
  public int snapshotsPerSample() {
    return settings.snapshots();
  }

  @Override
  public Simulator openSimulator() {
    return openSimulator(settings, prior);
  }

  /**
   * Runs of other sizes and lengths than the configured ones, or from another prior (the direct
   * runs that check a learned model: a larger lattice, fixed initial magnetisations); the rows'
   * columns are {@link #fields(int)} of {@code runs.size()}.
   */
  public Simulator openSimulator(SpinRunSettings runs, Prior from) {
    if (!from.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException(name + " prior must name " + PARAMETERS + ", found " + from.names());
    }
    return new Simulator() {
      @Override
      public void simulate(long seed, Consumer<Object[]> rows) {
        SampleRandom rng = new SampleRandom(seed);
        double[] theta = new double[3];
        from.draw(rng, 0, theta);
        byte[] s = SpinLattice.withMagnetisation(runs.sites(), theta[2], rng);
        SpinDynamics kmc = dynamics(s, runs.size(), null, theta[0], theta[1], rng);
        double time = 0;
        rows.accept(row(theta, 0, time, s, runs.size()));
        for (int sweep = 1; sweep <= runs.sweeps(); sweep++) {
          time += kmc.run(runs.sites());
          if (sweep % runs.snapshotEvery() == 0) {
            rows.accept(row(theta, sweep, time, s, runs.size()));
          }
        }
      }

      @Override
      public String description() {
        return SpinEnsemble.this.description();
      }
    };
  }

  private Object[] row(double[] theta, int sweep, double time, byte[] s, int side) {
    double m = SpinLattice.magnetisation(s);
    return withRho
        ? new Object[] {theta[0], theta[1], theta[2], sweep, time, m, SpinLattice.brokenBondFraction(s, side), s.clone()}
        : new Object[] {theta[0], theta[1], theta[2], sweep, time, m, s.clone()};
  }
}
