package org.macronet.simulation;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.macronet.common.random.SampleSeeds;

/**
 * A system that produces (u, v) pairs: its prior, its columns, and how to simulate a
 * block of samples. Instances are immutable configuration and serialisable, so a
 * distributed job ships them to workers; anything with native or thread resources
 * lives in the {@link BlockSimulator} opened on the worker.
 */
public interface PairSystem extends SimulatedSystem {

  /** The u (parameter) columns, in order. */
  List<String> uColumns();

  /** The v (observation) columns: scalar columns, or the one array column. */
  List<String> vColumns();

  /** Every double column a dataset row carries, in schema order. */
  List<String> scalarColumns();

  /** The array observation column, when the system has one. */
  Optional<ArrayColumn> arrayColumn();

  /**
   * Whether v is an image: an array column of shape (channels, height, width). Training's
   * {@code train.v-flow = auto} gives such an observation the image flow, any other a RealNVP.
   */
  default boolean imageObservation() {
    return arrayColumn().map(a -> a.shape().length == 3).orElse(false);
  }

  /**
   * The symmetries under which the distribution of v given u is invariant, for training's data
   * augmentation ({@code train.augment}): {@link Symmetry#NONE} by default. A system declares
   * more only when they hold exactly in distribution: for an image on a periodic grid whose
   * initial states are drawn alike at every cell, the translations; when its update and initial
   * states are also unchanged by the square's rotations and reflections, the lattice.
   */
  default Symmetry observationSymmetry() {
    return Symmetry.NONE;
  }

  /** Symmetry groups of an image observation, each containing the ones before it. */
  enum Symmetry {
    /** None declared. */
    NONE,
    /** The periodic translations of the grid. */
    TRANSLATIONS,
    /** The translations with the 8 rotations and reflections of a square grid. */
    LATTICE;

    /** Whether this group contains {@code other}. */
    public boolean contains(Symmetry other) {
      return compareTo(other) >= 0;
    }
  }

  /**
   * What training assumes about this system when {@code train.macro-dim} or {@code train.shared}
   * is {@code auto}: the macrostate dimension d, and whether u and v live in one space (then one
   * flow serves both). By default d = 2 and separate flows.
   */
  default FlowHints flowHints() {
    return new FlowHints(2, false);
  }

  /** Training hints: the default macrostate dimension and whether u and v share one flow. */
  record FlowHints(int macroDim, boolean shared) implements Serializable {
    public FlowHints {
      if (macroDim < 1) {
        throw new IllegalArgumentException("macroDim must be positive, found " + macroDim);
      }
    }
  }

  /** Opens a simulator on the calling worker; close it when done. */
  BlockSimulator openSimulator();

  /** A float32 array column and its logical shape (row-major). */
  record ArrayColumn(String name, int[] shape) implements Serializable {
    public int length() {
      int n = 1;
      for (int s : shape) {
        n = Math.multiplyExact(n, s);
      }
      return n;
    }
  }

  /**
   * How sample indices map to randomness and sweep points: sample {@code i} has seed
   * {@code SampleSeeds.sampleSeed(masterSeed, i)} and sits at grid point {@code i / seedsPerPoint}.
   */
  record Sampling(long masterSeed, long seedsPerPoint) implements Serializable {
    public Sampling {
      if (seedsPerPoint < 1) {
        throw new IllegalArgumentException("seedsPerPoint must be positive, found " + seedsPerPoint);
      }
    }

    public long seed(long index) {
      return SampleSeeds.sampleSeed(masterSeed, index);
    }

    public long gridPoint(long index) {
      return index / seedsPerPoint;
    }
  }

  /** Simulates blocks of samples; may hold a kernel with native resources. */
  interface BlockSimulator extends AutoCloseable {

    /** Simulates samples {@code first .. first + count - 1}. Each row depends only on (sampling, index). */
    SampleBlock simulate(Sampling sampling, long first, int count);

    /** What did the work, for logs and metadata (e.g. which Gray-Scott kernel). */
    String description();

    @Override
    default void close() {}
  }
}
