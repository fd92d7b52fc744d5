package org.macronet.systems.linear;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Linear dynamics x_{t+1} = x_t + M x_t dt with dt = 1/8, eight steps from x_0:
 * u = M (row-major m11, m12, m21, m22), v = the trajectory x_1 .. x_8 as 16 floats
 * (x_1, y_1, ..., x_8, y_8). The initial state x_0 is drawn too and kept in its own columns.
 */
public final class LinearDynamics implements PairSystem {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "linear";
  public static final List<String> PARAMETERS = List.of("m11", "m12", "m21", "m22", "x0_1", "x0_2");
  public static final int STEPS = 8;
  public static final double DT = 1.0 / STEPS;

  private final Prior prior;

  public LinearDynamics(Prior prior) {
    if (!prior.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException("linear-dynamics prior must name " + PARAMETERS + ", found " + prior.names());
    }
    this.prior = prior;
  }

  /** Default prior: every entry of M and of x_0 ~ U(-1, 1). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    for (String name : PARAMETERS) {
      m.put(name, new PriorEntry.Uniform(-1, 1));
    }
    return m;
  }

  /** Writes the 8-step trajectory of x_{t+1} = x_t + dt M x_t into {@code out} (16 values). */
  public static void trajectory(double m11, double m12, double m21, double m22, double x, double y, float[] out) {
    for (int t = 0; t < STEPS; t++) {
      double nx = x + DT * (m11 * x + m12 * y);
      double ny = y + DT * (m21 * x + m22 * y);
      x = nx;
      y = ny;
      out[2 * t] = (float) x;
      out[2 * t + 1] = (float) y;
    }
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
  public List<String> uColumns() {
    return List.of("m11", "m12", "m21", "m22");
  }

  @Override
  public List<String> vColumns() {
    return List.of("traj");
  }

  @Override
  public List<String> scalarColumns() {
    return PARAMETERS;
  }

  @Override
  public Optional<ArrayColumn> arrayColumn() {
    return Optional.of(new ArrayColumn("traj", new int[] {STEPS, 2}));
  }

  @Override
  public BlockSimulator openSimulator() {
    return new BlockSimulator() {
      @Override
      public SampleBlock simulate(Sampling sampling, long first, int count) {
        long[] ids = new long[count];
        long[] seeds = new long[count];
        double[][] cols = new double[PARAMETERS.size()][count];
        float[][] traj = new float[count][2 * STEPS];
        double[] theta = new double[PARAMETERS.size()];
        for (int r = 0; r < count; r++) {
          long i = first + r;
          ids[r] = i;
          seeds[r] = sampling.seed(i);
          prior.draw(new SampleRandom(seeds[r]), sampling.gridPoint(i), theta);
          for (int c = 0; c < theta.length; c++) {
            cols[c][r] = theta[c];
          }
          trajectory(theta[0], theta[1], theta[2], theta[3], theta[4], theta[5], traj[r]);
        }
        return new SampleBlock(ids, seeds, cols, traj);
      }

      @Override
      public String description() {
        return "explicit Euler, 8 steps";
      }
    };
  }
}
