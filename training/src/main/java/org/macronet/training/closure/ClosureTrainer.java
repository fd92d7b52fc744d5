package org.macronet.training.closure;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.optim.Adam;

/**
 * Trains a {@link ClosureAutoencoder} in a form that a data-parallel driver can run. Step k draws
 * a minibatch of B states with replacement from {@code SampleSeeds.forSample(seed, k)}
 * ({@link #draw}); the minibatch is cut into S shares, share s holding the drawn positions
 * {@code [B s / S, B (s + 1) / S)} ({@link #shareStart}). Each share is one batch-norm batch, as
 * PyTorch's DistributedDataParallel without SyncBatchNorm: the batch norms normalise with the
 * share's own statistics. {@link #share} computes a share's {@link ShareSums}; {@link #apply} takes
 * their merge, divides by the total state count, makes the Adam step (learning rate
 * {@code learningRate}, a tenth of it for the last fifth of the steps, as the SDE trainer) and
 * updates the running statistics with the count-weighted mean of the shares' batch statistics
 * (momentum 0.1: {@code r := 0.9 r + 0.1 sum_s n_s b_s / sum_s n_s}; with one share, PyTorch's
 * update).
 *
 * <p>The contract: {@link #fit} runs the S shares one after the other in this JVM, merges them as
 * {@code EMPTY.merge(share 0).merge(share 1)...} and applies the result. A distributed job that
 * computes the same shares anywhere (each on a thread of its own) and merges them in share order
 * gets the same parameters, buffers and Adam state, bit for bit.
 */
public final class ClosureTrainer {

