package org.macronet.jobs.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function0;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.LocalRound;
import org.macronet.training.macronet.LossAggregator;
import org.macronet.training.macronet.LossSpec;
import org.macronet.training.macronet.MacroNetLoss;
import org.macronet.training.macronet.MacroNetTrainer;
import org.macronet.training.macronet.TrainSettings;
import org.macronet.training.macronet.TrainingDivergedException;
import org.macronet.training.macronet.TrainingListener;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.optim.Adam;
import scala.Tuple2;

/**
 * Data-parallel MacroNet training on Spark (synchronous gradient averaging, the pattern of Spark's
 * {@code RDDLossFunction}). The training rows live in a cached RDD of {@link PairBlock}s, one per
 * partition. Each step the driver broadcasts the flat parameters with the step's global minibatch
 * (a function of seed and step, as in the single JVM); every partition adds the loss and gradient
 * sums of its share of the minibatch, with the noise of each row keyed by its global index, to a
 * {@link LossAggregator}; the sums are combined, divided by the total example weight (not by the
 * number of partitions) and applied by the driver with the single-JVM trainer's own loop (clip by
 * norm, Adam, divergence checks, checkpoints).
 *
 * <p>Determinism: the partial sums are combined along a tree whose shape depends only on the
 * partition count (groups of consecutive partition indices, each merged in index order), so a
 * rerun with the same partitions is bit-identical. Spark's {@code treeAggregate} has the same
 * shape but merges in task-completion order at the driver (and in shuffle-fetch order in its
 * intermediate levels); double addition is not associative, so its results may differ in the last
 * bits from run to run. Against the single JVM the sums differ only in the order of additions
 * (float within a partition's share, double across partitions); with one partition and one thread
 * they are bit-identical.
 */
public final class SparkTrainer implements AutoCloseable {
  /** Levels of the combining tree, as in {@code treeAggregate}'s default. */
  public static final int DEPTH = 2;
  /** Rows per forward pass when evaluating a whole block, as the single JVM's evaluation does. */
  private final int evaluationChunk;

  private final JavaSparkContext sc;
  private final MacroNetTrainer trainer;
  private final Broadcast<LossSpec> lossSpec;
  private final int parameterCount;

  public SparkTrainer(SparkSession spark, LossSpec lossSpec, TrainSettings settings) {
    this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    this.trainer = new MacroNetTrainer(lossSpec.loss(), settings);
    this.parameterCount = lossSpec.loss().net().parameterCount();
    this.evaluationChunk = MacroNetTrainer.evaluationChunk(lossSpec.loss().net());
    this.lossSpec = sc.broadcast(lossSpec);
  }

  /** The single-JVM trainer with the same loss and settings (initial state, evaluation). */
  public MacroNetTrainer trainer() {
    return trainer;
  }

  /** {@code train} cut into {@code partitions} contiguous blocks of near-equal size, cached. */
  public JavaRDD<PairBlock> distribute(PairData train, int partitions) {
    return distribute(Arrays.asList(PairBlock.split(train, partitions)));
  }

