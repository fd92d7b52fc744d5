package org.macronet.training.macronet;

import java.util.Arrays;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairRows;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.image.ImageAugmentation;

/**
 * The MacroNet loss, per example (docs/loss.md):
 * <pre>
 *   L_P   = || m_u(u) - m_v(v) ||^2                (sum over the d macrostate dimensions)
 *   NLL_f = 0.5 || f(x) ||^2 - log |det df/dx|(x)  (constant dropped)
 *   L     = L_P + gamma (NLL_u / n_u + NLL_v / n_v)
 * </pre>
 * with the noise kernel: during training each input column j gets Gaussian noise of standard
 * deviation {@code noise * scale_j} (scale_j the column's standard deviation in the training data),
 * drawn from a generator keyed by (noise seed, row index) so that it does not depend on threads,
 * partitions or resumption. With an augmentation of v (an exact symmetry of the patterns), each
 * training row's v is first transformed by a group element drawn from a second generator with the
 * same keys; held-out evaluation sees the rows as they are.
 */
public final class MacroNetLoss {
  private static final float[] NO_GRADIENT = new float[0];
  private static final long AUGMENT_SALT = 0x6175676d656e74L;
  private final MacroNet net;
  private final double gamma;
  private final double noise;
  private final float[] scaleU;
  private final float[] scaleV;
  private final ImageAugmentation augmentV;

  public MacroNetLoss(MacroNet net, double gamma, double noise, float[] scaleU, float[] scaleV) {
    this(net, gamma, noise, scaleU, scaleV, null);
  }