  /**
   * @param batch        B, states per minibatch
   * @param steps        optimiser steps
   * @param learningRate Adam's learning rate before the last fifth of the steps
   * @param seed         initial parameters and minibatches
   * @param shares       S, batch-norm batches per minibatch, 1 to B
   */
  public record Settings(int batch, long steps, double learningRate, long seed, int shares) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Settings {
      if (batch < 1) {
        throw new IllegalArgumentException("the closure batch must be positive, found " + batch);
      }
      if (steps < 0) {
        throw new IllegalArgumentException("the closure steps must not be negative, found " + steps);
      }
      if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
        throw new IllegalArgumentException("the closure learning rate must be positive and finite, found "
            + learningRate);
      }
      if (shares < 1 || shares > batch) {
        throw new IllegalArgumentException("the closure shares must lie in [1, batch = " + batch + "], found "
            + shares);
      }
    }
  }

  /**
   * Parameters, buffers, Adam's state and the count of steps applied; {@link #apply} changes them
   * in place. The arrays are the state's own, not copies.
   */
  public static final class State {
    private final float[] params;
    private final float[] buffers;
    private final Adam adam;
    private long step;

    public State(float[] params, float[] buffers, Adam adam, long step) {
      if (step < 0) {
        throw new IllegalArgumentException("the step count must not be negative, found " + step);
      }
      this.params = params;
      this.buffers = buffers;
      this.adam = adam;
      this.step = step;
    }

    public float[] params() {
      return params;
    }

    public float[] buffers() {
      return buffers;
    }

    public Adam adam() {
      return adam;
    }

    /** Steps applied so far, the index of the next step. */
    public long step() {
      return step;
    }
  }

  private final ClosureAutoencoder model;
  private final Settings settings;
  private final ThreadLocal<ClosureAutoencoder.Scratch> scratch;

  public ClosureTrainer(ClosureAutoencoder model, Settings settings) {
    this.model = model;
    this.settings = settings;
    int largest = maxShareSize(settings.batch(), settings.shares());
    this.scratch = ThreadLocal.withInitial(() -> model.newScratch(largest));
  }

  public ClosureAutoencoder model() {
    return model;
  }

  public Settings settings() {
    return settings;
  }

  /** The first drawn position of share s: {@code floor(B s / S)}; share s ends where share s + 1 starts. */
  public static int shareStart(int batch, int shares, int s) {
    if (s < 0 || s > shares) {
      throw new IllegalArgumentException("share " + s + " of " + shares);
    }
    return (int) ((long) batch * s / shares);
  }

  /** The most states a share holds, {@code ceil(B / S)}. */
  public static int maxShareSize(int batch, int shares) {
    return (batch + shares - 1) / shares;
  }

  /**
   * Step k's minibatch: B indices into n states, drawn with replacement as
   * {@code SampleSeeds.forSample(seed, k).nextInt(n)} one after the other.
   */
  public int[] draw(long step, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("drawing a minibatch needs states, found " + n);
    }
    SampleRandom order = SampleSeeds.forSample(settings.seed(), step);
    int[] picks = new int[settings.batch()];
    for (int j = 0; j < picks.length; j++) {
      picks[j] = order.nextInt(n);
    }
    return picks;
  }

  /** The learning rate of step k: {@code learningRate} before {@code 4 steps / 5}, a tenth of it from there. */
  public double learningRate(long step) {
    return step < settings.steps() * 4 / 5 ? settings.learningRate() : settings.learningRate() / 10;
  }

  /** Parameters from {@code new SplittableRandom(seed)}, running means 0 and variances 1, a fresh Adam, step 0. */
  public State initialState() {
    return new State(model.initialParameters(new SplittableRandom(settings.seed())), model.initialBuffers(),
        new Adam(model.parameterCount()), 0);
  }

  /**
   * One share's sums: the training-mode loss of its {@code count} states (one batch-norm batch) and
   * its gradient at {@code params}, on this thread's scratch.
   *
   * @param spins the share's states, L^2 spins (+-1) each, row-major, from index 0
   * @param obs   their observables, {@code count x nObs}, row-major
   */
  public ShareSums share(float[] params, byte[] spins, float[] obs, int count) {
    int largest = maxShareSize(settings.batch(), settings.shares());
    if (count < 1 || count > largest) {
      throw new IllegalArgumentException("a share holds 1 to " + largest + " states for a batch of "
          + settings.batch() + " in " + settings.shares() + " shares, found " + count);
    }
    ClosureAutoencoder.Scratch s = scratch.get();
    float[] grad = new float[model.parameterCount()];
    double loss = model.loss(params, spins, obs, count, s, grad);
    return ShareSums.of(count, loss, grad, s.batchStatistics());
  }

  /**
   * Applies a step from the merged shares: the mean loss and gradient (sums / total count), Adam
   * at {@link #learningRate}{@code (state.step())}, the running statistics from the count-weighted
   * mean of the shares' batch statistics ({@link ShareSums#meanStatistics}); then the step count
   * advances. Returns the step's mean loss.
   *
   * @throws IllegalStateException naming the step when the loss or a gradient is not finite; the
   *     state is left unchanged
   */
  public double apply(State state, ShareSums merged) {
    long step = state.step;
    if (merged.count() == 0) {
      throw new IllegalArgumentException("step " + step + " has no shares to apply");
    }
    if (merged.gradientSum().length != model.parameterCount()
        || merged.statisticsSum().length != model.bufferCount()) {
      throw new IllegalArgumentException("shares of " + merged.gradientSum().length + " gradients and "
          + merged.statisticsSum().length + " statistics for a model of " + model.parameterCount() + " and "
          + model.bufferCount());
    }
    double count = merged.count();
    double loss = merged.lossSum() / count;
    if (!Double.isFinite(loss)) {
      throw new IllegalStateException("the closure autoencoder's loss became " + loss + " at step " + step);
    }
    double[] grad = new double[merged.gradientSum().length];
    for (int q = 0; q < grad.length; q++) {
      grad[q] = merged.gradientSum()[q] / count;
      if (!Double.isFinite(grad[q])) {
        throw new IllegalStateException("the closure autoencoder's gradient " + q + " became " + grad[q]
            + " at step " + step);
      }
    }
    state.adam.step(state.params, grad, learningRate(step));
    model.updateBuffers(state.buffers, merged.meanStatistics());
    state.step++;
    return loss;
  }

  /**
   * Runs the steps from {@code state.step()} to {@code steps - 1} on n states held in memory,
   * each step's shares one after the other on this thread; returns those steps' mean losses.
   *
   * @param spins n states of L^2 spins (+-1), row-major
   * @param obs   n x nObs observables, row-major
   */
  public double[] fit(State state, byte[] spins, float[] obs) {
    int sites = model.latticeSide() * model.latticeSide();
    int nObs = model.observableCount();
    if (spins.length == 0 || spins.length % sites != 0) {
      throw new IllegalArgumentException(spins.length + " spins are no whole number of states of " + sites);
    }
    int n = spins.length / sites;
    if (obs.length != n * nObs) {
      throw new IllegalArgumentException(obs.length + " observables for " + n + " states of " + nObs);
    }
    int batch = settings.batch();
    int shares = settings.shares();
    int largest = maxShareSize(batch, shares);
    byte[] shareSpins = new byte[largest * sites];
    float[] shareObs = new float[largest * nObs];
    long first = state.step;
    double[] losses = new double[(int) Math.max(0, settings.steps() - first)];
    for (long step = first; step < settings.steps(); step++) {
      int[] picks = draw(step, n);
      ShareSums merged = ShareSums.EMPTY;
      for (int s = 0; s < shares; s++) {
        int from = shareStart(batch, shares, s);
        int to = shareStart(batch, shares, s + 1);
        for (int j = from; j < to; j++) {
          System.arraycopy(spins, picks[j] * sites, shareSpins, (j - from) * sites, sites);
          System.arraycopy(obs, picks[j] * nObs, shareObs, (j - from) * nObs, nObs);
        }
        merged = merged.merge(share(state.params, shareSpins, shareObs, to - from));
      }
      losses[(int) (step - first)] = apply(state, merged);
    }
    return losses;
  }
}
