package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.experiment.DesignOutputs;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;

/**
 * The Gray-Scott analysis on a hand-made design sweep, as the analyze job reads it back: ten
 * targets with 2 x 8 x 8 spot and stripe patterns and the rows the figures draw. No Spark, no
 * model: the held-out part gets hand-made macrostates.
 */
class GrayScottAnalysisTest {
  private static final int SIZE = 8;

  /**
   * The eight shown targets (0 .. 7; the sweep has ten), all with a pattern. Target 0 (dataset row
   * 10) has 10 valid designs, patterns for the first 8; target 1 (no dataset row, no parameters) 2
   * valid ones and two invalid; target 2 four invalid ones; the others none.
   */
  static DesignOutputs sweep(Map<String, Object> metrics) {
    List<Map<String, Object>> targets = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      boolean fromDataset = t != 1;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target_id", t);
      m.put("target_sample_id", fromDataset ? 10L + t : null);
      m.put("alpha_0", 0.1 * t);
      m.put("alpha_1", -0.1 * t);
      m.put("Da", fromDataset ? 0.16 : null);
      m.put("Db", fromDataset ? 0.08 : null);
      m.put("F", fromDataset ? 0.03 + 0.001 * t : null);
      m.put("k", fromDataset ? 0.06 : null);
      m.put("pattern", t % 2 == 0 ? spots(2 + t % 3, 0) : stripes(4, t));
      m.put("median_percentile", t == 0 ? 3.0 : t == 1 ? 20.0 : 100.0);
      m.put("valid_designs", t == 0 ? 10 : t == 1 ? 2 : 0);
      targets.add(m);
    }
    List<Map<String, Object>> designs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      designs.add(design(0, i, true, 0.12 + 0.001 * i, 0.05 + 0.001 * i, 0.02 + 0.001 * i, 0.05 + 0.001 * i,
          i < 8 ? spots(3, i) : null));
    }
    designs.add(design(1, 0, true, 0.15, 0.07, 0.04, 0.062, stripes(4, 0)));
    designs.add(design(1, 1, false, Double.NaN, 0, 0, 0, null));
    designs.add(design(1, 2, false, Double.NaN, 0, 0, 0, null));
    designs.add(design(1, 3, true, 0.15, 0.07, 0.041, 0.061, stripes(4, 1)));
    for (int i = 0; i < 4; i++) {
      designs.add(design(2, i, false, Double.NaN, 0, 0, 0, null));
    }
    return new DesignOutputs(metrics, 10, 19, targets, designs);
  }

  /** The metrics of the sweep: NaN and the infinity as JSON readers give them back. */
  static Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", "grayscott");
    m.put("targets", 10);
    m.put("designs_per_target", 4);
    m.put("designs", 19);
    m.put("valid", 13);
    m.put("invalid", Map.of("count", 6, "by_reason", Map.of("unstable", 5, "no pattern", 1)));
    m.put("random_reference", 200);
    m.put("median_percentile", 4.0);
    m.put("targets_patterned", 3);
    m.put("median_percentile_patterned", 9.5);
    m.put("targets_uniform", 7);
    m.put("median_percentile_uniform", 2.0);
    m.put("fraction_within_10th_percentile", 0.55);
    Map<String, Object> importance = new LinkedHashMap<>();
    importance.put("Da", 0.2);
    importance.put("Db", Double.NaN);
    importance.put("F", 3.0);
    importance.put("k", "Infinity");
    m.put("importance", importance);
    return m;
  }

  private static Map<String, Object> design(int target, int id, boolean valid, double da, double db, double f,
      double k, float[] pattern) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target_id", target);
    m.put("design_id", id);
    m.put("Da", da);
    m.put("Db", db);
    m.put("F", f);
    m.put("k", k);
    m.put("valid", valid);
    m.put("pattern", pattern);
    return m;
  }

  /** Spots: b = 0.3 (a = 0.7) on discs of the given radius on a lattice of spacing 4, shifted by {@code shift}. */
  static float[] spots(double radius, int shift) {
    float[] p = new float[2 * SIZE * SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        double di = Math.floorMod(i + shift, 4) - 2;
        double dj = Math.floorMod(j + shift, 4) - 2;
        float b = di * di + dj * dj <= radius * radius / 4 ? 0.3f : 0f;
        p[i * SIZE + j] = 1 - b;
        p[SIZE * SIZE + i * SIZE + j] = b;
      }
    }
    return p;
  }

  /** Stripes along rows: b = 0.125 (1 + sin(2 pi (j + phase) / period)). */
  static float[] stripes(int period, int phase) {
    float[] p = new float[2 * SIZE * SIZE];
    for (int i = 0; i < SIZE; i++) {
      for (int j = 0; j < SIZE; j++) {
        float b = (float) (0.125 * (1 + Math.sin(2 * Math.PI * (j + phase) / period)));
        p[i * SIZE + j] = 1 - b;
        p[SIZE * SIZE + i * SIZE + j] = b;
      }
    }
    return p;
  }

  private static BufferedImage image(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(image, "not a PNG");
    return image;
  }

  @Test
  void reportHasTheBarsTheCountsAndTheFigures() throws IOException {
    Report report = new Report("Gray-Scott");
    Findings out = new Findings(report);
    GrayScottAnalysis.design(sweep(metrics()), out);
    Map<String, Object> metrics = out.metrics();
    List<Metric> bars = out.bars();
    List<String> notes = out.notes();
    Map<String, byte[]> figures = out.figures();

    assertEquals(4, bars.size());
    assertEquals(9.5, bars.get(0).value(), 0);       // the patterned targets apart
    assertTrue(bars.get(0).name().contains("patterned targets"), bars.get(0).name());
    assertEquals(Metric.Comparison.AT_MOST, bars.get(0).comparison());
    assertEquals(10, bars.get(0).bar(), 0);
    assertEquals(2.0, bars.get(1).value(), 0);       // and the uniform ones
    assertTrue(bars.get(1).name().contains("uniform targets"), bars.get(1).name());
    assertEquals(15.0, bars.get(2).value(), 1e-12); // importance(F) / importance(Da) = 3 / 0.2
    assertEquals(Double.POSITIVE_INFINITY, bars.get(3).value(), 0); // k: no spread within targets
    assertTrue(bars.stream().allMatch(Metric::passed), bars.toString());

    @SuppressWarnings("unchecked")
    Map<String, Object> counts = (Map<String, Object>) metrics.get("design_counts");
    assertEquals(19L, counts.get("designs"));
    assertEquals(6L, counts.get("invalid"));
    assertTrue(notes.contains("Invalid designs (counted and reported, never dropped; not a bar): 6 of 19 "
        + "(no pattern: 1, unstable: 5)."), notes.toString());
    assertTrue(notes.contains("importance(Db) is NaN: left out of parameter_importance.png."), notes.toString());
    assertTrue(notes.contains("importance(k) is Infinity: left out of parameter_importance.png."), notes.toString());
    assertFalse(notes.stream().anyMatch(n -> n.startsWith("The design metrics report")), notes.toString());

    assertEquals(List.of(GrayScottAnalysis.PATTERNS_FIGURE, GrayScottAnalysis.FK_FIGURE, GrayScottAnalysis.DADB_FIGURE,
        GrayScottAnalysis.IMPORTANCE_FIGURE), List.copyOf(figures.keySet()));
    // 6 labelled rows of at most 1 + 8 tiles of 8 x 8 cells at 16 pixels (Figures.patternGrid's sizes)
    BufferedImage grid = image(figures.get(GrayScottAnalysis.PATTERNS_FIGURE));
    assertEquals(16 + 9 * 128 + 8 * 6 + 110, grid.getWidth());
    assertEquals(16 + 34 + 6 * (128 + 18) + 5 * 10 + 16, grid.getHeight());
    for (String f : List.of(GrayScottAnalysis.FK_FIGURE, GrayScottAnalysis.DADB_FIGURE, GrayScottAnalysis.IMPORTANCE_FIGURE)) {
      BufferedImage image = image(figures.get(f));
      assertEquals(800, image.getWidth(), f);
      assertEquals(600, image.getHeight(), f);
    }

    String md = report.render();
    assertTrue(md.contains("| median percentile, all targets | 4 |"), md);
    assertTrue(md.contains("| median percentile, patterned targets | 9.5 |"), md);
    assertTrue(md.contains("| uniform targets | 7 |"), md);
    assertTrue(md.contains("| fraction within the 10th percentile | 0.55 |"), md);
    assertTrue(md.contains("| unstable | 5 |"), md);
    assertTrue(md.contains("| F | 3 |") && md.contains("| Db | NaN |") && md.contains("| k | Infinity |"), md);
    assertTrue(md.contains("| target 0 | sample 10; Da 0.16, Db 0.08, F 0.03, k 0.06; median pct 3.0; 10 valid designs |"),
        md);
    assertTrue(md.contains("| target 2 | sample 12; Da 0.16, Db 0.08, F 0.032, k 0.06; no valid design; 0 valid designs |"),
        md);
  }

  @Test
  void countsThatDisagreeWithTheFilesAreReported() throws IOException {
    Findings out = new Findings(new Report("t"));
    GrayScottAnalysis.design(sweep(Map.of("designs", 20, "valid", 14, "invalid", Map.of("count", 6),
        "median_percentile", "NaN")), out);
    List<Metric> bars = out.bars();
    List<String> notes = out.notes();
    assertTrue(notes.contains("The design metrics report 20 designs; designs.parquet holds 19."), notes.toString());
    assertTrue(notes.contains("The design metrics give no median percentile for patterned targets (no count of them): "
        + "its bar fails."), notes.toString());
    // no importance at all: both ratios NaN, every bar fails
    assertTrue(bars.stream().noneMatch(Metric::passed), bars.toString());
  }

  @Test
  void barsFollowTheMedianAndTheImportanceRatios() {
    List<Metric> b = GrayScottAnalysis.bars(12, 3, Map.of("Da", 2.0, "Db", 1.0, "F", 1.0, "k", 3.0));
    assertFalse(b.get(0).passed()); // patterned 12 > 10
    assertTrue(b.get(1).passed());  // uniform 3
    assertEquals(0.5, b.get(2).value(), 0);
    assertFalse(b.get(2).passed()); // F below Da
    assertEquals(1.5, b.get(3).value(), 0);
    assertTrue(b.get(3).passed());
    assertTrue(GrayScottAnalysis.bars(10, 10, Map.of()).get(0).passed()); // at the bar
    assertFalse(GrayScottAnalysis.bars(Double.NaN, 1, Map.of()).get(0).passed()); // no patterned target
    assertFalse(GrayScottAnalysis.bars(1, 10.5, Map.of()).get(1).passed());
    // Da pinned by the target (infinite) beats nothing; F infinite over a finite Da passes
    Map<String, Double> inf = Map.of("Da", Double.POSITIVE_INFINITY, "F", Double.POSITIVE_INFINITY, "k", 4.0);
    assertFalse(GrayScottAnalysis.bars(1, 1, inf).get(2).passed());
    assertFalse(GrayScottAnalysis.bars(1, 1, inf).get(3).passed());
    assertTrue(GrayScottAnalysis.bars(1, 1, Map.of("Da", 0.0, "F", 0.1, "k", Double.POSITIVE_INFINITY)).get(2)
        .passed());
    assertFalse(GrayScottAnalysis.bars(1, 1, Map.of("Da", 0.0, "F", 0.0, "k", 0.0)).get(3).passed());
    // what the metrics may hold: numbers, their JSON spellings as strings, nothing
    Map<String, Double> parsed = GrayScottAnalysis.importance(Map.of("Da", 1, "Db", "-Infinity", "F", "x"));
    assertEquals(List.of("Da", "Db", "F", "k"), List.copyOf(parsed.keySet()));
    assertEquals(1.0, parsed.get("Da"), 0);
    assertEquals(Double.NEGATIVE_INFINITY, parsed.get("Db"), 0);
    assertTrue(Double.isNaN(parsed.get("F")) && Double.isNaN(parsed.get("k")));
    assertTrue(GrayScottAnalysis.importance(null).values().stream().allMatch(v -> v.isNaN()));
  }

  @Test
  void heldOutCorrelationsAndTheMacrostateFigure() throws IOException {
    int n = 40;
    SplittableRandom random = new SplittableRandom(3);
    List<String> columns = List.of("Da", "Db", "F", "k");
    float[] u = new float[4 * n];
    float[] mu = new float[2 * n];
    float[] mv = new float[2 * n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      u[4 * i] = 0.16f; // Da fixed: its correlations are undefined
      u[4 * i + 1] = (float) random.nextDouble(0.05, 0.1);
      u[4 * i + 2] = (float) random.nextDouble(0.01, 0.06);
      u[4 * i + 3] = (float) random.nextDouble(0.045, 0.07);
      mv[2 * i] = (float) Math.exp(20 * u[4 * i + 2]); // increasing in F
      mv[2 * i + 1] = -u[4 * i + 3]; // decreasing in k
      mu[2 * i] = 3 * u[4 * i + 2];
      mu[2 * i + 1] = (float) random.nextGaussian();
      ids[i] = i;
    }
    HeldOut held = new HeldOut(ids, u, 4, mu, mv, 2, Map.of());
    Report report = new Report("t");
    Findings out = new Findings(report);
    GrayScottHeldOut.heldOut(columns, held, out);
    Map<String, Object> metrics = out.metrics();
    List<String> notes = out.notes();
    Map<String, byte[]> figures = out.figures();
    assertEquals(1.0, (double) metrics.get("spearman_macro_v_0_F"), 1e-12);
    assertEquals(-1.0, (double) metrics.get("spearman_macro_v_1_k"), 1e-12);
    assertTrue(Double.isNaN((double) metrics.get("spearman_macro_v_0_Da")));
    assertEquals(1.0, (double) metrics.get("spearman_macro_u_v_0"), 1e-12);
    assertTrue(Math.abs((double) metrics.get("spearman_macro_u_v_1")) < 0.5, metrics.toString());
    assertEquals(2 * 4 + 2, metrics.size());
    assertTrue(report.render().contains("| macro_v_1 ~ k | -1 |"), report.render());
    assertEquals(List.of(), notes);
    BufferedImage image = image(figures.get(GrayScottAnalysis.MACROSTATE_FIGURE));
    assertEquals(800, image.getWidth());

    // d = 1: macro_v_0 against F
    Findings one = new Findings(new Report("t"));
    GrayScottHeldOut.heldOut(columns, new HeldOut(ids, u, 4, new float[n], java.util.Arrays.copyOf(mv, n), 1,
        Map.of()), one);
    assertTrue(one.figures().containsKey(GrayScottAnalysis.MACROSTATE_FIGURE));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrayScottHeldOut.heldOut(
        List.of("Da", "Db", "feed", "k"), held, new Findings(new Report("t"))));
    assertTrue(e.getMessage().contains("lack F"), e.getMessage());
  }

  @Test
  void fBinsSplitTheRowsByTheRankOfF() {
    double[] f = {0.5, 0.1, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4, Double.NaN};
    double[] x = {5, 1, 7, 3, 2, 8, 6, 4, 9};
    List<Series> bins = GrayScottHeldOut.fBins(x, x, f);
    assertEquals(List.of("F in [0.1, 0.2]", "F in [0.3, 0.4]", "F in [0.5, 0.6]", "F in [0.7, 0.8]"),
        bins.stream().map(Series::name).toList());
    assertArrayEquals(new double[] {7, 8}, bins.get(3).x(), 0);
    assertEquals(1, GrayScottHeldOut.fBins(new double[] {1}, new double[] {1}, new double[] {0.1}).size());
  }
}
