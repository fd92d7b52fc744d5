package org.macronet.systems.oscillator;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.GridField;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.stats.RankCorrelation;
import org.macronet.analysis.stats.Summary;
import org.macronet.experiment.AnalysisInputs;
import org.macronet.experiment.Column;
import org.macronet.experiment.DesignRow;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;
import org.macronet.experiment.MacroNetDesigner;
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Tally;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.experiment.TargetSummary;
import org.macronet.experiment.Values;

/**
 * The oscillator's design study. Targets are held-out rows at evenly spaced quantiles of the
 * energy H = (x^2 + p^2) / 2 of v = (x(t), p(t)); the designed (x0, p0) at one macrostate should
 * lie on one circle, scored by std(r)/mean(r), r = sqrt(x0^2 + p0^2) (a circle: 0). The analysis
 * checks that each side's macrostate ranks like the energy (preprint fig. 5B) and draws the
 * designs over the learned macrostate field (5C).
 */
public final class OscillatorStudy implements DesignStudy {
  private static final long serialVersionUID = 1L;

  /** The least |Spearman| of each side's macrostate with the energy. */
  public static final double SPEARMAN_BAR = 0.99;
  /** The largest std(r)/mean(r) of the designs at one fixed macrostate. */
  public static final double CIRCLE_BAR = 0.1;

  private final DesignSettings settings;

  public OscillatorStudy(DesignSettings settings) {
    this.settings = settings;
  }

  @Override
  public TargetChoice choice() {
    return TargetChoice.quantiles(settings.targets(), t -> new TargetChoice.Candidate("", energy(t.v(), 0)));
  }

  /** H of the phase-space point at {@code v[2 i], v[2 i + 1]}. */
  static double energy(float[] v, int i) {
    double x = v[2 * i];
    double p = v[2 * i + 1];
    return 0.5 * (x * x + p * p);
  }

  /**
   * The partners of the phase-space point (x, p): the points of its orbit at the times
   * 2 pi k / count, k = 0 .. count - 1 (x cos t + p sin t, -x sin t + p cos t), each an
   * observation the same (x0, p0) gives; {@code count} x 2 values.
   */
  static float[] orbit(float x, float p, int count) {
    float[] out = new float[2 * count];
    for (int k = 0; k < count; k++) {
      double t = 2 * Math.PI * k / count;
      double c = Math.cos(t);
      double s = Math.sin(t);
      out[2 * k] = (float) (x * c + p * s);
      out[2 * k + 1] = (float) (-x * s + p * c);
    }
    return out;
  }

  /**
   * With {@code design.partners = K}: the median of m_v over K points of the target's orbit. The
   * macrostate's level sets are the images of lines, which cannot close into the energy's circles:
   * every flow cuts each circle along a seam where its levels bunch up, and a target on the seam
   * reads a wrong m_v(v*). The median over its orbit does not.
   */
  @Override
  public float[] targetMacrostate(Target target, MacroNetDesigner designer) {
    int k = settings.partners();
    return k == 0 ? designer.macrostatesV(target.v(), 1)
        : designer.medianMacrostateV(orbit(target.v()[0], target.v()[1], k), k);
  }

  @Override
  public Scorer openScorer(Serializable context) {
    return openScorer(context, null);
  }

  /**
   * Rows x0, p0, partner_deviation and accepted. With {@code design.partners = K}, a design's
   * partner deviation is the largest |median over K points of its orbit of m_v - alpha| over the
   * components, and it is accepted when that is at most {@code design.accept-within} (or that is
   * 0): designs that land on the seam, where the flow's inverse throws them out, are recognised by
   * their own partners. Without partners the deviation is null and every design is accepted.
   */
  @Override
  public Scorer openScorer(Serializable context, MacroNetDesigner designer) {
    int k = designer == null ? 0 : settings.partners();
    double within = settings.acceptWithin();
    return (target, alpha, u, v) -> {
      int n = settings.samples();
      float[] partnerMacro = null;
      int d = alpha.length;
      if (k > 0) {
        float[] orbits = new float[2 * n * k];
        for (int s = 0; s < n; s++) {
          System.arraycopy(orbit(u[2 * s], u[2 * s + 1], k), 0, orbits, 2 * k * s, 2 * k);
        }
        partnerMacro = designer.macrostatesV(orbits, n * k);
      }
      List<DesignRow> rows = new ArrayList<>(n);
      for (int s = 0; s < n; s++) {
        Double deviation = null;
        boolean accepted = true;
        if (k > 0) {
          double[] median = MacroNetDesigner.medians(partnerMacro, s * k, k, d);
          double dev = 0;
          for (int c = 0; c < d; c++) {
            dev = Math.max(dev, Math.abs(median[c] - alpha[c]));
          }
          deviation = dev;
          accepted = within == 0 || dev <= within;
        }
        rows.add(new DesignRow(s, new Object[] {(double) u[2 * s], (double) u[2 * s + 1], deviation, accepted}));
      }
      return rows;
    };
  }