  /** With {@code augmentV} (null: none) applied to v in training; its image must be v's width. */
  public MacroNetLoss(MacroNet net, double gamma, double noise, float[] scaleU, float[] scaleV,
      ImageAugmentation augmentV) {
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("gamma must be >= 0, found " + gamma);
    }
    if (!(noise >= 0) || !Double.isFinite(noise)) {
      throw new IllegalArgumentException("noise must be >= 0, found " + noise);
    }
    if (scaleU.length != net.uDim() || scaleV.length != net.vDim()) {
      throw new IllegalArgumentException("noise scales need " + net.uDim() + " and " + net.vDim() + " columns");
    }
    this.net = net;
    this.gamma = gamma;
    this.noise = noise;
    this.scaleU = scaleU.clone();
    this.scaleV = scaleV.clone();
    if (augmentV != null && augmentV.shape().dim() != net.vDim()) {
      throw new IllegalArgumentException("an augmentation of " + augmentV.shape() + " images needs v of "
          + augmentV.shape().dim() + " values, found " + net.vDim());
    }
    this.augmentV = augmentV;
  }

  /** The augmentation of v in training, or null. */
  public ImageAugmentation augmentV() {
    return augmentV;
  }

  /** The augmentation's generator for one row: keyed like the noise, on its own stream. */
  static SampleRandom augmentRandom(long noiseSeed, long key) {
    return SampleSeeds.forSample(noiseSeed ^ AUGMENT_SALT, key);
  }

  public MacroNet net() {
    return net;
  }

  public double gamma() {
    return gamma;
  }

  public double noise() {
    return noise;
  }

  /** The per-column noise scales of u (a copy). */
  public float[] scaleU() {
    return scaleU.clone();
  }

  /** The per-column noise scales of v (a copy). */
  public float[] scaleV() {
    return scaleV.clone();
  }

  /** Buffers for one thread, for chunks of up to {@code maxRows} rows. */
  public Evaluator newEvaluator(int maxRows) {
    return new Evaluator(maxRows);
  }

  /** Evaluates loss and gradient sums of rows; one per thread. */
  public final class Evaluator {
    private final int maxRows;
    private final Flow.Workspace wsU;
    private final Flow.Workspace wsV;
    private final float[] u;
    private final float[] v;
    private final float[] dzU;
    private final float[] dzV;
    private final float[] dlU;
    private final float[] dlV;
    private final float[] grad;
    private final float[] original;

    public int maxRows() {
      return maxRows;
    }

    private Evaluator(int maxRows) {
      this.maxRows = maxRows;
      int nu = net.uDim();
      int nv = net.vDim();
      wsU = net.flowU().newWorkspace(maxRows);
      wsV = net.flowV().newWorkspace(maxRows);
      u = new float[maxRows * nu];
      v = new float[maxRows * nv];
      dzU = new float[maxRows * nu];
      dzV = new float[maxRows * nv];
      dlU = new float[maxRows];
      dlV = new float[maxRows];
      grad = new float[net.parameterCount()];
      original = augmentV != null ? new float[nv] : null;
    }

    /**
     * Adds to {@code agg} the loss and gradient sums of rows {@code rows[from..to)} of {@code data},
     * each of weight 1, with training noise keyed by {@code noiseSeed} (ignored when
     * {@code withNoise} is false, as for held-out evaluation).
     */
    public void accumulate(float[] params, PairRows data, int[] rows, int from, int to, boolean withNoise,
        long noiseSeed, LossAggregator agg) {
      accumulate(params, data, null, rows, from, to, withNoise, noiseSeed, agg);
    }

    /**
     * Adds to {@code agg} the training loss and gradient sums of this block's share of a global
     * minibatch ({@code minibatch}: global row indices), in minibatch order, with the noise of each
     * row keyed by its global index: the same examples and noise as a single JVM evaluating the
     * whole minibatch. A block that holds none of the rows adds nothing.
     */
    public void accumulateShare(float[] params, PairBlock block, int[] minibatch, long noiseSeed, LossAggregator agg) {
      int[] local = block.localRows(minibatch);
      accumulate(params, block.pairs(), block.globalRows(), local, 0, local.length, true, noiseSeed, agg);
    }

    /**
     * Adds to {@code agg}, an aggregator of loss terms only ({@code new LossAggregator(0)}), the
     * loss sums of rows {@code rows[from..to)} of {@code data} without training noise: held-out
     * and final evaluation. The same sums as {@link #accumulate} without noise, from the forward
     * pass alone.
     */
    public void evaluate(float[] params, PairRows data, int[] rows, int from, int to, LossAggregator agg) {
      if (agg.gradientSum().length != 0) {
        throw new IllegalArgumentException("evaluation sums loss terms only; give it a LossAggregator(0)");
      }
      for (int start = from; start < to; start += maxRows) {
        chunk(params, data, null, rows, start, Math.min(to, start + maxRows), false, 0, false, agg);
      }
    }

    // noiseKeys[row] keys the noise of data row `row` (null: the row index itself)
    private void accumulate(float[] params, PairRows data, int[] noiseKeys, int[] rows, int from, int to,
        boolean withNoise, long noiseSeed, LossAggregator agg) {
      for (int start = from; start < to; start += maxRows) {
        int end = Math.min(to, start + maxRows);
        chunk(params, data, noiseKeys, rows, start, end, withNoise, noiseSeed, true, agg);
      }
    }

    // training: draw the augmentation (if any) and the noise (if noise > 0) of each row
    private void chunk(float[] params, PairRows data, int[] noiseKeys, int[] rows, int from, int to,
        boolean training, long noiseSeed, boolean withGradient, LossAggregator agg) {
      boolean withNoise = training && noise > 0;
      boolean augment = training && augmentV != null;
      int n = to - from;
      int nu = net.uDim();
      int nv = net.vDim();
      int d = net.macroDim();
      for (int k = 0; k < n; k++) {
        int row = rows[from + k];
        data.read(row, u, k * nu, v, k * nv);
        long key = noiseKeys == null ? row : noiseKeys[row];
        if (augment) {
          System.arraycopy(v, k * nv, original, 0, nv);
          augmentV.apply(original, 0, v, k * nv, augmentRandom(noiseSeed, key));
        }
        if (withNoise) {
          SampleRandom r = SampleSeeds.forSample(noiseSeed, key);
          for (int j = 0; j < nu; j++) {
            u[k * nu + j] += (float) (noise * scaleU[j] * r.nextGaussian());
          }
          for (int j = 0; j < nv; j++) {
            v[k * nv + j] += (float) (noise * scaleV[j] * r.nextGaussian());
          }
        }
      }
      net.flowU().forward(params, net.baseU(), u, n, wsU);
      net.flowV().forward(params, net.baseV(), v, n, wsV);
      float[] zu = wsU.output();
      float[] zv = wsV.output();
      double[] ldu = wsU.logdet();
      double[] ldv = wsV.logdet();
      double gu = gamma / nu;
      double gv = gamma / nv;
      double lossSum = 0;
      double lpSum = 0;
      double nllUSum = 0;
      double nllVSum = 0;
      for (int k = 0; k < n; k++) {
        double lp = 0;
        double su = 0;
        double sv = 0;
        for (int j = 0; j < nu; j++) {
          double z = zu[k * nu + j];
          su += z * z;
          dzU[k * nu + j] = (float) (gu * z);
        }
        for (int j = 0; j < nv; j++) {
          double z = zv[k * nv + j];
          sv += z * z;
          dzV[k * nv + j] = (float) (gv * z);
        }
        for (int j = 0; j < d; j++) {
          double diff = (double) zu[k * nu + j] - zv[k * nv + j];
          lp += diff * diff;
          dzU[k * nu + j] += (float) (2 * diff);
          dzV[k * nv + j] -= (float) (2 * diff);
        }
        double nllU = 0.5 * su - ldu[k];
        double nllV = 0.5 * sv - ldv[k];
        dlU[k] = (float) -gu;
        dlV[k] = (float) -gv;
        lossSum += lp + gu * nllU + gv * nllV;
        lpSum += lp;
        nllUSum += nllU;
        nllVSum += nllV;
      }
      if (!withGradient) {
        agg.add(n, lossSum, lpSum, nllUSum, nllVSum, NO_GRADIENT);
        return;
      }
      Arrays.fill(grad, 0f);
      net.flowU().backward(params, net.baseU(), dzU, dlU, n, wsU, grad, net.baseU(), null);
      net.flowV().backward(params, net.baseV(), dzV, dlV, n, wsV, grad, net.baseV(), null);
      agg.add(n, lossSum, lpSum, nllUSum, nllVSum, grad);
    }
  }
}
