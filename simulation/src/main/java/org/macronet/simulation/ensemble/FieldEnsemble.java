package org.macronet.simulation.ensemble;

import java.util.List;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.PatchBoundary;
import org.macronet.simulation.prior.Prior;

/**
 * An ensemble system whose state is a set of fields on a line of cells (one float32 array column
 * per species), from which the learned-SDE method learns the dynamics of a larger line: its states
 * can be resampled onto more cells, one patch of cells can be advanced alone, and runs of any
 * size can start from fixed parameters (the direct runs that judge a learned model).
 *
 * <p>A state is {@code double[species][cells]}, species in {@link #species()} order. The
 * snapshot rows ({@link #fields(int)}) hold the prior's parameters, then {@link #indexColumn()}
 * (int32, the step count), {@code time}, the observables, and one array column per species.
 */
public interface FieldEnsemble extends EnsembleSystem {

  /** The state's array columns, one per species (e.g. {@code u}, {@code v}). */
  List<String> species();

  /** The int32 column counting a trajectory's steps, which orders its snapshots. */
  String indexColumn();

  /** The snapshot columns of runs on {@code cells} cells; {@link #fields()} is this at the configured size. */
  List<Field> fields(int cells);

  /** The observables of a state, in {@link #observables()} order (e.g. the mean of each species). */
  double[] observe(double[][] state);

  /**
   * The state resampled onto {@code cells} cells (the training states of a longer line, made from
   * shorter ones): each species linearly interpolated between cell centres, constant beyond the
   * outermost centres.
   */
  double[][] resample(double[][] state, int cells);

  /**
   * Refuses, naming the key to change, a number of cells on which the dynamics cannot run (a step
   * too long for the finer grid's diffusion); accepts every number by default.
   */
  default void checkCells(int cells) {}

  /** The physical time of one step. */
  double stepTime();

  /**
   * Advances cells {@code [from, to)} of {@code state} by {@code steps} steps of the dynamics on
   * {@code state[0].length} cells, in place, the other cells frozen: with {@link PatchBoundary#HALO}
   * the patch's edge cells see their real neighbours (and the line's own boundary where the patch
   * touches it); with {@link PatchBoundary#PERIODIC} the patch is a ring of its own.
   */
  void evolvePatch(double[][] state, int from, int to, PatchBoundary boundary, int steps, SampleRandom rng);

  /**
   * Runs on {@code cells} cells of {@code steps} steps, a snapshot every {@code snapshotEvery}
   * steps (the initial state included), their parameters drawn from {@code from} (which may fix
   * them); rows as {@link #fields(int)} of {@code cells}.
   */
  Simulator openSimulator(int cells, int steps, int snapshotEvery, Prior from);
}
