package org.macronet.experiment;

import java.io.Serializable;
import org.macronet.common.config.ConfigException;

/**
 * The {@code design} settings a study sees.
 *
 * @param targets {@code design.targets}: targets (per label, for studies that choose by label)
 * @param samples {@code design.samples}: designs per target
 * @param temperature {@code design.temperature}: T, the standard deviation of the free latents eps
 * @param seed {@code design.seed}: keys every design's randomness
 * @param minTurn {@code design.min-turn}: for studies that choose targets by how far they turn
 * @param randomSamples {@code design.random-samples}: prior samples a reference is simulated from
 * @param targetsPath {@code design.targets-path}: a Parquet file of targets; empty for held-out rows
 */
public record DesignSettings(int targets, int samples, double temperature, long seed, double minTurn,
    int randomSamples, String targetsPath) implements Serializable {
  public DesignSettings {
    ConfigException.require(targets >= 1, "design.targets", "must be positive, found " + targets);
    ConfigException.require(samples >= 1, "design.samples", "must be positive, found " + samples);
    ConfigException.require(targetsPath != null, "design.targets-path", "must not be null");
  }
}
