package org.macronet.systems.toy;

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
 * A toy pair system that proves the plugin contract: u = (a, b), v = the first {@link #STEPS}
 * values of the noisy affine map x_{t+1} = a x_t + b + sigma eps_t from x_0 = 0, eps_t ~ N(0, 1)
 * drawn from the sample's own stream after its parameters.
 */
public final class NoisyMap implements PairSystem {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "noisymap";
  public static final int STEPS = 6;
  public static final List<String> PARAMETERS = List.of("a", "b");

  private final Prior prior;
  private final double sigma;

  public NoisyMap(Prior prior, double sigma) {
    this.prior = prior;
    this.sigma = sigma;
  }

  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("a", new PriorEntry.Uniform(0.2, 0.9));
    m.put("b", new PriorEntry.Uniform(-0.5, 0.5));
    return m;
  }

  /** The trajectory of (a, b) into {@code out}, with noise from {@code random} (none when null). */
  public static void trajectory(double a, double b, double sigma, SampleRandom random, float[] out) {
    double x = 0;
    for (int t = 0; t < out.length; t++) {
      x = a * x + b + (random == null ? 0 : sigma * random.nextGaussian());
      out[t] = (float) x;
    }
  }

  public double sigma() {
    return sigma;
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
    return PARAMETERS;
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
    return Optional.of(new ArrayColumn("traj", new int[] {STEPS}));
  }

  @Override
  public BlockSimulator openSimulator() {
    return new BlockSimulator() {
      @Override
      public SampleBlock simulate(Sampling sampling, long first, int count) {
        long[] ids = new long[count];
        long[] seeds = new long[count];
        double[][] cols = new double[2][count];
        float[][] traj = new float[count][STEPS];
        double[] theta = new double[2];
        for (int r = 0; r < count; r++) {
          long i = first + r;
          ids[r] = i;
          seeds[r] = sampling.seed(i);
          SampleRandom random = new SampleRandom(seeds[r]);
          prior.draw(random, sampling.gridPoint(i), theta);
          cols[0][r] = theta[0];
          cols[1][r] = theta[1];
          trajectory(theta[0], theta[1], sigma, random, traj[r]);
        }
        return new SampleBlock(ids, seeds, cols, traj);
      }

      @Override
      public String description() {
        return "noisy affine map, " + STEPS + " steps";
      }
    };
  }
}
