package org.macronet.common.config;

/**
 * A configuration value that cannot be used. The message always names the key
 * and the value found, so the user knows what to change:
 * {@code prior.F: lo must not exceed hi, found [0.06, 0.01]}.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The configuration key at fault, e.g. {@code simulation.grayscott.dt}. */
  public String key() {
    return key;
  }

  /** Throws a {@link ConfigException} for {@code key} unless {@code ok}. */
  public static void require(boolean ok, String key, String problem) {
    if (!ok) {
      throw new ConfigException(key, problem);
    }
  }
}
