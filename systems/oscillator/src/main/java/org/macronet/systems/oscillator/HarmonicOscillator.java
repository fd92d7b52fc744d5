package org.macronet.systems.oscillator;

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
 * The harmonic oscillator with m = k = 1, solved exactly: u = (x0, p0), v = (x_tau, p_tau)
 * with tau drawn from its prior (default U(0, 2 pi)).
 *
 * <pre>
 *   x_tau =  x0 cos(tau) + p0 sin(tau)
 *   p_tau = -x0 sin(tau) + p0 cos(tau)
 * </pre>
 * The energy H = (x^2 + p^2) / 2 is conserved, which is the macrostate MacroNet should find.
 */
public final class HarmonicOscillator implements PairSystem {
  private static final long serialVersionUID = 1L;

  public static final String NAME = "oscillator";
  public static final List<String> PARAMETERS = List.of("x0", "p0", "tau");

  private final Prior prior;

  public HarmonicOscillator(Prior prior) {
    if (!prior.names().equals(PARAMETERS)) {
      throw new IllegalArgumentException("oscillator prior must name " + PARAMETERS + ", found " + prior.names());
    }
    this.prior = prior;
  }

  /** Default prior: x0, p0 ~ U(-1, 1), tau ~ U(0, 2 pi). */
  public static Map<String, PriorEntry> defaultPrior() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("x0", new PriorEntry.Uniform(-1, 1));
    m.put("p0", new PriorEntry.Uniform(-1, 1));
    m.put("tau", new PriorEntry.Uniform(0, 2 * Math.PI));
    return m;
  }

  /** One energy-like macrostate, and one flow: u and v are both points of the phase plane. */
  @Override
  public FlowHints flowHints() {
    return new FlowHints(1, true);
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
    return List.of("x0", "p0");
  }

  @Override
  public List<String> vColumns() {
    return List.of("xt", "pt");
  }

  @Override
  public List<String> scalarColumns() {
    return List.of("x0", "p0", "xt", "pt", "tau");
  }

  @Override
  public Optional<ArrayColumn> arrayColumn() {
    return Optional.empty();
  }

  @Override
  public BlockSimulator openSimulator() {
    return new BlockSimulator() {
      @Override
      public SampleBlock simulate(Sampling sampling, long first, int count) {
        long[] ids = new long[count];
        long[] seeds = new long[count];
        double[][] cols = new double[5][count];
        double[] theta = new double[3];
        for (int r = 0; r < count; r++) {
          long i = first + r;
          ids[r] = i;
          seeds[r] = sampling.seed(i);
          prior.draw(new SampleRandom(seeds[r]), sampling.gridPoint(i), theta);
          double x0 = theta[0];
          double p0 = theta[1];
          double tau = theta[2];
          double c = Math.cos(tau);
          double s = Math.sin(tau);
          cols[0][r] = x0;
          cols[1][r] = p0;
          cols[2][r] = x0 * c + p0 * s;
          cols[3][r] = -x0 * s + p0 * c;
          cols[4][r] = tau;
        }
        return new SampleBlock(ids, seeds, cols, null);
      }

      @Override
      public String description() {
        return "exact solution";
      }
    };
  }
}
