package org.macronet.jobs.reproduce;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tolerance of each metric, by dotted name: an entry applies to the metric of that name and
 * to every metric below it ({@code design} covers {@code design.targets.0.mean_r}); the longest
 * matching entry wins, and {@code default} covers the rest.
 */
public final class Tolerances {
  public static final String DEFAULT = "default";

  private final Tolerance fallback;
  private final Map<String, Tolerance> entries;

  /** The tolerance that applied to a metric, and the entry it came from ({@code default} or a name). */
  public record Match(String entry, Tolerance tolerance) {}

  public Tolerances(Tolerance fallback, Map<String, Tolerance> entries) {
    if (fallback == null) {
      throw new IllegalArgumentException("the default tolerance is missing");
    }
    for (String name : entries.keySet()) {
      if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.equals(DEFAULT)) {
        throw new IllegalArgumentException("a tolerance entry must name a metric or a group of metrics, found '"
            + name + "'");
      }
    }
    this.fallback = fallback;
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  /** Every metric compared exactly. */
  public static Tolerances exact() {
    return new Tolerances(Tolerance.EXACT, Map.of());
  }

  public Match forMetric(String metric) {
    String name = metric;
    while (true) {
      Tolerance t = entries.get(name);
      if (t != null) {
        return new Match(name, t);
      }
      int dot = name.lastIndexOf('.');
      if (dot < 0) {
        return new Match(DEFAULT, fallback);
      }
      name = name.substring(0, dot);
    }
  }

  /** Whether an entry names {@code metric} or a group that holds it. */
  static boolean covers(String entry, String metric) {
    return metric.equals(entry) || metric.startsWith(entry + ".");
  }

  public Tolerance fallback() {
    return fallback;
  }

  public Map<String, Tolerance> entries() {
    return entries;
  }

  /** As written in a verdict: {@code default} first, then each entry. */
  public Map<String, Tolerance> asMap() {
    Map<String, Tolerance> out = new LinkedHashMap<>();
    out.put(DEFAULT, fallback);
    out.putAll(entries);
    return out;
  }
}
