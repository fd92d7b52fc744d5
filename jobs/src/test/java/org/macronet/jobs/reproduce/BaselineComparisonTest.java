package org.macronet.jobs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.jobs.reproduce.Verdict.Check;
import org.macronet.jobs.reproduce.Verdict.Status;

/** The comparison of a run with its baseline, on hand-made summaries: no Spark, no files. */
class BaselineComparisonTest {
  private static final Map<String, String> HERE = Map.of("java_version", "17.0.15", "os_arch", "amd64",
      "vector_bits", "512", "blas", "dev.ludovic.netlib.blas.JNIBLAS");
  private static final Map<String, String> THERE = Map.of("java_version", "17.0.15", "os_arch", "amd64",
      "vector_bits", "256", "blas", "dev.ludovic.netlib.blas.JNIBLAS");
  private static final Map<String, Object> CONFIGURATION = Map.of("system", "oscillator", "train.steps", 300L,
      "generate.seed", 1L);
  private static final Tolerances TOLERANCES = new Tolerances(Tolerance.EXACT, Map.of(
      "spearman_macro_u_energy", new Tolerance(0.01, 0), "design", new Tolerance(0.02, 0),
      "design.max_std_r_over_mean_r", new Tolerance(0, 0.1)));

  private static Map<String, Object> metrics(double spearman, double maxCv) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dataset.rows", 2000L);
    m.put("spearman_macro_u_energy", spearman);
    m.put("design.targets.0.mean_r", 0.5);
    m.put("design.max_std_r_over_mean_r", maxCv);
    m.put("bars_passed", true);
    return m;
  }

  private static RunSummary summary(Map<String, Object> configuration, Map<String, String> platform, String dataset,
      String model, Map<String, Object> metrics) {
    Map<String, String> sums = new LinkedHashMap<>();
    sums.put("dataset", dataset);
    sums.put("model", model);
    return RunSummary.of("sho", configuration, platform, sums, metrics, Map.of("code_version", "test"));
  }

  private static final RunSummary BASELINE = summary(CONFIGURATION, HERE, "d1", "m1", metrics(0.99, 0.08));

  @Test
  void identicalRunPassesAndComparesTheModelExactlyOnTheSamePlatform() {
    Verdict v = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, HERE, "d1", "m1", metrics(0.99, 0.08)),
        TOLERANCES);
    assertTrue(v.passed(), v.headline());
    assertEquals(Status.PASS, v.check(BaselineComparison.MODEL).status());
    assertEquals(List.of(), v.skipped());
    assertEquals("PASS: 8 values match the baseline", v.headline());
  }

  @Test
  void metricBeyondItsToleranceIsDriftWithBaselineActualAndTolerance() {
    // Given spearman 0.99 in the baseline and a tolerance of 0.01 absolute
    // When the run gives 0.975 (|difference| 0.015 > 0.01) and max cv 0.0875 (within 10 % of 0.08)
    Verdict v = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, HERE, "d1", "m1", metrics(0.975, 0.0875)),
        TOLERANCES);
    // Then exactly the spearman metric drifted, and the console line says by how much against what
    assertFalse(v.passed());
    assertEquals(List.of("spearman_macro_u_energy"), v.drifted().stream().map(Check::name).toList());
    Check c = v.check("spearman_macro_u_energy");
    assertEquals(0.99, c.baseline());
    assertEquals(0.975, c.actual());
    assertEquals(0.015, c.difference(), 1e-12);
    assertEquals("spearman_macro_u_energy", c.toleranceEntry());
    String line = v.consoleLines().get(1);
    assertTrue(line.contains("DRIFT") && line.contains("baseline 0.99, actual 0.975") && line.contains("allowed 0.01"),
        line);
    assertEquals(Status.PASS, v.check("design.max_std_r_over_mean_r").status());
    assertEquals("design.max_std_r_over_mean_r", v.check("design.max_std_r_over_mean_r").toleranceEntry());
    assertEquals("design", v.check("design.targets.0.mean_r").toleranceEntry());
    assertEquals("default", v.check("dataset.rows").toleranceEntry());
  }

  @Test
  void onAnotherPlatformTheModelChecksumIsSkippedWithTheReasonButTheDatasetStaysExact() {
    Verdict v = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, THERE, "d1", "m2", metrics(0.995, 0.08)),
        TOLERANCES);
    assertTrue(v.passed(), v.headline());
    Check model = v.check(BaselineComparison.MODEL);
    assertEquals(Status.SKIPPED, model.status());
    assertTrue(model.note().contains("vector_bits 512 -> 256"), model.note());
    assertTrue(v.headline().contains("1 skipped: checksums.model"), v.headline());

    Verdict data = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, THERE, "d2", "m2", metrics(0.99, 0.08)),
        TOLERANCES);
    assertEquals(List.of(BaselineComparison.DATASET), data.drifted().stream().map(Check::name).toList());
  }

  @Test
  void onTheSamePlatformOtherWeightsAreDrift() {
    Verdict v = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, HERE, "d1", "m2", metrics(0.99, 0.08)),
        TOLERANCES);
    assertEquals(List.of(BaselineComparison.MODEL), v.drifted().stream().map(Check::name).toList());
    assertTrue(v.check(BaselineComparison.MODEL).line().contains("must match exactly"));
  }

  @Test
  void changedConfigurationIsDriftNamingTheKeys() {
    Map<String, Object> changed = new LinkedHashMap<>(CONFIGURATION);
    changed.put("train.steps", 400L);
    changed.put("train.noise", 0.01);
    Verdict v = BaselineComparison.compare(BASELINE, summary(changed, HERE, "d1", "m1", metrics(0.99, 0.08)),
        TOLERANCES);
    Check c = v.check(BaselineComparison.CONFIGURATION);
    assertEquals(Status.DRIFT, c.status());
    assertTrue(c.note().contains("train.steps 300 -> 400") && c.note().contains("train.noise (new)")
        && c.note().contains("--update-baseline"), c.note());
  }

  @Test
  void missingMetricIsDriftNewMetricIsANoteAndBooleansAreExact() {
    Map<String, Object> m = metrics(0.99, 0.08);
    m.remove("design.targets.0.mean_r");
    m.put("bars_passed", false);
    m.put("spearman_macro_v_energy", 0.98);
    Verdict v = BaselineComparison.compare(BASELINE, summary(CONFIGURATION, HERE, "d1", "m1", m), TOLERANCES);
    assertEquals(List.of("design.targets.0.mean_r", "bars_passed"), v.drifted().stream().map(Check::name).toList());
    assertEquals("missing from this run", v.check("design.targets.0.mean_r").note());
    assertTrue(v.notes().contains("metric spearman_macro_v_energy is not in the baseline and was not compared"),
        v.notes().toString());
  }

  @Test
  void toleranceEntryThatMatchesNoMetricIsNoted() {
    Tolerances typo = new Tolerances(Tolerance.EXACT, Map.of("spearman_macro_u_enrgy", new Tolerance(0.01, 0)));
    Verdict v = BaselineComparison.compare(BASELINE, BASELINE, typo);
    assertTrue(v.notes().contains("tolerance entry 'spearman_macro_u_enrgy' matches no metric of the baseline"),
        v.notes().toString());
  }

  @Test
  void toleranceIsAbsolutePlusRelativeTimesTheBaseline() {
    Tolerance t = new Tolerance(0.01, 0.1);
    assertEquals(0.03, t.allowed(-0.2), 1e-15);
    assertTrue(t.allows(-0.2, -0.17));
    assertFalse(t.allows(-0.2, -0.169));
    assertTrue(Tolerance.EXACT.allows(1.5, 1.5));
    assertFalse(Tolerance.EXACT.allows(1.5, Math.nextUp(1.5)));
    assertTrue(Tolerance.EXACT.allows(Double.NaN, Double.NaN));
    assertFalse(t.allows(Double.NaN, 0));
    assertTrue(Tolerance.EXACT.allows(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    assertFalse(t.allows(Double.POSITIVE_INFINITY, 1e300));
    assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1e-3, 0));
    assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN));
  }

  @Test
  void longestDottedPrefixWins() {
    Tolerances t = new Tolerances(new Tolerance(1, 0), Map.of("design", new Tolerance(2, 0),
        "design.targets.0", new Tolerance(3, 0)));
    assertEquals(3, t.forMetric("design.targets.0.mean_r").tolerance().absolute());
    assertEquals(2, t.forMetric("design.targets.1.mean_r").tolerance().absolute());
    assertEquals(1, t.forMetric("designs.count").tolerance().absolute()); // a prefix of the name is not a group
    assertEquals(Tolerances.DEFAULT, t.forMetric("held_out_rows").entry());
  }

  @Test
  void baselineRoundTripsThroughJsonWithTreesFlattenedAndNaNKept() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("system", "oscillator");
    tree.put("held_out_loss", Map.of("loss", 0.25));
    tree.put("design", Map.of("targets", List.of(Map.of("mean_r", 0.5, "target_id", 0)), "summary", "text"));
    tree.put("nan_metric", Double.NaN);
    Map<String, Object> flat = RunSummary.flatten(tree);
    assertEquals(Map.of("held_out_loss.loss", 0.25, "design.targets.0.mean_r", 0.5, "design.targets.0.target_id", 0L,
        "nan_metric", Double.NaN), flat);
    RunSummary s = summary(CONFIGURATION, HERE, "d1", "m1", flat);
    RunSummary back = RunSummary.fromJson(s.toJson("now"), "test.json");
    assertEquals(s.configurationSha256(), back.configurationSha256());
    assertEquals(s.configurationSha256(), RunSummary.sha256(RunSummary.canonicalJson(back.configuration())));
    assertEquals(s.platform(), back.platform());
    assertEquals(s.checksums(), back.checksums());
    assertEquals(s.metrics(), back.metrics());
    assertEquals(s.context(), back.context());
    assertTrue(BaselineComparison.compare(s, back, Tolerances.exact()).passed());
    // the hash is of the configuration, whatever the order of its keys
    Map<String, Object> reordered = new LinkedHashMap<>();
    reordered.put("generate.seed", 1L);
    reordered.put("train.steps", 300L);
    reordered.put("system", "oscillator");
    assertEquals(s.configurationSha256(), summary(reordered, HERE, "d1", "m1", flat).configurationSha256());
  }

  @Test
  void unreadableBaselinesAreRefusedNamingTheFile() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunSummary.fromJson("{ nope".getBytes(StandardCharsets.UTF_8), "b.json"));
    assertTrue(e.getMessage().startsWith("b.json: not valid JSON"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> RunSummary.fromJson("{\"format\": \"other\"}".getBytes(StandardCharsets.UTF_8), "b.json"));
    assertTrue(e.getMessage().contains("not a macronet reproduce baseline"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RunSummary.fromJson(
        "{\"format\": \"macronet-reproduce-baseline\", \"format_version\": 1}".getBytes(StandardCharsets.UTF_8),
        "b.json"));
    assertTrue(e.getMessage().contains("\"configuration_sha256\" is missing"), e.getMessage());
  }

  @Test
  void platformDifferencesNameEachKey() {
    assertEquals(Map.of(), Platform.differences(HERE, HERE));
    assertEquals(Map.of("vector_bits", "512 -> 256"), Platform.differences(HERE, THERE));
    Map<String, String> more = new LinkedHashMap<>(HERE);
    more.put("cpu", "x");
    assertEquals(Map.of("cpu", "(none) -> x"), Platform.differences(HERE, more));
    Map<String, String> current = Platform.current();
    assertEquals(List.of("java_version", "os_arch", "vector_bits", "blas", "blas_library", "cpu"),
        List.copyOf(current.keySet()));
    assertNull(current.values().stream().filter(v -> v == null || v.isBlank()).findAny().orElse(null));
  }
}
