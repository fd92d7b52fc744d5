package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;

/**
 * The {@code design} job's settings: targets, designs per target, temperature T, seed, and for the
 * linear system the least angle (radians) an example trajectory must turn to serve as a target.
 * Gray-Scott sweeps also use {@code randomSamples} (patterns from parameters drawn at random from
 * the prior, against which each design's distance is ranked), {@code targetsPath} (a Parquet file
 * of target patterns; empty: held-out dataset rows), {@code partitions} (Spark tasks) and the
 * configured {@code system}, whose simulation settings re-simulate the designs. Progress lines
 * come every {@code progressSeconds} ({@code progress.interval}; 0: none), not part of the
 * resolved settings.
 */
public record DesignConfig(String outputDir, boolean overwrite, int targets, int samples, double temperature, long seed,
    double minTurn, int randomSamples, String targetsPath, int partitions, PairSystem system, int progressSeconds) {
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
        c.intValue("design.partitions"), Systems.create(c), c.intValue("progress.interval"));
  }

  private boolean sweep() {
    return system != null && system.name().equals(org.macronet.systems.grayscott.GrayScottSystem.NAME);
  }

  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("design.targets", targets);
    m.put("design.samples", samples);
    m.put("design.temperature", temperature);
    m.put("design.seed", seed);
    m.put("design.min-turn", minTurn);
    if (sweep()) {
      // only for Gray-Scott sweeps, so that the other systems' configurations keep their hash
      m.put("design.random-samples", randomSamples);
      m.put("design.targets-path", targetsPath);
    }
    return m;
  }
}
