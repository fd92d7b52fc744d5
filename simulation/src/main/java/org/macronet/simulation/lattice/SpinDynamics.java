package org.macronet.simulation.lattice;

/** A kinetic Monte Carlo process on a spin configuration, which it changes in place. */
public interface SpinDynamics {

  /** Runs {@code events} spin flips and returns their summed waiting time (physical time). */
  double run(long events);

  /**
   * Runs the process for {@code duration} of physical time: the events that fall within it, and
   * not the first that would not. Returns the events run. Unlike a fixed number of events, which
   * samples the jump chain (states weighted by their total rate W), a fixed time leaves an
   * equilibrium distribution in equilibrium.
   */
  long runFor(double duration);
}
