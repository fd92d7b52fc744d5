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
 * @param partners {@code design.partners}: for studies that know a state's partners (the
 *     observations the same parameters give), how many decide a target's macrostate and check a
 *     design's; 0: none (alpha = m_v(v*), every design kept)
 * @param acceptWithin {@code design.accept-within}: with partners, a design is kept when the median
 *     macrostate of its partners lies within this of alpha (each component); 0: every design kept
 */
public record DesignSettings(int targets, int samples, double temperature, long seed, double minTurn,
    int randomSamples, String targetsPath, int partners, double acceptWithin) implements Serializable {
  public DesignSettings {
    ConfigException.require(targets >= 1, "design.targets", "must be positive, found " + targets);
    ConfigException.require(samples >= 1, "design.samples", "must be positive, found " + samples);
    ConfigException.require(targetsPath != null, "design.targets-path", "must not be null");
    ConfigException.require(partners >= 0 && partners <= 10_000, "design.partners",
        "must be in [0, 10000], found " + partners);
    ConfigException.require(acceptWithin >= 0 && Double.isFinite(acceptWithin), "design.accept-within",
        "must be finite and non-negative, found " + acceptWithin);
    ConfigException.require(acceptWithin == 0 || partners > 0, "design.accept-within",
        "needs design.partners > 0 (a design is judged by its partners), found design.partners = 0");
  }

  /** Settings without partners: alpha = m_v(v*) and every design kept. */
  public DesignSettings(int targets, int samples, double temperature, long seed, double minTurn, int randomSamples,
      String targetsPath) {
    this(targets, samples, temperature, seed, minTurn, randomSamples, targetsPath, 0, 0.0);
  }
}