  /**
   * One partition per block, in list order, cached and materialised (for data already in the
   * driver, as in tests and benchmarks; the train job reads its rows with {@link TrainingBlocks}).
   * A parallelized collection keeps its elements in its partitions, and those travel with every
   * task of every step; so the blocks go out once, in a broadcast, and each partition is built
   * from it by index (and rebuilt from it if its executor is lost). The broadcast lives as long as
   * the returned RDD: Spark's cleaner removes it once neither is referenced.
   */
  public JavaRDD<PairBlock> distribute(List<PairBlock> blocks) {
    Broadcast<PairBlock[]> all = sc.broadcast(blocks.toArray(PairBlock[]::new));
    List<Integer> indices = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      indices.add(k);
    }
    JavaRDD<PairBlock> rdd = sc.parallelize(indices, blocks.size()).map(k -> all.value()[k])
        .persist(StorageLevel.MEMORY_ONLY());
    rdd.count();
    return rdd;
  }

  /** What every partition needs for one step: one broadcast per step. */
  private record StepInput(float[] params, int[] rows, long noiseSeed) implements Serializable {}

  /** A partition's sums, and the lowest partition index whose sums are not finite (-1: none). */
  record PartSums(LossAggregator sums, int firstNonFinite) implements Serializable {
    PartSums merge(PartSums other) {
      sums.merge(other.sums);
      int bad = firstNonFinite < 0 ? other.firstNonFinite
          : other.firstNonFinite < 0 ? firstNonFinite : Math.min(firstNonFinite, other.firstNonFinite);
      return new PartSums(sums, bad);
    }
  }

  /**
   * The loss and gradient sums of the minibatch {@code rows} (global row indices) at
   * {@code params}, summed over the partitions of {@code blocks}.
   */
  public LossAggregator sums(JavaRDD<PairBlock> blocks, float[] params, int[] rows, long noiseSeed) {
    return partSums(blocks, params, rows, noiseSeed).sums();
  }

  private PartSums partSums(JavaRDD<PairBlock> blocks, float[] params, int[] rows, long noiseSeed) {
    Broadcast<StepInput> step = sc.broadcast(new StepInput(params, rows, noiseSeed));
    try {
      int count = parameterCount;
      return overPartitions(blocks, Math.max(1, rows.length), (index, it, spec, e) -> {
        StepInput in = step.value();
        LossAggregator agg = new LossAggregator(count);
        while (it.hasNext()) {
          e.accumulateShare(in.params(), it.next(), in.rows(), in.noiseSeed(), agg);
        }
        return new PartSums(agg, agg.isFinite() ? -1 : index);
      }, () -> new PartSums(new LossAggregator(count), -1), PartSums::merge);
    } finally {
      step.destroy();
    }
  }

  /** Mean loss terms over every row of {@code blocks} at {@code params}, without training noise. */
  public LossAggregator.LossTerms evaluate(JavaRDD<PairBlock> blocks, float[] params) {
    return evaluate(blocks, params, null);
  }

  /**
   * Mean loss terms over the rows {@code rows} (global indices, ascending; null: every row) of
   * {@code blocks} at {@code params}, without training noise.
   */
  public LossAggregator.LossTerms evaluate(JavaRDD<PairBlock> blocks, float[] params, int[] rows) {
    Broadcast<float[]> p = sc.broadcast(params);
    Broadcast<int[]> which = sc.broadcast(rows);
    try {
      int evaluationChunk = this.evaluationChunk;
      return overPartitions(blocks, evaluationChunk, (index, it, spec, e) -> {
        LossAggregator agg = new LossAggregator(0);
        while (it.hasNext()) {
          PairBlock b = it.next();
          int[] local;
          if (which.value() == null) {
            local = new int[b.rows()];
            Arrays.setAll(local, i -> i);
          } else {
            local = b.localRows(which.value());
          }
          e.evaluate(p.value(), b.pairs(), local, 0, local.length, agg);
        }
        return agg;
      }, () -> new LossAggregator(0), LossAggregator::merge).meanTerms();
    } finally {
      p.destroy();
      which.destroy();
    }
  }

  /** What one partition computes from its blocks, with the loss and an evaluator borrowed for the task. */
  @FunctionalInterface
  private interface PartitionWork<T> extends Serializable {
    T apply(int index, Iterator<PairBlock> blocks, LossSpec spec, MacroNetLoss.Evaluator evaluator) throws Exception;
  }

  /**
   * {@code work} on every partition, with an evaluator for chunks of up to {@code chunkRows} rows,
   * its results combined along the fixed tree of {@link #combine}.
   */
  private <T> T overPartitions(JavaRDD<PairBlock> blocks, int chunkRows, PartitionWork<T> work, Function0<T> empty,
      Function2<T, T, T> merge) {
    Broadcast<LossSpec> spec = lossSpec;
    JavaPairRDD<Integer, T> partial = blocks.mapPartitionsWithIndex((Integer index, Iterator<PairBlock> it) -> {
      LossSpec s = spec.value();
      MacroNetLoss.Evaluator e = s.borrow(chunkRows);
      try {
        return List.of(new Tuple2<>(index, work.apply(index, it, s, e))).iterator();
      } finally {
        s.release(e);
      }
    }, true).mapToPair(t -> t);
    return combine(partial, blocks.getNumPartitions(), empty, merge);
  }

  /**
   * Sums of the partial values keyed by partition index, along a fixed tree: while there are more
   * than {@code scale + n / scale} of them (scale = ceil(n^(1/DEPTH)), as in {@code treeAggregate}),
   * groups of {@code scale} consecutive indices are merged on executors in index order; the driver
   * merges the rest in index order.
   */
  public static <T> T combine(JavaPairRDD<Integer, T> partial, int partitions, Function0<T> empty, Function2<T, T, T> merge) {
    int n = partitions;
    int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / DEPTH)), 2);
    while (n > scale + Math.ceil((double) n / scale)) {
      int s = scale;
      n = (n + scale - 1) / scale;
      partial = partial.mapToPair(t -> new Tuple2<>(t._1() / s, t)).groupByKey(n)
          .mapValues(group -> inOrder(group, empty, merge));
    }
    List<Tuple2<Integer, T>> top = new ArrayList<>(partial.collect());
    try {
      return inOrder(top, empty, merge);
    } catch (Exception e) {
      throw new IllegalStateException("cannot merge the partitions' sums", e);
    }
  }

  private static <T> T inOrder(Iterable<Tuple2<Integer, T>> parts, Function0<T> empty, Function2<T, T, T> merge)
      throws Exception {
    List<Tuple2<Integer, T>> sorted = new ArrayList<>();
    parts.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(Tuple2::_1));
    T total = empty.call();
    for (Tuple2<Integer, T> t : sorted) {
      total = merge.call(total, t._2());
    }
    return total;
  }

  /**
   * Trains from {@code state} (modified in place) until the settings' steps are done, on the
   * {@code rows} training rows distributed in {@code blocks}: synchronous gradient averaging.
   *
   * @throws TrainingDivergedException on a non-finite loss, gradient (naming the first partition
   *     where it appeared) or parameter, naming the step, before the bad update reaches a checkpoint
   */
  public TrainingState train(JavaRDD<PairBlock> blocks, int rows, TrainingState state, TrainingListener listener) {
    int partitions = blocks.getNumPartitions();
    return trainer.train(rows, state, listener, (step, params, batchRows, noiseSeed) -> {
      PartSums s = partSums(blocks, params, batchRows, noiseSeed);
      if (s.firstNonFinite() >= 0) {
        throw new TrainingDivergedException(step, "the loss or gradient of partition " + s.firstNonFinite() + " of "
            + partitions + " is not finite (loss " + s.sums().meanTerms() + ")");
      }
      return s.sums();
    });
  }

  /** What every partition needs for one local-SGD round. */
  private record RoundInput(float[] params, float[] firstMoment, float[] secondMoment, long adamSteps, long step,
      int k) implements Serializable {}

  /**
   * Trains like {@link #train(JavaRDD, int, TrainingState, TrainingListener)}, but each partition
   * takes up to {@code localSteps} optimiser steps on its share of each step's minibatch before the
   * parameters and Adam moments are averaged, weighted by the examples each partition used (local
   * SGD: one broadcast and one aggregation per round instead of per step). {@code localSteps = 1}
   * is the synchronous path above.
   *
   * @throws TrainingDivergedException naming the step and the partition where a worker diverged
   */
  public TrainingState train(JavaRDD<PairBlock> blocks, int rows, TrainingState state, TrainingListener listener,
      int localSteps) {
    if (localSteps == 1) {
      return train(blocks, rows, state, listener);
    }
    TrainSettings settings = trainer.settings();
    int count = parameterCount;
    return trainer.trainInRounds(state, localSteps, listener, (step, k, s) -> {
      Adam adam = s.adam();
      Broadcast<RoundInput> input = sc.broadcast(new RoundInput(s.params(), adam.firstMoment(),
          adam.secondMoment(), adam.stepCount(), step, k));
      try {
        return overPartitions(blocks, settings.batch(), (index, it, spec, e) -> {
          RoundInput in = input.value();
          MacroNetTrainer local = new MacroNetTrainer(spec.loss(), settings);
          Adam start = new Adam(count);
          start.restore(in.firstMoment(), in.secondMoment(), in.adamSteps());
          TrainingState from = new TrainingState(in.params(), start, in.step());
          LocalRound round = new LocalRound(count);
          while (it.hasNext()) {
            round.merge(LocalRound.run(local, e, it.next(), rows, from, in.k(), index));
          }
          return round;
        }, () -> new LocalRound(count), LocalRound::merge).average();
      } finally {
        input.destroy();
      }
    });
  }

  /** Releases the loss broadcast on the executors and the driver. */
  @Override
  public void close() {
    lossSpec.destroy();
  }
}
