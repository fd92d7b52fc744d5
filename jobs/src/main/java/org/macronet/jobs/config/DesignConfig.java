package org.macronet.jobs.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.simulation.config.ConfigException;

/**
 * The {@code design} job's settings: targets, designs per target, temperature T, seed, and for the
 * linear system the least angle (radians) an example trajectory must turn to serve as a target.
 */
public record DesignConfig(String outputDir, boolean overwrite, int targets, int samples, double temperature, long seed,
    double minTurn) {
  public DesignConfig {
    ConfigException.require(outputDir != null && !outputDir.isBlank(), "output.dir", "must not be empty");
    ConfigException.require(targets >= 1 && targets <= 100_000, "design.targets", "must be in [1, 100000], found " + targets);
    ConfigException.require(samples >= 1 && samples <= 10_000_000, "design.samples",
        "must be in [1, 10000000], found " + samples);
    ConfigException.require(temperature >= 0 && temperature <= 10, "design.temperature",
        "must be in [0, 10], found " + temperature);
    ConfigException.require(minTurn >= 0 && minTurn < Math.PI, "design.min-turn",
        "must be in [0, pi) radians, found " + minTurn);
  }

  public static DesignConfig from(ConfigLoader c) {
    return new DesignConfig(c.string("output.dir"), c.booleanValue("output.overwrite"), c.intValue("design.targets"),
        c.intValue("design.samples"), c.doubleValue("design.temperature"), c.longValue("design.seed"),
        c.doubleValue("design.min-turn"));
  }

  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("design.targets", targets);
    m.put("design.samples", samples);
    m.put("design.temperature", temperature);
    m.put("design.seed", seed);
    m.put("design.min-turn", minTurn);
    return m;
  }
}
