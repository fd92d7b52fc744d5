package org.macronet.systems.predatorprey;

import java.util.function.Consumer;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.prior.Prior;

/**
 * Simulates predator-prey trajectories one seed at a time. From {@code new SampleRandom(seed)} it
 * draws (m, k) from the prior (one uniform each), then each step's Gaussians (prey cells 0..n-1,
 * then predator cells 0..n-1), so a row depends on the seed alone. One instance per thread: it
 * reuses its state and scratch buffers.
 */
final class PredatorPreySimulator implements EnsembleSystem.Simulator {
  private final Prior prior;
  private final PredatorPreySettings settings;
  private final PredatorPrey model;
  private final double[] theta;
  private final double[] u;
  private final double[] v;

  PredatorPreySimulator(Prior prior, PredatorPreySettings settings) {
    this.prior = prior;
    this.settings = settings;
    this.model = PredatorPrey.of(settings);
    this.theta = new double[prior.names().size()];
    this.u = new double[settings.cells()];
    this.v = new double[settings.cells()];
  }

  @Override
  public void simulate(long seed, Consumer<Object[]> rows) {
    SampleRandom rng = new SampleRandom(seed);
    prior.draw(rng, 0, theta);
    double m = theta[0];
    double k = theta[1];
    model.initialise(m, k, u, v);
    rows.accept(row(seed, m, k, 0));
    for (int step = settings.snapshotEvery(); step <= settings.steps(); step += settings.snapshotEvery()) {
      model.run(u, v, settings.snapshotEvery(), rng);
      rows.accept(row(seed, m, k, step));
    }
  }

  /** One snapshot row in {@link PredatorPreySystem#fields()} order; refuses a state that has blown up. */
  private Object[] row(long seed, double m, double k, int step) {
    double uMean = PredatorPreySystem.mean(u);
    double vMean = PredatorPreySystem.mean(v);
    if (!Double.isFinite(uMean) || !Double.isFinite(vMean)) {
      throw new IllegalStateException("predator-prey trajectory of seed " + seed + " (m = " + m + ", k = " + k
          + ") is not finite at step " + step + ": u_mean = " + uMean + ", v_mean = " + vMean
          + "; lower " + PredatorPreySettings.DT + " or " + PredatorPreySettings.NOISE);
    }
    return new Object[] {m, k, step, step * settings.dt(), uMean, vMean, toFloats(u), toFloats(v)};
  }

  private static float[] toFloats(double[] x) {
    float[] out = new float[x.length];
    for (int j = 0; j < x.length; j++) {
      out[j] = (float) x[j];
    }
    return out;
  }

  @Override
  public String description() {
    return "Java Euler-Maruyama, " + settings.cells() + " cells, " + settings.discretisation().configValue()
        + " discretisation";
  }
}
