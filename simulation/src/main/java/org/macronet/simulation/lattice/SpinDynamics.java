package org.macronet.simulation.lattice;

/** A kinetic Monte Carlo process on a spin configuration, which it changes in place. */
public interface SpinDynamics {

  /** Runs {@code events} spin flips and returns their summed waiting time (physical time). */
  double run(long events);
}
