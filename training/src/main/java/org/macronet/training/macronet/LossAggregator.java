package org.macronet.training.macronet;

import java.io.Serializable;

/**
 * Sums of a MacroNet loss over weighted examples, the unit that data-parallel training combines:
 * the weight sum, the sums of L, L_P, NLL_u and NLL_v, and the gradient sum in the parameters'
 * flat layout (double, so that partial sums combine without loss). {@link #merge} is associative
 * and an empty aggregator is its identity; dividing by {@link #weightSum()} gives the means.
 */
public final class LossAggregator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] gradientSum;
  private double weightSum;
  private double lossSum;
  private double predictiveSum;
  private double nllUSum;
  private double nllVSum;

  public LossAggregator(int parameterCount) {
    this.gradientSum = new double[parameterCount];
  }

  /** Adds the sums of one batch: its weight, loss terms, and gradient sum (float, flat layout). */
  public LossAggregator add(double weight, double loss, double predictive, double nllU, double nllV, float[] gradient) {
    if (gradient.length != gradientSum.length) {
      throw new IllegalArgumentException("gradient of " + gradient.length + " values, aggregator holds " + gradientSum.length);
    }
    weightSum += weight;
    lossSum += loss;
    predictiveSum += predictive;
    nllUSum += nllU;
    nllVSum += nllV;
    for (int i = 0; i < gradient.length; i++) {
      gradientSum[i] += gradient[i];
    }
    return this;
  }

  /** Back to the empty aggregator, keeping the gradient buffer. */
  public LossAggregator reset() {
    java.util.Arrays.fill(gradientSum, 0.0);
    weightSum = 0;
    lossSum = 0;
    predictiveSum = 0;
    nllUSum = 0;
    nllVSum = 0;
    return this;
  }

  /** this := this + other; returns this. */
  public LossAggregator merge(LossAggregator other) {
    if (other.gradientSum.length != gradientSum.length) {
      throw new IllegalArgumentException("cannot merge aggregators of " + other.gradientSum.length + " and "
          + gradientSum.length + " parameters");
    }
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    predictiveSum += other.predictiveSum;
    nllUSum += other.nllUSum;
    nllVSum += other.nllVSum;
    for (int i = 0; i < gradientSum.length; i++) {
      gradientSum[i] += other.gradientSum[i];
    }
    return this;
  }

  public double weightSum() {
    return weightSum;
  }

  public double lossSum() {
    return lossSum;
  }

  public double[] gradientSum() {
    return gradientSum;
  }

  /** The mean gradient, gradient sum / weight sum (a new array). */
  public double[] meanGradient() {
    double[] g = gradientSum.clone();
    for (int i = 0; i < g.length; i++) {
      g[i] /= weightSum;
    }
    return g;
  }

  /** Means of the loss terms. */
  public LossTerms meanTerms() {
    return new LossTerms(lossSum / weightSum, predictiveSum / weightSum, nllUSum / weightSum, nllVSum / weightSum);
  }

  /** Whether the loss sum and every gradient component are finite. */
  public boolean isFinite() {
    if (!Double.isFinite(lossSum)) {
      return false;
    }
    for (double g : gradientSum) {
      if (!Double.isFinite(g)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Serialised through {@link Wire}: the gradient sum travels as floats when every component is
   * one exactly, as a partition's share of a minibatch evaluated in one chunk is (a float gradient
   * added to zeros), and as doubles otherwise. Half the bytes for the data-parallel trainer's
   * partial sums, the same bits after the round trip.
   */
  private Object writeReplace() {
    return Wire.of(this);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a LossAggregator is read through its serial form");
  }

  /** The serial form: the scalars, and the gradient sum as floats or as doubles (the other null). */
  private record Wire(double weightSum, double lossSum, double predictiveSum, double nllUSum, double nllVSum,
      float[] asFloats, double[] asDoubles) implements Serializable {
    private static final long serialVersionUID = 1L;

    static Wire of(LossAggregator a) {
      double[] g = a.gradientSum;
      float[] f = new float[g.length];
      for (int i = 0; i < g.length; i++) {
        f[i] = (float) g[i];
        if (f[i] != g[i] && !Double.isNaN(g[i])) {
          return new Wire(a.weightSum, a.lossSum, a.predictiveSum, a.nllUSum, a.nllVSum, null, g);
        }
      }
      return new Wire(a.weightSum, a.lossSum, a.predictiveSum, a.nllUSum, a.nllVSum, f, null);
    }

    private Object readResolve() {
      LossAggregator a = new LossAggregator(asFloats != null ? asFloats.length : asDoubles.length);
      if (asFloats != null) {
        for (int i = 0; i < asFloats.length; i++) {
          a.gradientSum[i] = asFloats[i];
        }
      } else {
        System.arraycopy(asDoubles, 0, a.gradientSum, 0, asDoubles.length);
      }
      a.weightSum = weightSum;
      a.lossSum = lossSum;
      a.predictiveSum = predictiveSum;
      a.nllUSum = nllUSum;
      a.nllVSum = nllVSum;
      return a;
    }
  }

  /** Mean loss L = L_P + gamma L_D, its predictive term, and the two flows' NLLs (not per-dimension). */
  public record LossTerms(double loss, double predictive, double nllU, double nllV) {}
}
