package org.macronet.systems.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.experiment.AnalysisInputs;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.DesignRow;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.experiment.TargetSummary;

/** The linear system's design study and analysis, without Spark: rotations, their designs and the per-example bar. */
class LinearStudyTest {
  private static final int SAMPLES = 40;
  private final LinearStudy study = new LinearStudy(new DesignSettings(2, SAMPLES, 1.0, 3, 0.5, 100, ""));

  /** The example of matrix M from (1, 0). */
  private static Target example(int id, String label, float... m) {
    float[] traj = new float[16];
    LinearDynamics.trajectory(m[0], m[1], m[2], m[3], 1, 0, traj);
    return new Target(id, 10L + id, label, m, traj, new double[] {1, 0});
  }

  @Test
  void examplesAreChosenBySenseAndByHowFarTheyTurn() {
    TargetChoice.Classifier c = study.choice().classifier();
    assertEquals("anticlockwise", c.classify(example(-1, "", 0, -3, 3, 0)).label());
    assertEquals("clockwise", c.classify(example(-1, "", 0, 3, -3, 0)).label());
    assertNull(c.classify(example(-1, "", 1, 0, 0, -1)), "real eigenvalues: no rotation");
    assertNull(c.classify(example(-1, "", 0, -0.2f, 0.2f, 0)), "turns less than design.min-turn");
  }

  @Test
  void designsTurningTheExamplesWayMeetTheBarPerExample() throws Exception {
    List<Map<String, Object>> targets = new ArrayList<>();
    try (Scorer scorer = study.openScorer(null)) {
      int id = 0;
      for (String sense : List.of("anticlockwise", "clockwise")) {
        float sign = sense.equals("anticlockwise") ? 1 : -1;
        Target t = example(id, sense, 0, -3 * sign, 3 * sign, 0);
        float[] us = new float[4 * SAMPLES];
        float[] vs = new float[16 * SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
          // target 0's designs all rotate its way; target 1's matrices do, a quarter of its trajectories not
          float[] m = {0, -3 * sign, 3 * sign, 0};
          System.arraycopy(m, 0, us, 4 * s, 4);
          float[] tv = new float[16];
          LinearDynamics.trajectory(0, -3 * sign, 3 * sign, 0, 1, 0.5, tv);
          if (id == 1 && s % 4 == 0) {
            LinearDynamics.trajectory(0, 3 * sign, -3 * sign, 0, 1, 0.5, tv);
          }
          System.arraycopy(tv, 0, vs, 16 * s, 16);
        }
        List<DesignRow> rows = scorer.score(t, new float[] {0, 0}, us, vs);
        assertEquals(2 * SAMPLES, rows.size());
        List<Object[]> summaryValues = new ArrayList<>();
        for (DesignRow r : rows) {
          summaryValues.add(new Object[] {r.values()[1], r.values()[7]});
        }
        TargetSummary s = study.summarize(t, new float[] {0, 0}, summaryValues);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_id", id);
        m.put("target_sample_id", 10L + id);
        for (int c = 0; c < s.values().length; c++) {
          if (study.targetColumns().get(c).type() != org.macronet.experiment.Column.Type.FLOAT_ARRAY) {
            m.put(study.targetColumns().get(c).name(), s.values()[c]);
          }
        }
        targets.add(m);
        id++;
      }
    }
    assertEquals(1.0, targets.get(0).get("matrices_same_sense"));
    assertEquals(1.0, targets.get(0).get("trajectories_same_sense"));
    assertEquals(true, targets.get(0).get("meets_bar"));
    assertEquals(1.0, targets.get(1).get("matrices_same_sense"));
    assertEquals(0.75, targets.get(1).get("trajectories_same_sense"));
    assertEquals(false, targets.get(1).get("meets_bar"));
    Map<String, Object> metrics = study.metrics(targets, null);
    assertEquals(1L, metrics.get("examples_meeting_bar"));
    assertEquals(0.75, metrics.get("worst_example_fraction_same_sense"));
    assertEquals(0.75, metrics.get("clockwise_worst_example_trajectories_same_sense"));

    // a sense without examples is an error naming the setting to change
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> study.metrics(targets.subList(0, 1), null));
    assertTrue(e.getMessage().contains("design.min-turn"), e.getMessage());

    // the analysis judges each sense on its worst example and draws both senses
    int n = 30;
    float[] u = new float[4 * n];
    float[] mu = new float[2 * n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      float[] m = {(float) Math.sin(i), (float) Math.cos(3 * i), (float) Math.sin(5 * i), (float) Math.cos(i)};
      System.arraycopy(m, 0, u, 4 * i, 4);
      mu[2 * i] = (m[2] - m[1]) / 2; // the rotation part
      mu[2 * i + 1] = (m[1] + m[2]) / 2; // the shear part
      ids[i] = i;
    }
    List<Map<String, Object>> shown = new ArrayList<>();
    List<Map<String, Object>> designs = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Target ex = example(t, t == 0 ? "anticlockwise" : "clockwise", 0, t == 0 ? -3 : 3, t == 0 ? 3 : -3, 0);
      shown.add(new LinkedHashMap<>(Map.of("target_id", t, "sense", ex.label(), "traj", ex.v(), "x0_1", 1.0,
          "x0_2", 0.0)));
      for (String kind : List.of("u", "v")) {
        designs.add(new LinkedHashMap<>(Map.of("target_id", t, "design_id", 0, "kind", kind, "traj", ex.v())));
      }
    }
    Findings out = new Findings(new Report("t"));
    study.analyze(new AnalysisInputs(null, null, List.of("m11", "m12", "m21", "m22"), Map.of(),
        new HeldOut(ids, u, 4, mu, new float[2 * n], 2, Map.of()), new DesignOutputs(metrics, 2, 160, shown, designs)),
        out);
    @SuppressWarnings("unchecked")
    Map<String, Object> r2 = (Map<String, Object>) out.metrics().get("macrostate_r2");
    assertEquals(1.0, (double) r2.get("rotation"), 1e-9);
    assertEquals(1.0, (double) r2.get("shear"), 1e-9);
    List<Metric> bars = out.bars();
    assertEquals(4, bars.size());
    assertTrue(bars.get(0).passed() && bars.get(1).passed() && bars.get(2).passed());
    assertFalse(bars.get(3).passed(), "the clockwise example's trajectories: 0.75");
    assertEquals(4, out.figures().size());
    assertTrue(out.report().render().contains("**FAIL**"));
  }
}
