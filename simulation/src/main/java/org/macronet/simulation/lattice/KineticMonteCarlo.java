package org.macronet.simulation.lattice;

import org.macronet.common.random.SampleRandom;

/**
 * Rejection-free continuous-time kinetic Monte Carlo: each event waits an exponential time of rate
 * W (the sum of all flip rates) and flips one site chosen with probability w_i / W. Subclasses say
 * how W is found and how the site is drawn; the waiting time is drawn first
 * ({@link SampleRandom#nextExponential}), then whatever the subclass draws.
 */
public abstract class KineticMonteCarlo implements SpinDynamics {
  protected final SampleRandom rng;

  protected KineticMonteCarlo(SampleRandom rng) {
    this.rng = rng;
  }

  /** W for the current state; a subclass may cache what {@link #flip} needs. */
  protected abstract double prepare();

  /** Flips one site, chosen with probability w_i / W, right after {@link #prepare} returned W. */
  protected abstract void flip(double w);

  /** Flips one site and returns the waiting time before it; 0 with no change when no site can flip. */
  public final double step() {
    double w = prepare();
    if (w == 0) {
      return 0;
    }
    double tau = rng.nextExponential() / w;
    flip(w);
    return tau;
  }

  @Override
  public final double run(long events) {
    double t = 0;
    for (long k = 0; k < events; k++) {
      t += step();
    }
    return t;
  }

  @Override
  public final long runFor(double duration) {
    double elapsed = 0;
    long n = 0;
    while (true) {
      double w = prepare();
      if (w == 0) {
        return n;
      }
      double tau = rng.nextExponential() / w;
      if (elapsed + tau > duration) {
        return n;
      }
      elapsed += tau;
      flip(w);
      n++;
    }
  }
}
