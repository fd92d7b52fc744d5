package org.macronet.systems.grayscott;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Gray-Scott reaction-diffusion on a periodic grid: u = (Da, Db, F, k), v = the final
 * fields a then b, each size x size row-major, as one float array of 2 x size x size.
 *
 * <p>The constructor refuses a prior that allows an unstable explicit Euler step
 * (dt * 4 * max(Da, Db) >= 1 with dx = 1) or negative rates.
 */
public final class GrayScottSystem implements PairSystem {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "grayscott";
  public static final List<String> PARAMETERS = List.of("Da", "Db", "F", "k");

  private final Prior prior;
  private final GrayScottSettings settings;

  public GrayScottSystem(Prior prior, GrayScottSettings settings) {
    if (!prior.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException("Gray-Scott prior must name " + PARAMETERS + ", found " + prior.names());
    }
    for (String name : PARAMETERS) {
      PriorEntry e = prior.entry(name);
      ConfigException.require(e.min() >= 0, "prior." + name, "must not be negative, found " + e.render());
    }
    for (String name : List.of("Da", "Db")) {
      PriorEntry e = prior.entry(name);
      double bound = settings.dt() * 4 * e.max();
      ConfigException.require(bound < 1, "prior." + name,
          "unstable explicit Euler step: dt * 4 * " + name + " = " + settings.dt() + " * 4 * " + e.max()
              + " = " + bound + " >= 1 (prior." + name + " = " + e.render() + ", simulation.grayscott.dt = "
              + settings.dt() + "); lower " + GrayScottSettings.PREFIX + "dt below " + 1 / (4 * e.max())
              + " or the diffusion rate");
    }
    this.prior = prior;
    this.settings = settings;
  }

  /** The default prior (docs/systems.md): Da ~ U(0.12, 0.20), Db ~ U(0.05, 0.10), F ~ U(0.01, 0.06), k ~ U(0.045, 0.07). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("Da", new PriorEntry.Uniform(0.12, 0.20));
    m.put("Db", new PriorEntry.Uniform(0.05, 0.10));
    m.put("F", new PriorEntry.Uniform(0.01, 0.06));
    m.put("k", new PriorEntry.Uniform(0.045, 0.07));
    return m;
  }

  public GrayScottSettings settings() {
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
  public List<String> uColumns() {
    return PARAMETERS;
  }

  @Override
  public List<String> vColumns() {
    return List.of("pattern");
  }

  @Override
  public List<String> scalarColumns() {
    return PARAMETERS;
  }

  @Override
  public Optional<ArrayColumn> arrayColumn() {
    return Optional.of(new ArrayColumn("pattern", new int[] {2, settings.size(), settings.size()}));
  }

  /**
   * The lattice: the grid is periodic, the five-point Laplacian and the update are unchanged by
   * the square's rotations and reflections, and the initial discs (round, centres uniform) and
   * noise (independent per cell) are drawn alike everywhere, so a pattern and its translated,
   * rotated or mirrored copies are equally likely outcomes of the same parameters.
   */
  @Override
  public Symmetry observationSymmetry() {
    return Symmetry.LATTICE;
  }

  @Override
  public BlockSimulator openSimulator() {
    return new Simulator(GrayScottKernels.open(settings.kernel(), settings.threads()));
  }

  /**
   * Final fields (a then b, 2 x size x size) of the given parameter sets (rows Da, Db, F, k), each
   * from a fresh initial state drawn from its own seed: how designed parameters are re-simulated.
   * Runs {@code settings.gridsPerCall()} grids per kernel call. Values are returned as computed: the
   * caller decides what a non-finite pattern means.
   */
  public float[][] simulate(GrayScottKernel kernel, double[][] parameters, long[] seeds) {
    if (parameters.length != seeds.length) {
      throw new IllegalArgumentException(parameters.length + " parameter sets but " + seeds.length + " seeds");
    }
    int n = settings.size();
    int cells = n * n;
    float[][] out = new float[parameters.length][];
    int perCall = settings.gridsPerCall();
    for (int start = 0; start < parameters.length; start += perCall) {
      int m = Math.min(perCall, parameters.length - start);
      GrayScottBatch batch = new GrayScottBatch(m, n, (float) settings.dt());
      for (int g = 0; g < m; g++) {
        double[] t = parameters[start + g];
        batch.setParameters(g, t[0], t[1], t[2], t[3]);
        GrayScottInitialState.fill(batch, g, settings, new SampleRandom(seeds[start + g]));
      }
      kernel.advance(batch, settings.steps());
      for (int g = 0; g < m; g++) {
        float[] p = new float[2 * cells];
        System.arraycopy(batch.a, g * cells, p, 0, cells);
        System.arraycopy(batch.b, g * cells, p, cells, cells);
        out[start + g] = p;
      }
    }
    return out;
  }

  private class Simulator implements BlockSimulator {
    private final GrayScottKernel kernel;

    Simulator(GrayScottKernel kernel) {
      this.kernel = kernel;
    }

    @Override
    public SampleBlock simulate(Sampling sampling, long first, int count) {
      long[] ids = new long[count];
      long[] seeds = new long[count];
      double[][] cols = new double[PARAMETERS.size()][count];
      float[][] patterns = new float[count][];
      double[] theta = new double[PARAMETERS.size()];
      int n = settings.size();
      int cells = n * n;
      int perCall = settings.gridsPerCall();
      for (int start = 0; start < count; start += perCall) {
        int m = Math.min(perCall, count - start);
        GrayScottBatch batch = new GrayScottBatch(m, n, (float) settings.dt());
        for (int g = 0; g < m; g++) {
          int r = start + g;
          long i = first + r;
          ids[r] = i;
          seeds[r] = sampling.seed(i);
          SampleRandom rng = new SampleRandom(seeds[r]);
          prior.draw(rng, sampling.gridPoint(i), theta);
          for (int c = 0; c < theta.length; c++) {
            cols[c][r] = theta[c];
          }
          batch.setParameters(g, theta[0], theta[1], theta[2], theta[3]);
          GrayScottInitialState.fill(batch, g, settings, rng);
        }
        kernel.advance(batch, settings.steps());
        for (int g = 0; g < m; g++) {
          int r = start + g;
          float[] p = new float[2 * cells];
          System.arraycopy(batch.a, g * cells, p, 0, cells);
          System.arraycopy(batch.b, g * cells, p, cells, cells);
          requireFinite(p, ids[r], cols, r);
          patterns[r] = p;
        }
      }
      return new SampleBlock(ids, seeds, cols, patterns);
    }

    private void requireFinite(float[] p, long id, double[][] cols, int r) {
      for (float x : p) {
        if (!Float.isFinite(x)) {
          throw new IllegalStateException(String.format(
              "sample %d (Da=%s, Db=%s, F=%s, k=%s) reached a non-finite value after %d steps with dt=%s",
              id, cols[0][r], cols[1][r], cols[2][r], cols[3][r], settings.steps(), settings.dt()));
        }
      }
    }

    @Override
    public String description() {
      return kernel.description();
    }

    @Override
    public void close() {
      kernel.close();
    }
  }
}
