package org.macronet.systems.oscillator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.macronet.experiment.TargetSummary;
import org.macronet.training.flow.Standardization;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.nn.Activation;

/** The oscillator's design study and analysis, without Spark: hand-made designs and held-out rows. */
class OscillatorStudyTest {
  private static final DesignSettings SETTINGS = new DesignSettings(3, 50, 1.0, 1, 0.5, 100, "");
  private final OscillatorStudy study = new OscillatorStudy(SETTINGS);

  private static Target target(int id, float x, float p) {
    return new Target(id, 100L + id, "", new float[] {0, 0}, new float[] {x, p}, new double[0]);
  }

  @Test
  void targetsAreRankedByEnergyAndDesignsOnACircleScoreZero() {
    assertEquals(0.5 * (0.36 + 0.64), study.choice().classifier().classify(target(-1, 0.6f, 0.8f)).key(), 1e-6);
    // designs on the circle of radius 0.5, then on an ellipse
    float[] circle = new float[2 * 50];
    float[] ellipse = new float[2 * 50];
    for (int s = 0; s < 50; s++) {
      double phi = 2 * Math.PI * s / 50;
      circle[2 * s] = (float) (0.5 * Math.cos(phi));
      circle[2 * s + 1] = (float) (0.5 * Math.sin(phi));
      ellipse[2 * s] = (float) (0.8 * Math.cos(phi));
      ellipse[2 * s + 1] = (float) (0.3 * Math.sin(phi));
    }
    List<Map<String, Object>> targets = new ArrayList<>();
    float[][] designs = {circle, ellipse};
    try (Scorer scorer = study.openScorer(null)) {
      for (int t = 0; t < 2; t++) {
        Target target = target(t, 0.3f, 0.4f);
        List<DesignRow> rows = scorer.score(target, new float[] {0.1f * t}, designs[t], null);
        assertEquals(50, rows.size());
        assertEquals((double) designs[t][3], rows.get(1).values()[1]);
        TargetSummary s = study.summarize(target, new float[] {0.1f * t},
            rows.stream().map(DesignRow::values).toList());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_id", t);
        m.put("target_sample_id", 100L + t);
        m.put("alpha_0", 0.1f * t);
        for (int c = 0; c < s.values().length; c++) {
          m.put(study.targetColumns().get(c).name(), s.values()[c]);
        }
        targets.add(m);
      }
    }
    assertEquals(0.125, (double) targets.get(0).get("target_energy"), 1e-7);
    assertEquals(0.5, (double) targets.get(0).get("target_radius"), 1e-7);
    assertEquals(0.5, (double) targets.get(0).get("mean_r"), 1e-6);
    assertEquals(0, (double) targets.get(0).get("std_r_over_mean_r"), 1e-6);
    double ellipseCv = (double) targets.get(1).get("std_r_over_mean_r");
    assertTrue(ellipseCv > 0.25, "an ellipse is not a circle: " + ellipseCv);
    Map<String, Object> metrics = study.metrics(targets, null);
    assertEquals(ellipseCv, metrics.get("max_std_r_over_mean_r"));
    assertEquals(List.of("target_id", "target_sample_id", "target_energy", "target_radius", "alpha_0", "mean_r",
        "std_r_over_mean_r", "accepted", "acceptance"), List.copyOf(((List<Map<String, Object>>) metrics.get("targets")).get(0).keySet()));
  }

