package org.macronet.jobs.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.macronet.jobs.reproduce.Verdict.Check;
import org.macronet.jobs.reproduce.Verdict.Status;

/**
 * Compares a run with its baseline:
 * <ul>
 *   <li>the configuration hash and the dataset's content checksum exactly, always (generation
 *       depends only on the configuration, on any partitioning or platform);</li>
 *   <li>trained weights' checksums (the model's, the learned SDEs') exactly when the {@link Platform} fingerprints are equal, else
 *       it is skipped with the reason (training's float summation order depends on them);</li>
 *   <li>each baseline metric within its {@link Tolerances tolerance}; booleans exactly. A metric the
 *       baseline has and the run lacks is drift; one the run adds is noted, not compared.</li>
 * </ul>
 */
public final class BaselineComparison {
  public static final String CONFIGURATION = "configuration_sha256";
  public static final String DATASET = "checksums.dataset";
  public static final String MODEL = "checksums.model";
  /** The checksums of trained weights (MacroNet's, the learned SDEs'), exact only on the baseline's platform. */
  static final Set<String> TRAINED = Set.of(MODEL, "checksums.sde", "checksums.sde-naive");

  private BaselineComparison() {}

  public static Verdict compare(RunSummary baseline, RunSummary actual, Tolerances tolerances) {
    List<Check> checks = new ArrayList<>();
    List<String> notes = new ArrayList<>();

    boolean sameConfiguration = baseline.configurationSha256().equals(actual.configurationSha256());
    checks.add(new Check(CONFIGURATION, sameConfiguration ? Status.PASS : Status.DRIFT, baseline.configurationSha256(),
        actual.configurationSha256(), null, null, sameConfiguration ? null
            : "the resolved configuration differs from the baseline's" + configurationChanges(baseline, actual)
            + "; if the change is intended, write a new baseline with --update-baseline"));

    Set<String> sums = new LinkedHashSet<>(baseline.checksums().keySet());
    sums.addAll(actual.checksums().keySet());
    Map<String, String> platformChanges = Platform.differences(baseline.platform(), actual.platform());
    for (String sum : sums) {
      String name = "checksums." + sum;
      String b = baseline.checksums().get(sum);
      String a = actual.checksums().get(sum);
      if (TRAINED.contains(name) && b != null && a != null && !platformChanges.isEmpty()) {
        checks.add(new Check(name, Status.SKIPPED, b, a, null, null, "not compared: the platform differs from the "
            + "baseline's (" + join(platformChanges) + "), and the float summation order of training depends on "
            + "it; the metrics are compared within tolerance instead"));
        continue;
      }
      boolean same = Objects.equals(a, b);
      String note = null;
      if (!same && name.equals(DATASET)) {
        note = datasetNote(baseline, actual);
      }
      checks.add(new Check(name, same ? Status.PASS : Status.DRIFT, b, a, null, null, note));
    }

    for (Map.Entry<String, Object> e : baseline.metrics().entrySet()) {
      String metric = e.getKey();
      Object b = e.getValue();
      Object a = actual.metrics().get(metric);
      if (a == null) {
        checks.add(new Check(metric, Status.DRIFT, b, null, null, null, "missing from this run"));
      } else if (b instanceof Number bn && a instanceof Number an) {
        Tolerances.Match m = tolerances.forMetric(metric);
        boolean ok = m.tolerance().allows(bn.doubleValue(), an.doubleValue());
        checks.add(new Check(metric, ok ? Status.PASS : Status.DRIFT, b, a, m.tolerance(), m.entry(), null));
      } else {
        checks.add(new Check(metric, b.equals(a) ? Status.PASS : Status.DRIFT, b, a, null, null, null));
      }
    }
    for (String metric : actual.metrics().keySet()) {
      if (!baseline.metrics().containsKey(metric)) {
        notes.add("metric " + metric + " is not in the baseline and was not compared");
      }
    }
    for (String entry : tolerances.entries().keySet()) {
      if (baseline.metrics().keySet().stream().noneMatch(metric -> Tolerances.covers(entry, metric))) {
        notes.add("tolerance entry '" + entry + "' matches no metric of the baseline");
      }
    }
    if (platformChanges.isEmpty() && baseline.checksums().containsKey("model")) {
      notes.add("same platform as the baseline: the model weights must be bit-identical");
    }
    return new Verdict(actual.name(), checks, notes);
  }

  /** The keys whose values changed, e.g. {@code : train.steps 300 -> 400, prior.x0 (new)}. */
  static String configurationChanges(RunSummary baseline, RunSummary actual) {
    Set<String> keys = new LinkedHashSet<>(baseline.configuration().keySet());
    keys.addAll(actual.configuration().keySet());
    List<String> changed = new ArrayList<>();
    for (String k : keys) {
      Object b = baseline.configuration().get(k);
      Object a = actual.configuration().get(k);
      if (b == null || a == null) {
        changed.add(k + (b == null ? " (new)" : " (removed)"));
      } else if (!RunSummary.sha256(RunSummary.canonicalJson(Map.of("v", b)))
          .equals(RunSummary.sha256(RunSummary.canonicalJson(Map.of("v", a))))) {
        changed.add(k + " " + b + " -> " + a);
      }
    }
    if (changed.isEmpty()) {
      return "";
    }
    int shown = Math.min(changed.size(), 8);
    return ": " + String.join(", ", changed.subList(0, shown)) + (changed.size() > shown ? ", ..." : "");
  }

  private static String datasetNote(RunSummary baseline, RunSummary actual) {
    String kb = baseline.context().get("dataset_kernel");
    String ka = actual.context().get("dataset_kernel");
    if (kb != null && ka != null && !kb.equals(ka)) {
      return "the simulation kernel differs (baseline " + kb + ", this run " + ka + ")";
    }
    return "the generated data differ from the baseline's";
  }

  private static String join(Map<String, String> changes) {
    List<String> out = new ArrayList<>();
    changes.forEach((k, v) -> out.add(k + " " + v));
    return String.join("; ", out);
  }
}
