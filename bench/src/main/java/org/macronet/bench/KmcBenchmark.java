package org.macronet.bench;

import java.util.Locale;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.KineticMonteCarlo;
import org.macronet.simulation.lattice.SpinLattice;
import org.macronet.systems.ising.GlauberRates;
import org.macronet.systems.ising.NFoldWay;
import org.macronet.systems.ising.ScanGlauber;

/**
 * Events per second of continuous-time Glauber dynamics, one thread, the workload of
 * shared/bench/ising_kmc.py: an L x L periodic lattice at T = 2.5, h = 0.1 from a random start;
 * sweeps double until one run takes longer than the budget, and the last run is the figure. The
 * n-fold way ({@link NFoldWay}) and the O(N) draw ({@link ScanGlauber}) are timed the same way.
 */
final class KmcBenchmark {
  private KmcBenchmark() {}

  /** One figure: method, L, events per second, and the run it came from. */
  record Result(String method, int side, double eventsPerSecond, long events, double seconds) {
    String line() {
      return String.format(Locale.ROOT, "RESULT kmc method=%s L=%d events_per_s=%.4g events=%d seconds=%.3f",
          method, side, eventsPerSecond, events, seconds);
    }
  }

  static Result run(String method, int side, double budgetSeconds) {
    GlauberRates rates = new GlauberRates(2.5, 0.1);
    int n = side * side;
    int[] torus = SpinLattice.torus(side, side);
    long sweeps = 1;
    // a first short run warms the JIT up
    time(method, side, torus, rates, 1);
    while (true) {
      double seconds = time(method, side, torus, rates, sweeps);
      if (seconds > budgetSeconds || sweeps > (1L << 16)) {
        return new Result(method, side, sweeps * n / seconds, sweeps * n, seconds);
      }
      sweeps *= 2;
    }
  }

  private static double time(String method, int side, int[] torus, GlauberRates rates, long sweeps) {
    SampleRandom rng = new SampleRandom(2);
    byte[] s = SpinLattice.withMagnetisation(side * side, 0.0, rng);
    long events = sweeps * side * side;
    long t0 = System.nanoTime();
    KineticMonteCarlo kmc = method.equals("nfold") ? new NFoldWay(s, torus, null, rates, rng)
        : new ScanGlauber(s, torus, rates, rng);
    double time = kmc.run(events);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (!(time > 0)) {
      throw new IllegalStateException("no physical time elapsed"); // keeps the work observable
    }
    return seconds;
  }
}
