package org.macronet.training.macronet;

import java.io.Serializable;

/**
 * A trained MacroNet as one serialisable value: its architecture with the fitted input
 * standardisations, and the weights. This is what travels to executors (a {@link MacroNet} holds
 * scratch buffers, is not thread-safe and is not serialisable): each task calls {@link #build()}
 * for a network of its own.
 *
 * @param params the weights (not copied: callers must not write to them)
 */
public record TrainedMacroNet(FittedSpec network, float[] params) implements Serializable {

  /** The bundle of {@code net}, built from {@code spec}, with weights {@code params}. */
  public static TrainedMacroNet of(MacroNetSpec spec, MacroNet net, float[] params) {
    return new TrainedMacroNet(FittedSpec.of(spec, net), params);
  }

  public MacroNetSpec spec() {
    return network.spec();
  }

  /** A new network with the fitted standardisations; use it from one thread. */
  public MacroNet build() {
    return network.build();
  }
}