  @Override
  public List<Column> designColumns() {
    return List.of(Column.of("x0", Column.Type.DOUBLE), Column.of("p0", Column.Type.DOUBLE),
        Column.nullable("partner_deviation", Column.Type.DOUBLE), Column.of("accepted", Column.Type.BOOLEAN));
  }

  @Override
  public List<Column> targetColumns() {
    return List.of(Column.of("target_energy", Column.Type.DOUBLE), Column.of("target_radius", Column.Type.DOUBLE),
        Column.of("mean_r", Column.Type.DOUBLE), Column.of("std_r_over_mean_r", Column.Type.DOUBLE),
        Column.of("accepted", Column.Type.INT), Column.of("acceptance", Column.Type.DOUBLE));
  }

  /** The radii of the accepted designs: their mean and std(r)/mean(r) (NaN when none is accepted), and the counts. */
  @Override
  public TargetSummary summarize(Target target, float[] alpha, List<Object[]> designs) {
    double[] r = designs.stream().filter(d -> d.length < 4 || !Boolean.FALSE.equals(d[3]))
        .mapToDouble(d -> Math.hypot((Double) d[0], (Double) d[1])).toArray();
    double energy = energy(target.v(), 0);
    return new TargetSummary(new Object[] {energy, Math.sqrt(2 * energy), r.length == 0 ? Double.NaN : Summary.mean(r),
        r.length == 0 ? Double.NaN : Summary.coefficientOfVariation(r), r.length,
        designs.isEmpty() ? Double.NaN : (double) r.length / designs.size()}, new Tally());
  }

  @Override
  public Map<String, Object> metrics(List<Map<String, Object>> targets, Tally tally) {
    List<Map<String, Object>> perTarget = new ArrayList<>();
    double worst = 0;
    double minAcceptance = 1;
    for (Map<String, Object> t : targets) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (String k : List.of("target_id", "target_sample_id", "target_energy", "target_radius", "alpha_0", "mean_r",
          "std_r_over_mean_r", "accepted", "acceptance")) {
        m.put(k, t.get(k));
      }
      perTarget.add(m);
      // a target without an accepted design (NaN) makes the worst NaN, and the bar fails
      worst = Math.max(worst, Values.number(t, "std_r_over_mean_r"));
      minAcceptance = Math.min(minAcceptance, Values.number(t, "acceptance"));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", HarmonicOscillator.NAME);
    metrics.put("targets", perTarget);
    metrics.put("max_std_r_over_mean_r", Double.isFinite(worst) ? (Object) worst : String.valueOf(worst));
    metrics.put("partners", settings.partners());
    metrics.put("accept_within", settings.acceptWithin());
    metrics.put("min_acceptance", minAcceptance);
    metrics.put("bar_max_std_r_over_mean_r", CIRCLE_BAR);
    metrics.put("summary", String.format(Locale.ROOT, "max std(r)/mean(r) over %d fixed macrostates = %.4f (bar <= %s)%s",
        targets.size(), worst, CIRCLE_BAR, settings.partners() == 0 ? "" : String.format(Locale.ROOT,
            "; at least %.1f%% of the designs kept by their partners", 100 * minAcceptance)));
    return metrics;
  }

  /**
   * Rank correlations to 0.01 and the design ratios to 0.02 between platforms: training sums in
   * another order there; a change of the model or its training moves them by far more.
   */
  @Override
  public Map<String, Double> reproduceTolerances() {
    return Map.of("spearman_macro_u_energy.absolute", 0.01, "spearman_macro_v_energy.absolute", 0.01,
        "design.absolute", 0.02);
  }

  /** Targets drawn over the macrostate field, those of lowest id (each in its own colour). */
  static final int DRAWN_TARGETS = 8;
  /** Designs drawn per target. */
  static final int DRAWN_DESIGNS = 1000;

  @Override
  public int shownTargets() {
    return DRAWN_TARGETS;
  }

  @Override
  public int shownDesigns() {
    return DRAWN_DESIGNS;
  }

  @Override
  public List<String> heldOutExtras() {
    return List.of("xt", "pt");
  }

