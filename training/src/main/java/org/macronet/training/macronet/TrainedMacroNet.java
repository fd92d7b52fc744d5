package org.macronet.training.macronet;

import java.io.Serializable;
import org.macronet.training.flow.Standardization;

/**
 * A trained MacroNet as one serialisable value: its architecture, the input standardisations
 * fitted on the training data and the weights. This is what travels to executors (a
 * {@link MacroNet} holds scratch buffers, is not thread-safe and is not serialisable): each task
 * calls {@link #build()} for a network of its own.
 */
public final class TrainedMacroNet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final MacroNetSpec spec;
  private final float[] meanU;
  private final float[] stdU;
  private final float[] meanV;
  private final float[] stdV;
  private final float[] params;

  public TrainedMacroNet(MacroNetSpec spec, float[] meanU, float[] stdU, float[] meanV, float[] stdV,
      float[] params) {
    this.spec = spec;
    this.meanU = meanU.clone();
    this.stdU = stdU.clone();
    this.meanV = meanV.clone();
    this.stdV = stdV.clone();
    this.params = params;
  }

  /** The bundle of {@code net}, built from {@code spec}, with weights {@code params}. */
  public static TrainedMacroNet of(MacroNetSpec spec, MacroNet net, float[] params) {
    Standardization su = (Standardization) net.flowU().blocks().get(0);
    Standardization sv = (Standardization) net.flowV().blocks().get(0);
    return new TrainedMacroNet(spec, su.mean(), su.std(), sv.mean(), sv.std(), params);
  }

  public MacroNetSpec spec() {
    return spec;
  }

  /** The weights (not copied: callers must not write to them). */
  public float[] params() {
    return params;
  }

  /** A new network with the fitted standardisations; use it from one thread. */
  public MacroNet build() {
    return spec.build(new Standardization(meanU, stdU), new Standardization(meanV, stdV));
  }
}
