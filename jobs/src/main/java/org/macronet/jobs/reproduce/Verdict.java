package org.macronet.jobs.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of comparing a run with its baseline: every check with its values, and notes.
 * It passes when no check drifted; skipped checks say why they were skipped.
 */
public record Verdict(String name, List<Check> checks, List<String> notes) {
  public enum Status { PASS, DRIFT, SKIPPED }

  /**
   * One compared value.
   *
   * @param name           e.g. {@code checksums.model}, {@code configuration_sha256}, {@code spearman_macro_u_energy}
   * @param status         pass, drift or skipped
   * @param baseline       the baseline's value (null when it has none)
   * @param actual         this run's value (null when it has none)
   * @param tolerance      the tolerance of a numeric metric; null for values compared exactly
   * @param toleranceEntry the tolerance entry that applied ({@code default} or a metric or group name)
   * @param note           why it drifted or was skipped, or null
   */
  public record Check(String name, Status status, Object baseline, Object actual, Tolerance tolerance,
      String toleranceEntry, String note) {
    /** |actual - baseline| for two numbers, else null. */
    public Double difference() {
      if (baseline instanceof Number b && actual instanceof Number a) {
        return Math.abs(a.doubleValue() - b.doubleValue());
      }
      return null;
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("status", status.name().toLowerCase(Locale.ROOT));
      m.put("baseline", baseline);
      m.put("actual", actual);
      if (tolerance != null) {
        m.put("difference", difference());
        m.put("tolerance", Map.of("absolute", tolerance.absolute(), "relative", tolerance.relative(),
            "entry", toleranceEntry, "allowed", baseline instanceof Number b ? tolerance.allowed(b.doubleValue()) : 0.0));
      } else {
        m.put("tolerance", "exact");
      }
      if (note != null) {
        m.put("note", note);
      }
      return m;
    }

    /** One console line, e.g. {@code DRIFT  spearman_macro_u_energy: baseline 0.99, actual 0.95, ...}. */
    String line() {
      String head = String.format(Locale.ROOT, "%-7s %s", status.name(), name);
      if (status == Status.SKIPPED) {
        return head + ": " + note;
      }
      StringBuilder s = new StringBuilder(head).append(": baseline ").append(render(baseline)).append(", actual ")
          .append(render(actual));
      if (tolerance != null && baseline instanceof Number b && actual instanceof Number) {
        s.append(String.format(Locale.ROOT, ", |difference| %.4g %s allowed %.4g (absolute %s + relative %s x "
                + "|baseline|; tolerance entry '%s')", difference(), status == Status.PASS ? "<=" : ">",
            tolerance.allowed(b.doubleValue()), render(tolerance.absolute()), render(tolerance.relative()),
            toleranceEntry));
      } else {
        s.append(" (must match exactly)");
      }
      if (note != null) {
        s.append("; ").append(note);
      }
      return s.toString();
    }

    private static String render(Object v) {
      if (v == null) {
        return "(none)";
      }
      if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.valueOf(d.longValue());
      }
      return String.valueOf(v);
    }
  }

  public Verdict {
    checks = List.copyOf(checks);
    notes = List.copyOf(notes);
  }

  public boolean passed() {
    return checks.stream().noneMatch(c -> c.status() == Status.DRIFT);
  }

  public List<Check> drifted() {
    return checks.stream().filter(c -> c.status() == Status.DRIFT).toList();
  }

  public List<Check> skipped() {
    return checks.stream().filter(c -> c.status() == Status.SKIPPED).toList();
  }

  public Check check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /** The verdict's headline, e.g. {@code PASS: 31 values match the baseline (1 skipped)}. */
  public String headline() {
    long compared = checks.size() - skipped().size();
    String skips = skipped().isEmpty() ? "" : " (" + skipped().size() + " skipped: "
        + String.join(", ", skipped().stream().map(Check::name).toList()) + ")";
    if (passed()) {
      return "PASS: " + compared + " values match the baseline" + skips;
    }
    return "DRIFT in " + drifted().size() + " of " + compared + " values: "
        + String.join(", ", drifted().stream().map(Check::name).toList()) + skips;
  }

  /** What the console shows: the headline, each drifted or skipped value, then the notes. */
  public List<String> consoleLines() {
    List<String> out = new ArrayList<>();
    out.add(headline());
    for (Check c : checks) {
      if (c.status() != Status.PASS) {
        out.add("  " + c.line());
      }
    }
    for (String n : notes) {
      out.add("  note: " + n);
    }
    return out;
  }

  /** The content of {@code verdict.json} (callers add where the run and baseline are). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("verdict", passed() ? "pass" : "drift");
    m.put("passed", passed());
    m.put("headline", headline());
    m.put("drifted", drifted().stream().map(Check::name).toList());
    m.put("skipped", skipped().stream().map(Check::name).toList());
    m.put("checks", checks.stream().map(Check::toMap).toList());
    m.put("notes", notes);
    return m;
  }
}