  @Override
  public void analyze(AnalysisInputs in, Findings out) throws IOException {
    HeldOut held = in.held();
    int n = held.rows();
    double[] energyU = new double[n];
    double[] energyV = new double[n];
    double[] xt = held.extra("xt");
    double[] pt = held.extra("pt");
    for (int i = 0; i < n; i++) {
      energyU[i] = energy(held.u(), i);
      energyV[i] = 0.5 * (sq((float) xt[i]) + sq((float) pt[i]));
    }
    double[] macroU = held.macrostate(false, 0);
    double[] macroV = held.macrostate(true, 0);
    double rhoU = RankCorrelation.spearman(macroU, energyU);
    double rhoV = RankCorrelation.spearman(macroV, energyV);
    out.metric("spearman_macro_u_energy", rhoU);
    out.metric("spearman_macro_v_energy", rhoV);
    double cv = Values.number(in.design().metrics(), "max_std_r_over_mean_r");
    out.bar(Metric.atLeast("|Spearman(macrostate of u, energy)|", Math.abs(rhoU), SPEARMAN_BAR));
    out.bar(Metric.atLeast("|Spearman(macrostate of v, energy)|", Math.abs(rhoV), SPEARMAN_BAR));
    out.bar(Metric.atMost("max std(r)/mean(r) of designs at a fixed macrostate", cv, CIRCLE_BAR));
    double partners = Values.number(in.design().metrics(), "partners");
    if (partners > 0) {
      out.note(String.format(Locale.ROOT, "Each target's macrostate is the median of m_v over %d points of its orbit, "
          + "and a design is kept when the median over its own orbit is within %s of it (design.partners, "
          + "design.accept-within); the least share of designs kept at a target: %.3f. The circles are judged on the "
          + "kept designs.", (int) partners, Values.number(in.design().metrics(), "accept_within"),
          Values.number(in.design().metrics(), "min_acceptance")));
    }

    out.figure("fig5b_macrostate_vs_energy.png", String.format(Locale.ROOT, "The u side's macrostate m(x0, p0) "
        + "against the energy H = (x0^2 + p0^2) / 2 (m = k = 1, dimensionless) of %,d held-out rows; |Spearman| "
        + "%.4f.", n, Math.abs(rhoU)), o -> Figures.scatter("Macrostate against energy (held-out)",
        "energy H = (x^2 + p^2) / 2", "macrostate m(x, p)", List.of(new Series("held-out u", energyU, macroU)), o));
    int g = 81;
    double lim = 1.6;
    float[] grid = new float[g * g * 2];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < g; j++) {
        grid[2 * (i * g + j)] = (float) (-lim + 2 * lim * j / (g - 1));
        grid[2 * (i * g + j) + 1] = (float) (-lim + 2 * lim * i / (g - 1));
      }
    }
    float[] field = in.net().macrostatesU(in.params(), grid, g * g);
    double[][] values = new double[g][g];
    for (int i = 0; i < g; i++) {
      for (int j = 0; j < g; j++) {
        values[i][j] = field[i * g + j];
      }
    }
    List<Series> series = new ArrayList<>();
    for (Map<String, Object> t : in.design().shownTargets()) {
      List<Map<String, Object>> designs = in.design().designsOf(((Number) t.get("target_id")).intValue()).stream()
          .filter(d -> !Boolean.FALSE.equals(d.get("accepted"))).toList();
      double[] x = designs.stream().mapToDouble(d -> Values.number(d, "x0")).toArray();
      double[] p = designs.stream().mapToDouble(d -> Values.number(d, "p0")).toArray();
      series.add(new Series(String.format(Locale.ROOT, "alpha = %.3f", Values.number(t, "alpha_0")), x, p));
    }
    int drawn = series.stream().mapToInt(x -> x.x().length).sum();
    out.figure("fig5c_designs_at_fixed_macrostates.png", String.format(Locale.ROOT, "%,d designed (x0, p0) at %d "
        + "target macrostates alpha (the kept designs, at most %,d a target), over the learned macrostate m(x, p) on "
        + "an %d x %d grid; its colour scale spans the field's 1st to 99th percentile.", drawn, series.size(),
        DRAWN_DESIGNS, g, g), o -> Figures.scatterOverField(
        "Designs at " + series.size() + " fixed macrostates over the learned macrostate", "x", "p",
        new GridField("macrostate", values, -lim, lim, -lim, lim), series, true, o));
  }

  private static double sq(float x) {
    return (double) x * x;
  }
}
