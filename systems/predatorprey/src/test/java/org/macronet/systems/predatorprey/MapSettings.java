package org.macronet.systems.predatorprey;

import java.util.HashMap;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;

/** A resolved configuration from a map of keys, as a test stand-in for the job's loader. */
final class MapSettings implements Settings {
  private final Map<String, Object> values;

  MapSettings(Map<String, Object> values) {
    this.values = new HashMap<>(values);
  }

  /** The defaults with {@code key = value} overrides, given as alternating pairs. */
  static MapSettings defaultsWith(Object... overrides) {
    Map<String, Object> m = new HashMap<>(PredatorPreySettings.defaults().toConfig());
    for (int i = 0; i < overrides.length; i += 2) {
      m.put((String) overrides[i], overrides[i + 1]);
    }
    return new MapSettings(m);
  }

  private Object get(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new ConfigException(key, "missing");
    }
    return v;
  }

  @Override
  public String string(String key) {
    return get(key).toString();
  }

  @Override
  public long longValue(String key) {
    return ((Number) get(key)).longValue();
  }

  @Override
  public int intValue(String key) {
    return ((Number) get(key)).intValue();
  }

  @Override
  public double doubleValue(String key) {
    return ((Number) get(key)).doubleValue();
  }

  @Override
  public boolean booleanValue(String key) {
    return (Boolean) get(key);
  }
}
