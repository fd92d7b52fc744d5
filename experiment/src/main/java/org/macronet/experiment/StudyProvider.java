package org.macronet.experiment;

import org.macronet.simulation.PairSystem;

/**
 * What a system brings to MacroNet's design and analysis, as a plugin: a system module registers
 * its provider in {@code META-INF/services/org.macronet.experiment.StudyProvider}, next to its
 * {@link org.macronet.simulation.SystemProvider}, or has its system provider implement this
 * interface too (then its one registration serves both); {@link Studies} finds it by the system's
 * name.
 * A second method gets a provider interface of its own, so a system opts into each method apart.
 */
public interface StudyProvider {

  /** The name of the system this study is for: its {@link org.macronet.simulation.SystemProvider#name()}. */
  String system();

  /**
   * The study of a configured system.
   *
   * @param system the configured system, of this provider's kind
   * @throws org.macronet.common.config.ConfigException naming the key, for a setting out of range
   */
  DesignStudy create(PairSystem system, DesignSettings settings);
}
