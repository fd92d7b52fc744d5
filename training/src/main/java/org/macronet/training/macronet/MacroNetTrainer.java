package org.macronet.training.macronet;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.data.PairData;
import org.macronet.training.data.PairRows;
import org.macronet.training.optim.Adam;

/**
 * The single-JVM MacroNet trainer: data-parallel over threads. Each step's global minibatch
 * (a function of seed and step) is cut into {@code threads} contiguous chunks; chunk k's loss and
 * gradient sums go into aggregator k and the aggregators are merged in chunk order, so a run is
 * bit-identical for the same seed and thread count, and a resumed run continues exactly as an
 * uninterrupted one. The mean gradient (sum / weight) is clipped by norm and applied by Adam.
 */
public final class MacroNetTrainer {
  private static final long NOISE_SALT = 0x6e6f697365L;
  private static final int DATA_INIT_ROWS = 4096;
  /** Rows per forward pass in {@link #evaluate}; a distributed evaluation uses the same to sum alike. */
  public static final int EVALUATION_CHUNK = 1024;
  /**
   * Rows of the training set, and of the held-out set, over which a training run's final losses
   * are averaged: every row up to this many, evenly spaced rows beyond (a forward pass over a
   * million patterns would take longer than the training).
   */
  public static final int FINAL_EVALUATION_ROWS = 20_000;
  /** Values per row times rows of an evaluation chunk at most, so that wide rows (images) get small chunks. */
  private static final int EVALUATION_VALUES = 1 << 18;

  private final MacroNetLoss loss;
  private final TrainSettings settings;

  public MacroNetTrainer(MacroNetLoss loss, TrainSettings settings) {
    this.loss = loss;
    this.settings = settings;
  }

  public MacroNetLoss loss() {
    return loss;
  }

  public TrainSettings settings() {
    return settings;
  }

  /** The noise seed of a step: a function of (seed, step) only. */
  public static long noiseSeed(long seed, long step) {
    return SampleSeeds.sampleSeed(seed ^ NOISE_SALT, step);
  }

  /**
   * Step 0's state: parameters drawn from the seed, then ActNorm fitted on the first rows of the
   * epoch-0 order; a fresh Adam.
   */
  public TrainingState initialState(PairData train) {
    return initialState(train.rows(), train::select);
  }

  /**
   * {@link #initialState(PairData)} for a training set of {@code rows} rows held elsewhere:
   * {@code select} returns the given rows (indices into the training set), in the order given.
   */
  public TrainingState initialState(int rows, Function<int[], PairData> select) {
    MacroNet net = loss.net();
    float[] params = new float[net.parameterCount()];
    SplittableRandom random = new SplittableRandom(settings.seed());
    net.flowU().initialise(params, net.baseU(), random);
    if (!net.shared()) {
      net.flowV().initialise(params, net.baseV(), random);
    }
    int n = Math.min(rows, DATA_INIT_ROWS);
    int[] first = new MinibatchSchedule(settings.seed(), rows, n).indices(0);
    PairData init = select.apply(first);
    if (init.rows() != n) {
      throw new IllegalStateException("asked for " + n + " initialisation rows, got " + init.rows());
    }
    if (net.shared()) {
      net.flowU().initialiseFromData(params, net.baseU(), init.stackedUV(), 2 * n);
    } else {
      net.flowU().initialiseFromData(params, net.baseU(), init.u(), n);
      net.flowV().initialiseFromData(params, net.baseV(), init.v(), n);
    }
    return new TrainingState(params, new Adam(params.length), 0);
  }

