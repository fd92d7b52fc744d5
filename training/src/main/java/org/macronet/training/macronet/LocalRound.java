package org.macronet.training.macronet;

import java.io.Serializable;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.data.PairBlock;
import org.macronet.training.optim.Adam;

/**
 * Workers' sums of a local-SGD round (Stich 2019, "Local SGD converges fast and communicates
 * little"): each worker starts from the shared parameters and Adam state at step t and takes k
 * optimiser steps ({@link MacroNetTrainer#update}) on its share of each step's global minibatch,
 * with the single JVM's rows and noise; the results are summed weighted by the examples each worker
 * used. {@link #average} divides by the total weight, so the parameters and Adam moments of a worker
 * count in proportion to its data, as its gradient would in synchronous training. A worker with
 * none of a step's rows skips that step. With one worker the average is exactly that worker's
 * state: k local steps equal k synchronous steps bit for bit.
 *
 * <p>{@link #merge} is associative up to the order of double additions, and an empty round is its
 * identity. A worker that diverges records the step and its part index instead of throwing, so that
 * the driver can name them.
 */
public final class LocalRound implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final float[] NO_GRADIENT = new float[0];

  private final double[] params;
  private final double[] firstMoment;
  private final double[] secondMoment;
  private double weight;
  private final LossAggregator losses;
  private double normSum;
  private int normCount;
  private long divergedStep = -1;
  private int divergedPart = -1;
  private String divergence;

  /** The empty round for {@code parameterCount} parameters. */
  public LocalRound(int parameterCount) {
    params = new double[parameterCount];
    firstMoment = new double[parameterCount];
    secondMoment = new double[parameterCount];
    losses = new LossAggregator(0);
  }

  /**
   * Part {@code part}'s k steps from {@code start} (not changed) on {@code block}, a block of a
   * training set of {@code rows} rows; {@code evaluator} must take a whole minibatch.
   */
  public static LocalRound run(MacroNetTrainer trainer, MacroNetLoss.Evaluator evaluator, PairBlock block, int rows,
      TrainingState start, int k, int part) {
    TrainSettings settings = trainer.settings();
    int n = start.params().length;
    float[] params = start.params().clone();
    Adam adam = start.adam().copy();
    adam.restore(start.adam().firstMoment(), start.adam().secondMoment(), start.adam().stepCount());
    TrainingState local = new TrainingState(params, adam, start.stepsDone());
    MinibatchSchedule schedule = new MinibatchSchedule(settings.seed(), rows, settings.batch());
    LocalRound out = new LocalRound(n);
    LossAggregator step = new LossAggregator(n);
    double used = 0;
    for (int i = 0; i < k; i++) {
      long t = start.stepsDone() + i;
      step.reset();
      evaluator.accumulateShare(params, block, schedule.indices(t), MacroNetTrainer.noiseSeed(settings.seed(), t), step);
      if (step.weightSum() > 0) {
        try {
          out.normSum += trainer.update(local, step);
          out.normCount++;
        } catch (TrainingDivergedException e) {
          out.divergedStep = t;
          out.divergedPart = part;
          out.divergence = e.getMessage();
          return out;
        }
        LossAggregator.LossTerms terms = step.meanTerms();
        double w = step.weightSum();
        out.losses.add(w, w * terms.loss(), w * terms.predictive(), w * terms.nllU(), w * terms.nllV(), NO_GRADIENT);
        used += w;
      }
      local.advance();
    }
    if (used > 0) {
      float[] m = adam.firstMoment();
      float[] v = adam.secondMoment();
      for (int j = 0; j < n; j++) {
        out.params[j] = used * params[j];
        out.firstMoment[j] = used * m[j];
        out.secondMoment[j] = used * v[j];
      }
      out.weight = used;
    }
    return out;
  }

  /** this := this + other; returns this. */
  public LocalRound merge(LocalRound other) {
    if (other.params.length != params.length) {
      throw new IllegalArgumentException("cannot merge rounds of " + other.params.length + " and " + params.length
          + " parameters");
    }
    for (int j = 0; j < params.length; j++) {
      params[j] += other.params[j];
      firstMoment[j] += other.firstMoment[j];
      secondMoment[j] += other.secondMoment[j];
    }
    weight += other.weight;
    losses.merge(other.losses);
    normSum += other.normSum;
    normCount += other.normCount;
    if (other.divergedStep >= 0 && (divergedStep < 0 || other.divergedStep < divergedStep
        || other.divergedStep == divergedStep && other.divergedPart < divergedPart)) {
      divergedStep = other.divergedStep;
      divergedPart = other.divergedPart;
      divergence = other.divergence;
    }
    return this;
  }

  /** Examples used by the workers summed so far. */
  public double weight() {
    return weight;
  }

  /** The first step at which a worker diverged, or -1. */
  public long divergedStep() {
    return divergedStep;
  }

  /**
   * The weighted means: the next shared parameters and Adam moments, the mean loss terms of the
   * round's steps, and the mean gradient norm.
   *
   * @throws TrainingDivergedException naming the step and the part where a worker diverged
   */
  public MacroNetTrainer.Round.Outcome average() {
    if (divergedStep >= 0) {
      throw new TrainingDivergedException(divergedStep, "in part " + divergedPart + " of the data: " + divergence);
    }
    if (!(weight > 0)) {
      throw new IllegalStateException("no worker held any row of the round's minibatches");
    }
    int n = params.length;
    float[] p = new float[n];
    float[] m = new float[n];
    float[] v = new float[n];
    for (int j = 0; j < n; j++) {
      p[j] = (float) (params[j] / weight);
      m[j] = (float) (firstMoment[j] / weight);
      v[j] = (float) (secondMoment[j] / weight);
    }
    return new MacroNetTrainer.Round.Outcome(p, m, v, losses.meanTerms(), normSum / Math.max(1, normCount));
  }
}
