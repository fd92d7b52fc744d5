package org.macronet.training.macronet;

import java.io.Serializable;
import org.macronet.training.flow.Standardization;

/**
 * A MacroNet's architecture with the input standardisations fitted on its training data, as plain
 * serialisable values: what a worker needs to build the same network ({@link #build()}), without
 * its weights. The loss ({@link LossSpec}) and a trained model ({@link TrainedMacroNet}) both
 * carry one.
 *
 * @param meanV null for a shared flow, whose u standardisation serves v too; {@code stdV} likewise
 */
public record FittedSpec(MacroNetSpec spec, float[] meanU, float[] stdU, float[] meanV, float[] stdV)
    implements Serializable {

  /**
   * @param standardizeV null for a shared flow
   * @throws IllegalArgumentException when a standardisation the architecture needs is missing
   */
  public static FittedSpec of(MacroNetSpec spec, Standardization standardizeU, Standardization standardizeV) {
    if (standardizeU == null || standardizeV == null && !spec.shared()) {
      throw new IllegalArgumentException("a standardisation is needed for u" + (spec.shared() ? "" : " and for v"));
    }
    return new FittedSpec(spec, standardizeU.mean(), standardizeU.std(),
        standardizeV == null ? null : standardizeV.mean(), standardizeV == null ? null : standardizeV.std());
  }

  /** The fitted spec of {@code net}, built from {@code spec}: its flows' first blocks are the standardisations. */
  public static FittedSpec of(MacroNetSpec spec, MacroNet net) {
    Standardization su = (Standardization) net.flowU().blocks().get(0);
    Standardization sv = spec.shared() ? null : (Standardization) net.flowV().blocks().get(0);
    return of(spec, su, sv);
  }

  /** A new network (weights are passed to its methods); use it from one thread. */
  public MacroNet build() {
    return spec.build(new Standardization(meanU, stdU), meanV == null ? null : new Standardization(meanV, stdV));
  }
}
