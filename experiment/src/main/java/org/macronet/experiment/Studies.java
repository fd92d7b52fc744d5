package org.macronet.experiment;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.SystemRegistry;

/**
 * The design studies on the classpath, by system name: every {@link StudyProvider} that
 * {@link ServiceLoader} finds, and every registered system provider that is also a study provider
 * (so that a system can register both with the one line of its {@code SystemProvider}).
 */
public final class Studies {
  private static volatile Map<String, StudyProvider> providers;

  private Studies() {}

  /**
   * The study of {@code system}.
   *
   * @throws ConfigException on key {@code system} when no study is registered for it, listing the
   *     systems that have one
   */
  public static DesignStudy create(PairSystem system, DesignSettings settings) {
    StudyProvider p = all().get(system.name());
    if (p == null) {
      throw new ConfigException("system", "system '" + system.name() + "' has no design study (systems with one: "
          + String.join(", ", all().keySet()) + ")");
    }
    return p.create(system, settings);
  }

  /** Whether {@code system} has a study. */
  public static boolean has(String system) {
    return all().containsKey(system);
  }

  /** The systems with a study, sorted. */
  public static List<String> systems() {
    return List.copyOf(all().keySet());
  }

  /** Every provider found. */
  public static java.util.Collection<StudyProvider> providers() {
    return all().values();
  }

  private static Map<String, StudyProvider> all() {
    Map<String, StudyProvider> found = providers;
    if (found == null) {
      found = new TreeMap<>();
      List<StudyProvider> all = new java.util.ArrayList<>();
      ServiceLoader.load(StudyProvider.class, Studies.class.getClassLoader()).forEach(all::add);
      for (SystemProvider p : SystemRegistry.all().values()) {
        if (p instanceof StudyProvider study) {
          all.add(study);
        }
      }
      for (StudyProvider p : all) {
        StudyProvider before = found.putIfAbsent(p.system(), p);
        if (before != null && before.getClass() != p.getClass()) {
          throw new IllegalStateException("two design studies for system '" + p.system() + "': "
              + before.getClass().getName() + " and " + p.getClass().getName());
        }
      }
      found = Collections.unmodifiableMap(found);
      providers = found;
    }
    return found;
  }
}
