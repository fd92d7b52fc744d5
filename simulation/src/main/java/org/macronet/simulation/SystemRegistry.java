package org.macronet.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.macronet.common.config.ConfigException;

/** The systems on the classpath, by name: every {@link SystemProvider} that {@link ServiceLoader} finds. */
public final class SystemRegistry {
  private static volatile Map<String, SystemProvider> providers;

  private SystemRegistry() {}

  /**
   * The provider named {@code name}.
   *
   * @throws ConfigException on key {@code system}, listing the known names, when there is none
   */
  public static SystemProvider provider(String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigException("system", "must name a system, one of " + String.join(", ", names()));
    }
    SystemProvider p = all().get(name);
    if (p == null) {
      throw new ConfigException("system", "must be one of " + String.join(", ", names()) + ", found '" + name + "'");
    }
    return p;
  }

  /** The known system names, sorted. */
  public static List<String> names() {
    return new ArrayList<>(all().keySet());
  }

  /** Every provider, by name (sorted). */
  public static Map<String, SystemProvider> all() {
    Map<String, SystemProvider> found = providers;
    if (found == null) {
      found = new TreeMap<>();
      for (SystemProvider p : ServiceLoader.load(SystemProvider.class, SystemRegistry.class.getClassLoader())) {
        SystemProvider before = found.putIfAbsent(p.name(), p);
        if (before != null && before.getClass() != p.getClass()) {
          throw new IllegalStateException("two systems are named '" + p.name() + "': " + before.getClass().getName()
              + " and " + p.getClass().getName());
        }
      }
      providers = java.util.Collections.unmodifiableMap(found);
    }
    return found;
  }
}