  @Test
  void analysisRanksTheMacrostatesAgainstTheEnergyAndDrawsTheField() throws Exception {
    int n = 60;
    SplittableRandom random = new SplittableRandom(4);
    float[] u = new float[2 * n];
    float[] mu = new float[n];
    float[] mv = new float[n];
    double[] xt = new double[n];
    double[] pt = new double[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      double r = 0.1 + i / (double) n;
      double phi = random.nextDouble(2 * Math.PI);
      u[2 * i] = (float) (r * Math.cos(phi));
      u[2 * i + 1] = (float) (r * Math.sin(phi));
      xt[i] = r * Math.sin(phi + 1);
      pt[i] = r * Math.cos(phi + 1);
      mu[i] = (float) Math.log(r);
      mv[i] = (float) (i % 7 == 0 ? -r : r); // a few rows out of order on the v side
      ids[i] = i;
    }
    HeldOut held = new HeldOut(ids, u, 2, mu, mv, 1, Map.of("xt", xt, "pt", pt));
    MacroNetSpec spec = new MacroNetSpec(2, 2, 1, true, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.1, 5);
    MacroNet net = spec.build(new Standardization(new float[2], new float[] {1, 1}),
        new Standardization(new float[2], new float[] {1, 1}));
    float[] params = new float[net.parameterCount()];
    net.flowU().initialise(params, net.baseU(), new SplittableRandom(2));
    Map<String, Object> designMetrics = Map.of("max_std_r_over_mean_r", 0.05);
    List<Map<String, Object>> shown = List.of(new LinkedHashMap<>(Map.of("target_id", 0, "alpha_0", -0.5)));
    List<Map<String, Object>> designs = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      designs.add(Map.of("target_id", 0, "design_id", s, "x0", Math.cos(s), "p0", Math.sin(s)));
    }
    Findings out = new Findings(new Report("t"));
    study.analyze(new AnalysisInputs(net, params, List.of("x0", "p0"), Map.of(), held,
        new DesignOutputs(designMetrics, 1, 10, shown, designs)), out);
    assertEquals(1.0, (double) out.metrics().get("spearman_macro_u_energy"), 1e-12);
    assertTrue((double) out.metrics().get("spearman_macro_v_energy") < 0.99);
    List<Metric> bars = out.bars();
    assertEquals(3, bars.size());
    assertTrue(bars.get(0).passed());
    assertFalse(bars.get(1).passed(), "the v side's rank correlation is below 0.99");
    assertTrue(bars.get(2).passed());
    assertEquals(List.of("fig5b_macrostate_vs_energy.png", "fig5c_designs_at_fixed_macrostates.png"),
        List.copyOf(out.figures().keySet()));
    // every figure says what it shows, in which units, of how many samples
    assertTrue(out.captions().get("fig5b_macrostate_vs_energy.png").contains(" of " + n + " held-out rows"),
        out.captions().toString());
    assertTrue(out.captions().get("fig5c_designs_at_fixed_macrostates.png").startsWith("10 designed (x0, p0) at 1 "),
        out.captions().toString());
  }

  /** A small untrained flow: its macrostate is some smooth function of (x, p), enough to check the bookkeeping. */
  private static org.macronet.experiment.MacroNetDesigner designer(int samples) {
    MacroNetSpec spec = new MacroNetSpec(2, 2, 1, true, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.5, 5);
    MacroNet net = spec.build(new Standardization(new float[2], new float[] {1, 1}),
        new Standardization(new float[2], new float[] {1, 1}));
    float[] params = new float[net.parameterCount()];
    net.flowU().initialise(params, net.baseU(), new SplittableRandom(3));
    return new org.macronet.experiment.MacroNetDesigner(net, params, 1, 1.0, samples);
  }

  @Test
  void anOrbitKeepsTheEnergyAndStartsAtThePoint() {
    float[] o = OscillatorStudy.orbit(0.3f, -0.4f, 12);
    assertEquals(24, o.length);
    assertEquals(0.3f, o[0], 0);
    assertEquals(-0.4f, o[1], 0);
    for (int k = 0; k < 12; k++) {
      assertEquals(0.25, Math.hypot(o[2 * k], o[2 * k + 1]) * Math.hypot(o[2 * k], o[2 * k + 1]), 1e-6);
    }
    // a quarter period: (x, p) -> (p, -x)
    assertEquals(-0.4f, o[6], 1e-6);
    assertEquals(-0.3f, o[7], 1e-6);
  }

  @Test
  void withPartnersTheTargetsMacrostateIsTheMedianOverItsOrbitAndDesignsAreKeptByTheirOwn() {
    int samples = 40;
    int k = 16;
    org.macronet.experiment.MacroNetDesigner designer = designer(samples);
    OscillatorStudy relational = new OscillatorStudy(new DesignSettings(3, samples, 1.0, 1, 0.5, 100, "", k, 0.05));
    Target target = target(0, 0.6f, -0.2f);
    float[] onOrbit = designer.macrostatesV(OscillatorStudy.orbit(0.6f, -0.2f, k), k);
    double[] sorted = new double[k];
    for (int j = 0; j < k; j++) {
      sorted[j] = onOrbit[j];
    }
    java.util.Arrays.sort(sorted);
    float[] alpha = relational.targetMacrostate(target, designer);
    assertEquals((sorted[7] + sorted[8]) / 2, alpha[0], 1e-6);
    assertEquals(designer.macrostatesV(target.v(), 1)[0], study.targetMacrostate(target, designer)[0], 0,
        "without partners: m_v(v*)");

    float[] u = designer.designAt(target, alpha, false).u();
    int kept = 0;
    try (Scorer scorer = relational.openScorer(null, designer)) {
      List<DesignRow> rows = scorer.score(target, alpha, u, null);
      for (int s = 0; s < samples; s++) {
        Object[] v = rows.get(s).values();
        double median = designer.medianMacrostateV(OscillatorStudy.orbit(u[2 * s], u[2 * s + 1], k), k)[0];
        assertEquals(Math.abs(median - alpha[0]), (double) v[2], 1e-6);
        assertEquals((double) v[2] <= 0.05, v[3]);
        kept += (Boolean) v[3] ? 1 : 0;
      }
      TargetSummary summary = relational.summarize(target, alpha, rows.stream().map(DesignRow::values).toList());
      assertEquals(kept, summary.values()[4]);
      assertEquals((double) kept / samples, (double) summary.values()[5], 1e-12);
      double[] r = rows.stream().map(DesignRow::values).filter(v -> (Boolean) v[3])
          .mapToDouble(v -> Math.hypot((Double) v[0], (Double) v[1])).toArray();
      if (r.length > 0) {
        assertEquals(org.macronet.analysis.stats.Summary.mean(r), (double) summary.values()[2], 1e-12);
      } else {
        assertTrue(Double.isNaN((double) summary.values()[3]), "no design kept: no circle to judge");
      }
    }
    // without partners every design is kept and has no deviation
    try (Scorer plain = new OscillatorStudy(new DesignSettings(3, samples, 1.0, 1, 0.5, 100, ""))
        .openScorer(null, designer)) {
      Object[] v = plain.score(target, alpha, u, null).get(0).values();
      assertEquals(null, v[2]);
      assertEquals(true, v[3]);
    }
  }
}