  /**
   * Trains from {@code state} (modified in place) until {@code settings.steps()} steps are done.
   *
   * @throws TrainingDivergedException on a non-finite loss, gradient or parameter, before the bad
   *     update reaches a checkpoint
   */
  public TrainingState train(PairData train, TrainingState state, TrainingListener listener) {
    int threads = settings.threads();
    int chunk = (settings.batch() + threads - 1) / threads;
    List<MacroNetLoss.Evaluator> evaluators = new ArrayList<>();
    List<LossAggregator> aggregators = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      evaluators.add(loss.newEvaluator(chunk));
      aggregators.add(new LossAggregator(state.params().length));
    }
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "macronet-train");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      return train(train.rows(), state, listener,
          (step, params, rows, noiseSeed) -> evaluateChunks(pool, evaluators, aggregators, params, train, rows, true,
              noiseSeed));
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * The optimiser loop shared by every way of computing the sums: for each step t from
   * {@code state.stepsDone()}, the minibatch rows of t (of a training set of {@code rows} rows) and
   * the noise seed of t go to {@code gradient}; its sums, divided by their weight, are clipped by
   * norm and applied by Adam; progress and checkpoints go to {@code listener}.
   *
   * @throws TrainingDivergedException on a non-finite loss, gradient or parameter, before the bad
   *     update reaches a checkpoint
   */
  public TrainingState train(int rows, TrainingState state, TrainingListener listener, MinibatchGradient gradient) {
    MinibatchSchedule schedule = new MinibatchSchedule(settings.seed(), rows, settings.batch());
    long t0 = System.nanoTime();
    long firstStep = state.stepsDone();
    while (state.stepsDone() < settings.steps()) {
      long step = state.stepsDone();
      int[] batchRows = schedule.indices(step);
      long noiseSeed = noiseSeed(settings.seed(), step);
      LossAggregator agg = gradient.sums(step, state.params(), batchRows, noiseSeed);
      double norm = update(state, agg);
      state.advance();
      report(listener, state, step, firstStep, t0, agg.meanTerms(), norm);
    }
    return state;
  }

  /**
   * After the steps from {@code step} to {@code state.stepsDone()}: progress when they reach a
   * multiple of the log interval or the end, a checkpoint when they end on a multiple of the
   * checkpoint interval (before the end).
   */
  private void report(TrainingListener listener, TrainingState state, long step, long firstStep, long t0,
      LossAggregator.LossTerms terms, double gradientNorm) {
    long done = state.stepsDone();
    listener.onStep(done, terms, gradientNorm, settings.learningRate().at(done - 1));
    if (done / settings.logEvery() > step / settings.logEvery() || done == settings.steps()) {
      double seconds = (System.nanoTime() - t0) / 1e9;
      double rate = (done - firstStep) / Math.max(seconds, 1e-9);
      listener.onProgress(new TrainingListener.Progress(done, settings.steps(), terms, gradientNorm,
          settings.learningRate().at(done - 1), rate, (settings.steps() - done) / rate));
    }
    if (settings.checkpointEvery() > 0 && done % settings.checkpointEvery() == 0 && done < settings.steps()) {
      listener.onCheckpoint(state);
    }
  }

  /**
   * One optimiser step of {@code state} at step {@code state.stepsDone()} with the sums of its
   * minibatch: the mean gradient (sum / weight), clipped by norm, applied by Adam at the step's
   * learning rate. Does not advance the step counter. Returns the gradient norm before clipping.
   *
   * @throws TrainingDivergedException on a non-finite loss, gradient or parameter
   */
  public double update(TrainingState state, LossAggregator agg) {
    long step = state.stepsDone();
    if (!agg.isFinite()) {
      throw new TrainingDivergedException(step, "loss " + agg.meanTerms() + " or its gradient is not finite");
    }
    double[] g = agg.meanGradient();
    double norm = Adam.clipNorm(g, settings.clipNorm());
    state.adam().step(state.params(), g, settings.learningRate().at(step));
    for (float p : state.params()) {
      if (!Float.isFinite(p)) {
        throw new TrainingDivergedException(step, "a parameter became " + p + " after the update");
      }
    }
    return norm;
  }

  /**
   * The optimiser loop in rounds of up to {@code localSteps} steps (local SGD): each round runs
   * from the state at its first step t and returns the state after its k steps. A round never
   * crosses a checkpoint or the end, so its length is a function of t alone and a resumed run
   * repeats the rounds of an uninterrupted one. With {@code localSteps = 1} and a round that does
   * what {@link #update} does, this is the synchronous loop.
   *
   * @throws TrainingDivergedException when a round reports a non-finite parameter
   */
  public TrainingState trainInRounds(TrainingState state, int localSteps, TrainingListener listener, Round round) {
    if (localSteps < 1) {
      throw new IllegalArgumentException("local steps must be >= 1, found " + localSteps);
    }
    long t0 = System.nanoTime();
    long firstStep = state.stepsDone();
    long every = settings.checkpointEvery();
    while (state.stepsDone() < settings.steps()) {
      long step = state.stepsDone();
      long end = Math.min(settings.steps(), step + localSteps);
      if (every > 0) {
        end = Math.min(end, (step / every + 1) * every);
      }
      int k = (int) (end - step);
      Round.Outcome out = round.run(step, k, state);
      for (float p : out.params()) {
        if (!Float.isFinite(p)) {
          throw new TrainingDivergedException(end - 1, "a parameter became " + p + " in the round of steps " + step
              + ".." + (end - 1));
        }
      }
      System.arraycopy(out.params(), 0, state.params(), 0, state.params().length);
      state.adam().restore(out.firstMoment(), out.secondMoment(), state.adam().stepCount() + k);
      for (int i = 0; i < k; i++) {
        state.advance();
      }
      report(listener, state, step, firstStep, t0, out.terms(), out.gradientNorm());
    }
    return state;
  }

  /** k optimiser steps from a state, however they are computed (see {@link #trainInRounds}). */
  @FunctionalInterface
  public interface Round {
    /** The parameters and Adam moments after steps {@code step .. step + k - 1}; {@code state} must not be changed. */
    Outcome run(long step, int k, TrainingState state);

    /** A round's result, with its mean loss terms and last gradient norm for progress. */
    record Outcome(float[] params, float[] firstMoment, float[] secondMoment, LossAggregator.LossTerms terms,
        double gradientNorm) {}
  }

  /**
   * The loss and gradient sums of one step's global minibatch at {@code params}: {@code rows} are
   * the minibatch's row indices, {@code noiseSeed} keys the training noise (per row index). The
   * sums must not depend on how the work is split, beyond the order of floating-point additions.
   */
  @FunctionalInterface
  public interface MinibatchGradient {
    LossAggregator sums(long step, float[] params, int[] rows, long noiseSeed);
  }

  /**
   * Rows per evaluation chunk: {@link #EVALUATION_CHUNK}, fewer for wide rows, since an evaluator's
   * buffers grow with rows x width x blocks (1024 Gray-Scott patterns through an image flow would
   * take gigabytes).
   */
  public static int evaluationChunk(MacroNet net) {
    return Math.max(1, Math.min(EVALUATION_CHUNK, EVALUATION_VALUES / Math.max(net.uDim(), net.vDim())));
  }

  /** Mean loss terms of {@code data} without training noise (held-out evaluation). */
  public LossAggregator.LossTerms evaluate(float[] params, PairRows data) {
    int[] rows = evaluationRows(data.rows(), Integer.MAX_VALUE);
    return evaluate(params, data, rows);
  }

  /** Mean loss terms of rows {@code rows} of {@code data}, without training noise. */
  public LossAggregator.LossTerms evaluate(float[] params, PairRows data, int[] rows) {
    MacroNetLoss.Evaluator e = loss.newEvaluator(Math.max(1, Math.min(rows.length, evaluationChunk(loss.net()))));
    LossAggregator agg = new LossAggregator(0);
    e.evaluate(params, data, rows, 0, rows.length, agg);
    return agg.meanTerms();
  }

  /**
   * The rows a final evaluation of a set of {@code n} rows averages over: all of them, in order,
   * up to {@code limit}; beyond it, {@code limit} rows evenly spaced over the set (row
   * floor(i n / limit) for i = 0..limit-1), so that its cost does not grow with the data.
   */
  public static int[] evaluationRows(int n, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("an evaluation needs at least one row, found a limit of " + limit);
    }
    int m = Math.min(n, limit);
    int[] rows = new int[m];
    for (int i = 0; i < m; i++) {
      rows[i] = (int) ((long) i * n / m);
    }
    return rows;
  }

  private LossAggregator evaluateChunks(ExecutorService pool, List<MacroNetLoss.Evaluator> evaluators,
      List<LossAggregator> aggregators, float[] params, PairData data, int[] rows, boolean withNoise, long noiseSeed) {
    int threads = evaluators.size();
    int n = rows.length;
    List<Future<?>> futures = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      int from = (int) ((long) k * n / threads);
      int to = (int) ((long) (k + 1) * n / threads);
      MacroNetLoss.Evaluator e = evaluators.get(k);
      LossAggregator a = aggregators.get(k).reset();
      Runnable task = () -> e.accumulate(params, data, rows, from, to, withNoise, noiseSeed, a);
      if (k < threads - 1) {
        futures.add(pool.submit(task));
      } else {
        task.run();
      }
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("training interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        throw new IllegalStateException(cause);
      }
    }
    LossAggregator total = aggregators.get(0);
    for (int k = 1; k < threads; k++) {
      total.merge(aggregators.get(k));
    }
    return total;
  }
}
