package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Studies;
import org.macronet.simulation.PairSystem;

/**
 * The {@code design} job's settings: targets, designs per target, temperature T, seed, the least
 * angle (radians) an example trajectory must turn to serve as a target (for studies that choose by
 * turning), {@code randomSamples} (prior samples of a study's reference), {@code targetsPath} (a
 * Parquet file of targets; empty: held-out dataset rows), {@code partitions} (Spark tasks) and the
 * configured {@code system}, whose design study ({@link #study()}) scores the designs. Progress lines
 * come every {@code progressSeconds} ({@code progress.interval}; 0: none), not part of the
 * resolved settings.
 */
public record DesignConfig(String outputDir, boolean overwrite, int targets, int samples, double temperature, long seed,
    double minTurn, int randomSamples, String targetsPath, int partitions, PairSystem system, int progressSeconds,
    int partners, double acceptWithin) {
  public DesignConfig {
    ConfigException.require(outputDir != null && !outputDir.isBlank(), "output.dir", "must not be empty");
    ConfigException.require(progressSeconds >= 0, "progress.interval", "must be non-negative, found " + progressSeconds);
    ConfigException.require(targets >= 1 && targets <= 100_000, "design.targets", "must be in [1, 100000], found " + targets);
    ConfigException.require(samples >= 1 && samples <= 10_000_000, "design.samples",
        "must be in [1, 10000000], found " + samples);
    ConfigException.require(temperature >= 0 && temperature <= 10, "design.temperature",
        "must be in [0, 10], found " + temperature);
    ConfigException.require(minTurn >= 0 && minTurn < Math.PI, "design.min-turn",
        "must be in [0, pi) radians, found " + minTurn);
    ConfigException.require(randomSamples >= 2 && randomSamples <= 10_000_000, "design.random-samples",
        "must be in [2, 10000000], found " + randomSamples);
    ConfigException.require(targetsPath != null, "design.targets-path", "must not be null");
    ConfigException.require(partitions >= 1 && partitions <= 100_000, "design.partitions",
        "must be in [1, 100000], found " + partitions);
  }

  public static DesignConfig from(ConfigLoader c) {
    return new DesignConfig(c.string("output.dir"), c.booleanValue("output.overwrite"), c.intValue("design.targets"),
        c.intValue("design.samples"), c.doubleValue("design.temperature"), c.longValue("design.seed"),
        c.doubleValue("design.min-turn"), c.intValue("design.random-samples"), c.string("design.targets-path"),
        c.intValue("design.partitions"), Systems.create(c), c.intValue("progress.interval"),
        c.intValue("design.partners"), c.doubleValue("design.accept-within"));
  }

  /** These settings with {@code output.overwrite} set to {@code overwrite}. */
  public DesignConfig withOverwrite(boolean overwrite) {
    return new DesignConfig(outputDir, overwrite, targets, samples, temperature, seed, minTurn, randomSamples,
        targetsPath, partitions, system, progressSeconds, partners, acceptWithin);
  }

  /** What the configured system's study sees. */
  public DesignSettings settings() {
    return new DesignSettings(targets, samples, temperature, seed, minTurn, randomSamples, targetsPath, partners,
        acceptWithin);
  }

  /**
   * The configured system's design study.
   *
   * @throws ConfigException on {@code system} when it has none
   */
  public DesignStudy study() {
    ConfigException.require(system != null, "system", "must name a system");
    return Studies.create(system, settings());
  }

  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("design.targets", targets);
    m.put("design.samples", samples);
    m.put("design.temperature", temperature);
    m.put("design.seed", seed);
    m.put("design.min-turn", minTurn);
    if (system != null && Studies.has(system.name())) {
      // the keys only some studies read come from the study, so that the others keep their hash
      m.putAll(study().resolved());
    }
    if (partners > 0) {
      // only when used, so that configurations from before the keys keep their hash
      m.put("design.partners", partners);
      m.put("design.accept-within", acceptWithin);
    }
    if (!targetsPath.isEmpty()) {
      // targets from a file decide the outputs of every study
      m.putIfAbsent("design.targets-path", targetsPath);
    }
    return m;
  }
}
