package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.experiment.Tally;

/** The Gray-Scott study's rules and summaries, without Spark (the sweep itself runs in the jobs' tests). */
class GrayScottStudyTest {

  @Test
  void validityRules() {
    assertNull(GrayScottStudy.invalidReason(new double[] {0.16, 0.08, 0.035, 0.065}, 1.0));
    assertEquals(GrayScottStudy.NON_FINITE, GrayScottStudy.invalidReason(new double[] {Double.NaN, 0.08, 0.03, 0.06}, 1));
    assertEquals(GrayScottStudy.NOT_POSITIVE, GrayScottStudy.invalidReason(new double[] {0.16, 0, 0.03, 0.06}, 1));
    assertEquals(GrayScottStudy.NEGATIVE_RATE, GrayScottStudy.invalidReason(new double[] {0.16, 0.08, -1e-4, 0.06}, 1));
    // dt 4 max(Da, Db) < 1: Da = 0.25 sits on the bound and is refused; with dt = 0.5 it is fine
    assertEquals(GrayScottStudy.UNSTABLE, GrayScottStudy.invalidReason(new double[] {0.25, 0.08, 0.03, 0.06}, 1));
    assertNull(GrayScottStudy.invalidReason(new double[] {0.25, 0.08, 0.03, 0.06}, 0.5));
  }

  /** Summary rows: Da, Db, F, k, valid, invalid_reason, percentile. */
  private static Object[] valid(double f, double k, double percentile) {
    return new Object[] {0.16, 0.08, f, k, true, null, percentile};
  }

  private static Object[] invalid(String reason) {
    return new Object[] {-1.0, 0.08, 0.03, 0.06, false, reason, null};
  }

  @Test
  void summariesCountInvalidDesignsAsTheWorstPercentile() {
    GrayScottStudy study = new GrayScottStudy(null, new org.macronet.experiment.DesignSettings(3, 4, 1, 1, 0.5, 50,
        ""));
    org.macronet.experiment.Target target = new org.macronet.experiment.Target(0, 7L, "",
        new float[] {0.16f, 0.08f, 0.03f, 0.06f}, new float[8], new double[0]);
    List<List<Object[]>> byTarget = List.of(
        List.of(valid(0.030, 0.060, 2), valid(0.031, 0.061, 4), valid(0.029, 0.059, 6), invalid("unstable")),
        List.of(valid(0.050, 0.050, 30), invalid("unstable"), invalid("non_finite_pattern"), valid(0.051, 0.052, 8)),
        List.of(invalid("negative_feed_or_kill"), invalid("unstable"), invalid("unstable"), valid(0.04, 0.04, 1)));
    List<Map<String, Object>> targets = new ArrayList<>();
    Tally tally = new Tally();
    // target 1 forms a pattern (its b field spans 0.3), targets 0 and 2 are uniform within 0.005
    float[] spots = new float[8];
    spots[4] = 0.3f;
    float[] flat = {0.5f, 0.504f, 0.5f, 0.5f, 0.1f, 0.1f, 0.105f, 0.1f};
    for (int t = 0; t < 3; t++) {
      org.macronet.experiment.Target tt = new org.macronet.experiment.Target(t, 7L + t, "", target.u(),
          t == 1 ? spots : flat, new double[0]);
      var s = study.summarize(tt, new float[] {0}, byTarget.get(t));
      tally.merge(s.tally());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target_id", t);
      var columns = study.targetColumns();
      for (int c = 0; c < columns.size(); c++) {
        m.put(columns.get(c).name(), s.values()[c]);
      }
      targets.add(m);
    }
    assertEquals(5.0, targets.get(0).get("median_percentile")); // 2, 4, 6, 100
    assertEquals(65.0, targets.get(1).get("median_percentile")); // 8, 30, 100, 100
    assertEquals(3, targets.get(0).get("valid_designs"));
    assertEquals(0.03, (double) targets.get(0).get("mean_F"), 1e-12);
    assertEquals(1e-6, (double) targets.get(0).get("var_F"), 1e-15);
    assertNull(targets.get(2).get("var_F"), "one valid design has no spread");
    assertEquals(0.16, (double) targets.get(0).get("Da"), 1e-6);

    Map<String, Object> m = study.metrics(targets, tally);
    assertEquals(12L, m.get("designs"));
    assertEquals(6L, m.get("valid"));
    assertEquals(Map.of("count", 6L, "by_reason", Map.of("unstable", 4L, "non_finite_pattern", 1L,
        "negative_feed_or_kill", 1L)), m.get("invalid"));
    // all 12 scores: 1 2 4 6 8 30 and six 100s
    assertEquals(65.0, m.get("median_percentile"));
    assertEquals(5.0, m.get("median_percentile_valid"));
    assertEquals(5.0 / 12, m.get("fraction_within_10th_percentile"));
    assertEquals(List.of(5.0, 65.0, 100.0), m.get("median_percentile_per_target"));
    assertEquals(List.of(false, true, false), targets.stream().map(t -> t.get("patterned")).toList());
    assertEquals(1L, m.get("targets_patterned"));
    assertEquals(2L, m.get("targets_uniform"));
    assertEquals(65.0, m.get("median_percentile_patterned"));   // 8, 30, 100, 100
    assertEquals(53.0, m.get("median_percentile_uniform"));     // 2, 4, 6, 100 and 100, 100, 100, 1: between 6 and 100
    assertTrue(((String) m.get("summary")).contains("65.0 on 1 patterned targets"), (String) m.get("summary"));
    @SuppressWarnings("unchecked")
    Map<String, Object> importance = (Map<String, Object>) m.get("importance");
    // two targets with 2 or more valid designs; Da never varies: 0 within and across
    assertEquals("NaN", importance.get("Da"));
    assertEquals(GrayScottStudy.importance(targets, "F"), (double) importance.get("F"), 0);
  }
}
