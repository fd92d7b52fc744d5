package org.macronet.simulation.ensemble;

import java.util.List;
import java.util.function.Consumer;
import org.macronet.simulation.SimulatedSystem;

/**
 * A system whose samples are trajectories: sample {@code i} draws its parameters from the prior
 * and its initial state with the sample's own seed, then stores a snapshot of its state every so
 * often. An ensemble dataset has one row per stored snapshot: {@code sample_id}, {@code seed},
 * then {@link #fields()} in order (the parameters, the snapshot's time and observables, the
 * configuration itself). Rows depend only on (master seed, sample index), so any partitioning
 * gives the same rows.
 */
public interface EnsembleSystem extends SimulatedSystem {

  /** The columns after {@code sample_id} and {@code seed}, in schema order. */
  List<Field> fields();

  /** The observable columns among {@link #fields()} (e.g. {@code m}, {@code rho}), for summaries. */
  List<String> observables();

  /** Snapshot rows per sample. */
  int snapshotsPerSample();

  /** Opens a simulator on the calling worker; close it when done. */
  Simulator openSimulator();

  /** Simulates samples one at a time; one instance per thread. */
  interface Simulator extends AutoCloseable {

    /**
     * Simulates one sample and hands its {@link #snapshotsPerSample()} rows to {@code rows}, in
     * time order. Each row holds the values of {@link #fields()} (without the id and seed), typed
     * as {@link Field#accepts} says; the consumer may keep the arrays.
     *
     * @param seed the sample's seed, from which all its randomness is drawn
     */
    void simulate(long seed, Consumer<Object[]> rows);

    /** What did the work, for logs and metadata. */
    String description();

    @Override
    default void close() {}
  }
}
