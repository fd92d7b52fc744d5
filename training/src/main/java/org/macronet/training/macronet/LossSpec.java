package org.macronet.training.macronet;

import java.io.Serializable;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;
import org.macronet.training.flow.image.ImageAugmentation;

/**
 * Everything that defines a {@link MacroNetLoss}, as plain serializable values: the architecture,
 * the input standardisations, gamma, the noise level and scales, the augmentation of v. A worker that receives it builds
 * the same network and loss as the process that made it ({@link #loss()}, built once per copy),
 * and borrows per-task evaluators from a pool so that buffers are not reallocated every step.
 */
public final class LossSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final FittedSpec network;
  private final double gamma;
  private final double noise;
  private final float[] scaleU;
  private final float[] scaleV;
  private final ImageAugmentation augmentV;
  private transient volatile MacroNetLoss loss;
  private transient volatile ConcurrentLinkedQueue<MacroNetLoss.Evaluator> pool;

  /** {@code standardizeV} is null for a shared flow, as in {@link MacroNetSpec#build}. */
  public LossSpec(MacroNetSpec spec, Standardization standardizeU, Standardization standardizeV, double gamma,
      double noise, float[] scaleU, float[] scaleV) {
    this(spec, standardizeU, standardizeV, gamma, noise, scaleU, scaleV, null);
  }

  /** With {@code augmentV} (null: none) applied to v in training, as {@link MacroNetLoss} does. */
  public LossSpec(MacroNetSpec spec, Standardization standardizeU, Standardization standardizeV, double gamma,
      double noise, float[] scaleU, float[] scaleV, ImageAugmentation augmentV) {
    this.network = FittedSpec.of(spec, standardizeU, standardizeV);
    this.gamma = gamma;
    this.noise = noise;
    this.scaleU = scaleU.clone();
    this.scaleV = scaleV.clone();
    this.augmentV = augmentV;
    this.loss = build();
  }

  /**
   * The loss as the train job defines it: training noise of {@code noise} standard deviations of
   * each column, the standard deviations being the standardisations' ({@code standardizeV} null
   * for a shared flow, whose u standardisation serves v too).
   */
  public static LossSpec of(MacroNetSpec spec, Standardization standardizeU, Standardization standardizeV,
      double gamma, double noise) {
    return of(spec, standardizeU, standardizeV, gamma, noise, null);
  }

  /** {@link #of(MacroNetSpec, Standardization, Standardization, double, double)} with an augmentation of v (or null). */
  public static LossSpec of(MacroNetSpec spec, Standardization standardizeU, Standardization standardizeV,
      double gamma, double noise, ImageAugmentation augmentV) {
    return new LossSpec(spec, standardizeU, standardizeV, gamma, noise, standardizeU.std(),
        spec.shared() ? standardizeU.std() : standardizeV.std(), augmentV);
  }

  /** {@link #of} with the standardisations fitted on {@code data}: u and v stacked for a shared flow. */
  public static LossSpec fit(MacroNetSpec spec, PairData data, double gamma, double noise) {
    return fit(spec, data, gamma, noise, null);
  }

  /** {@link #fit(MacroNetSpec, PairData, double, double)} with an augmentation of v (or null). */
  public static LossSpec fit(MacroNetSpec spec, PairData data, double gamma, double noise,
      ImageAugmentation augmentV) {
    if (spec.shared()) {
      return of(spec, Standardization.fit(data.stackedUV(), 2 * data.rows(), data.uDim()), null, gamma, noise,
          augmentV);
    }
    return of(spec, Standardization.fit(data.u(), data.rows(), data.uDim()),
        Standardization.fit(data.v(), data.rows(), data.vDim()), gamma, noise, augmentV);
  }

  public MacroNetSpec spec() {
    return network.spec();
  }

  /** The architecture with its fitted standardisations. */
  public FittedSpec network() {
    return network;
  }

  /** The loss (built on first use in a deserialised copy). */
  public MacroNetLoss loss() {
    MacroNetLoss l = loss;
    if (l == null) {
      synchronized (this) {
        if (loss == null) {
          loss = build();
        }
        l = loss;
      }
    }
    return l;
  }

  /** An evaluator for chunks of up to {@code maxRows} rows, from the pool or new; give it back with {@link #release}. */
  public MacroNetLoss.Evaluator borrow(int maxRows) {
    MacroNetLoss.Evaluator e = pool().poll();
    return e != null && e.maxRows() == maxRows ? e : loss().newEvaluator(maxRows);
  }

  public void release(MacroNetLoss.Evaluator evaluator) {
    pool().offer(evaluator);
  }

  private ConcurrentLinkedQueue<MacroNetLoss.Evaluator> pool() {
    ConcurrentLinkedQueue<MacroNetLoss.Evaluator> p = pool;
    if (p == null) {
      synchronized (this) {
        if (pool == null) {
          pool = new ConcurrentLinkedQueue<>();
        }
        p = pool;
      }
    }
    return p;
  }

  private MacroNetLoss build() {
    return new MacroNetLoss(network.build(), gamma, noise, scaleU, scaleV, augmentV);
  }
}
