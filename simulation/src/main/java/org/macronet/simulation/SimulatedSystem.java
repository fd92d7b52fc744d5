package org.macronet.simulation;

import java.io.Serializable;
import org.macronet.simulation.prior.Prior;

/**
 * What every configured system is: a name and a prior over its parameters. A system is either
 * a {@link PairSystem}, whose samples are (u, v) pairs for the macrostate method, or an
 * {@link org.macronet.simulation.ensemble.EnsembleSystem}, whose samples are trajectories of
 * snapshots for the stochastic-dynamics method. Instances are immutable and serialisable.
 */
public interface SimulatedSystem extends Serializable {

  /** The system's name in configurations and metadata. */
  String name();

  /** The prior over the system's parameters, one uniform drawn per parameter and sample. */
  Prior prior();
}
