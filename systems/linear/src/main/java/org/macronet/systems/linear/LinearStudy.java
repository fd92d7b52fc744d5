package org.macronet.systems.linear;

import java.awt.Color;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.macronet.analysis.dynamics.Rotation;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.TrajectorySet;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;
import org.macronet.analysis.stats.LinearFit;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.experiment.AnalysisInputs;
import org.macronet.experiment.Column;
import org.macronet.experiment.DesignRow;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Tally;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.experiment.TargetSummary;
import org.macronet.experiment.Values;

/**
 * The linear system's design study: {@code design.targets} anticlockwise and as many clockwise
 * examples (held-out rows whose matrix rotates and whose trajectory turns the same way by at least
 * {@code design.min-turn} radians, first by sample id). From each example's macrostate, matrices
 * are designed and simulated from a random x_0, and trajectories are designed directly; the bar is
 * per example: at least {@link #BAR} of both kinds turn the example's way. The analysis also
 * measures what the macrostate carries of M (R^2 of its invariants) and draws the designs (preprint
 * fig. 4C, 4D).
 */
public final class LinearStudy implements DesignStudy {
  private static final long serialVersionUID = 1L;

  /** The least fraction of an example's designs that must turn its way. */
  public static final double BAR = 0.95;
  /** Trajectories per kind drawn for an example. */
  static final int DRAWN = 40;
  private static final long X0_SALT = 0x78305f73616c74L;
  private static final List<String> SENSES = List.of("anticlockwise", "clockwise");

  private final DesignSettings settings;

  public LinearStudy(DesignSettings settings) {
    this.settings = settings;
  }

  @Override
  public TargetChoice choice() {
    double minTurn = settings.minTurn();
    return TargetChoice.firstPerLabel(SENSES, settings.targets(), t -> {
      float[] m = t.u();
      double x0 = t.extras()[0];
      double y0 = t.extras()[1];
      Rotation.Sense sense = Rotation.ofMatrix(m[0], m[1], m[2], m[3]);
      if (sense == Rotation.Sense.NONE || Rotation.sense(x0, y0, t.v()) != sense
          || Math.abs(Rotation.turningAngle(x0, y0, t.v())) < minTurn) {
        return null;
      }
      return new TargetChoice.Candidate(name(sense), 0);
    });
  }

  private static String name(Rotation.Sense sense) {
    return sense.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public List<String> targetExtras() {
    return List.of("x0_1", "x0_2");
  }

  @Override
  public boolean designsV() {
    return true;
  }

  @Override
  public Scorer openScorer(Serializable context) {
    int samples = settings.samples();
    long seed = settings.seed();
    return (target, alpha, us, vs) -> {
      List<DesignRow> rows = new ArrayList<>(2 * samples);
      for (int s = 0; s < samples; s++) {
        float[] mu = java.util.Arrays.copyOfRange(us, 4 * s, 4 * s + 4);
        SampleRandom r = SampleSeeds.forSample(seed ^ X0_SALT, (long) target.id() * samples + s);
        double sx = r.uniform(-1, 1);
        double sy = r.uniform(-1, 1);
        float[] simulated = new float[2 * LinearDynamics.STEPS];
        LinearDynamics.trajectory(mu[0], mu[1], mu[2], mu[3], sx, sy, simulated);
        rows.add(new DesignRow(s, new Object[] {target.label(), "u", (double) mu[0], (double) mu[1], (double) mu[2],
            (double) mu[3], simulated, name(Rotation.sense(sx, sy, simulated))}));
        float[] tv = java.util.Arrays.copyOfRange(vs, 16 * s, 16 * s + 16);
        rows.add(new DesignRow(s, new Object[] {target.label(), "v", null, null, null, null, tv,
            name(Rotation.ofTrajectoryFromOrigin(tv))}));
      }
      return rows;
    };
  }

  @Override
  public List<Column> designColumns() {
    return List.of(Column.of("target_sense", Column.Type.STRING), Column.of("kind", Column.Type.STRING),
        Column.nullable("m11", Column.Type.DOUBLE), Column.nullable("m12", Column.Type.DOUBLE),
        Column.nullable("m21", Column.Type.DOUBLE), Column.nullable("m22", Column.Type.DOUBLE), Column.array("traj"),
        Column.of("sense", Column.Type.STRING));
  }

  @Override
  public List<String> summaryColumns() {
    return List.of("kind", "sense");
  }

  @Override
  public List<Column> targetColumns() {
    return List.of(Column.of("sense", Column.Type.STRING), Column.of("target_turning_angle", Column.Type.DOUBLE),
        Column.of("x0_1", Column.Type.DOUBLE), Column.of("x0_2", Column.Type.DOUBLE), Column.array("traj"),
        Column.of("matrices_same_sense", Column.Type.DOUBLE), Column.of("trajectories_same_sense", Column.Type.DOUBLE),
        Column.of("meets_bar", Column.Type.BOOLEAN));
  }

  @Override
  public TargetSummary summarize(Target target, float[] alpha, List<Object[]> designs) {
    int mHit = 0;
    int tHit = 0;
    for (Object[] d : designs) {
      if (target.label().equals(d[1])) {
        if ("u".equals(d[0])) {
          mHit++;
        } else {
          tHit++;
        }
      }
    }
    double fm = (double) mHit / settings.samples();
    double ft = (double) tHit / settings.samples();
    double x0 = target.extras()[0];
    double y0 = target.extras()[1];
    return new TargetSummary(new Object[] {target.label(), Rotation.turningAngle(x0, y0, target.v()), x0, y0,
        target.v(), fm, ft, fm >= BAR && ft >= BAR}, new Tally());
  }

  /**
   * One sense's fractions of designs turning its way (designed matrices, simulated; designed
   * trajectories): averaged over its examples, and those of its worst example.
   */
  private record SenseFractions(double matrices, double trajectories, double worstMatrices,
      double worstTrajectories) {}

  @Override
  public Map<String, Object> metrics(List<Map<String, Object>> targets, Tally tally) {
    List<Map<String, Object>> perTarget = new ArrayList<>();
    Map<String, SenseFractions> bySense = new LinkedHashMap<>();
    for (String sense : SENSES) {
      int found = 0;
      double matrices = 0;
      double trajectories = 0;
      double worstMatrices = 1;
      double worstTrajectories = 1;
      for (Map<String, Object> t : targets) {
        if (!sense.equals(t.get("sense"))) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("target_id", "target_sample_id", "sense", "target_turning_angle", "matrices_same_sense",
            "trajectories_same_sense", "meets_bar")) {
          m.put(k, t.get(k));
        }
        perTarget.add(m);
        double fm = Values.number(t, "matrices_same_sense");
        double ft = Values.number(t, "trajectories_same_sense");
        found++;
        matrices += fm;
        trajectories += ft;
        worstMatrices = Math.min(worstMatrices, fm);
        worstTrajectories = Math.min(worstTrajectories, ft);
      }
      if (found == 0) {
        throw new IllegalArgumentException("no " + sense + " example (a held-out row, or a row of "
            + "design.targets-path) turns at least design.min-turn = " + settings.minTurn() + " rad; generate more "
            + "samples or lower design.min-turn");
      }
      bySense.put(sense, new SenseFractions(matrices / found, trajectories / found, worstMatrices,
          worstTrajectories));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", LinearDynamics.NAME);
    metrics.put("targets", perTarget);
    bySense.forEach((sense, f) -> {
      metrics.put(sense + "_matrices_same_sense", f.matrices());
      metrics.put(sense + "_trajectories_same_sense", f.trajectories());
    });
    // averaged over each sense's examples (kept as before); the bar is judged per example below
    metrics.put("min_fraction_same_sense", bySense.values().stream()
        .mapToDouble(f -> Math.min(f.matrices(), f.trajectories())).min().orElseThrow());
    metrics.put("bar_min_fraction_same_sense", BAR);
    bySense.forEach((sense, f) -> {
      metrics.put(sense + "_worst_example_matrices_same_sense", f.worstMatrices());
      metrics.put(sense + "_worst_example_trajectories_same_sense", f.worstTrajectories());
    });
    double worstExample = bySense.values().stream()
        .mapToDouble(f -> Math.min(f.worstMatrices(), f.worstTrajectories())).min().orElseThrow();
    metrics.put("worst_example_fraction_same_sense", worstExample);
    long met = perTarget.stream().filter(t -> Boolean.TRUE.equals(t.get("meets_bar"))).count();
    metrics.put("examples_meeting_bar", met);
    metrics.put("summary", String.format(Locale.ROOT, "%d of %d examples have at least %.0f%% of their designs "
            + "turning their way (matrices and trajectories); worst example %.3f; averaged by sense: anticlockwise "
            + "%.3f / %.3f, clockwise %.3f / %.3f", met, perTarget.size(), 100 * BAR, worstExample,
        bySense.get("anticlockwise").matrices(), bySense.get("anticlockwise").trajectories(),
        bySense.get("clockwise").matrices(), bySense.get("clockwise").trajectories()));
    return metrics;
  }

  /**
   * What the macrostate carries to 0.03 and the design fractions to 0.05 between platforms: a
   * fraction counts sampled designs, so one design turning the other way moves it by
   * 1 / design.samples.
   */
  @Override
  public Map<String, Double> reproduceTolerances() {
    return Map.of("macrostate_r2.absolute", 0.03, "design.absolute", 0.05);
  }

  /** The figures draw the first example of each sense. */
  @Override
  public List<Integer> shownTargetIds(List<Map<String, Object>> targets) {
    List<Integer> ids = new ArrayList<>();
    for (String sense : SENSES) {
      targets.stream().filter(t -> sense.equals(t.get("sense"))).findFirst()
          .ifPresent(t -> ids.add(((Number) t.get("target_id")).intValue()));
    }
    return ids;
  }

  @Override
  public int shownDesigns() {
    return DRAWN;
  }

  @Override
  public int shownDesignArrays() {
    return DRAWN;
  }

  @Override
  public void analyze(AnalysisInputs in, Findings out) throws IOException {
    HeldOut held = in.held();
    Report report = out.report();
    // What the macrostate carries: R^2 of invariants of M regressed on the held-out macro_u. The
    // trajectory identifies all four entries of M, so any two independent combinations are a valid
    // 2-d macrostate; designs keep the turning sense only when the rotation part is among them.
    String[] parts = {"trace", "rotation", "stretch", "shear"};
    String[] formulas = {"(m11 + m22) / 2", "(m21 - m12) / 2", "(m11 - m22) / 2", "(m12 + m21) / 2"};
    int n = held.rows();
    int macroDim = held.d();
    double[][] macro = new double[macroDim][];
    for (int k = 0; k < macroDim; k++) {
      macro[k] = held.macrostate(false, k);
    }
    double[][] values = new double[parts.length][n];
    float[] u = held.u();
    for (int i = 0; i < n; i++) {
      double m11 = u[4 * i];
      double m12 = u[4 * i + 1];
      double m21 = u[4 * i + 2];
      double m22 = u[4 * i + 3];
      values[0][i] = (m11 + m22) / 2;
      values[1][i] = (m21 - m12) / 2;
      values[2][i] = (m11 - m22) / 2;
      values[3][i] = (m12 + m21) / 2;
    }
    Map<String, Object> carried = new LinkedHashMap<>();
    Map<String, String> rows = new LinkedHashMap<>();
    for (int p = 0; p < parts.length; p++) {
      double r2 = LinearFit.rSquared(macro, values[p]);
      carried.put(parts[p], r2);
      rows.put(parts[p] + " " + formulas[p], String.format(Locale.ROOT, "%.3f", r2));
    }
    out.metric("macrostate_r2", carried);
    report.heading("What the macrostate carries");
    report.paragraph("R^2 of each part of M = [[m11, m12], [m21, m22]] regressed linearly on the held-out macro_u. "
        + "The trajectory determines all four entries of M, so any two independent combinations make a valid "
        + "2-d macrostate; designs keep the example's turning sense when the rotation part is among them.");
    report.table("part of M", "R^2 on macro_u", rows);
    // the bar is stated per example ("from the macrostate of an anticlockwise example, at least 95 %
    // of designs turn anticlockwise"), so each sense is judged on its worst example, and every
    // example's fractions are listed
    Map<String, Object> m = in.design().metrics();
    List<Map<String, Object>> examples = Values.table(m, "targets");
    for (String sense : SENSES) {
      long count = examples.stream().filter(t -> sense.equals(t.get("sense"))).count();
      out.bar(Metric.atLeast(sense + ": designed matrices turning the same way, worst of " + count + " examples",
          Values.number(m, sense + "_worst_example_matrices_same_sense"), BAR));
      out.bar(Metric.atLeast(sense + ": designed trajectories turning the same way, worst of " + count + " examples",
          Values.number(m, sense + "_worst_example_trajectories_same_sense"), BAR));
    }
    List<List<?>> rowsByExample = new ArrayList<>();
    for (Map<String, Object> t : examples) {
      rowsByExample.add(List.of(t.get("target_id"), t.get("target_sample_id"), t.get("sense"),
          Values.number(t, "target_turning_angle"), Values.number(t, "matrices_same_sense"),
          Values.number(t, "trajectories_same_sense"), Boolean.TRUE.equals(t.get("meets_bar")) ? "pass" : "**FAIL**"));
    }
    report.heading("Designs per example");
    report.paragraph("Fraction of each example's designs that turn its way: matrices designed at its macrostate and "
        + "simulated from a random start, and trajectories designed directly. The bar (at least "
        + Math.round(100 * BAR) + " % of both) holds for each example on its own.");
    report.table(List.of("example", "sample_id", "sense", "turning angle (rad)", "matrices same sense",
        "trajectories same sense", "bar"), rowsByExample);
    // one figure pair for the first example of each sense
    for (String sense : SENSES) {
      Map<String, Object> target = in.design().shownTargets().stream().filter(t -> sense.equals(t.get("sense")))
          .findFirst().orElse(null);
      if (target == null) {
        continue;
      }
      float[] example = Values.floats(target, "traj");
      double[] start = {Values.number(target, "x0_1"), Values.number(target, "x0_2")};
      List<float[]> fromMatrices = new ArrayList<>();
      List<float[]> direct = new ArrayList<>();
      for (Map<String, Object> d : in.design().designsOf(((Number) target.get("target_id")).intValue())) {
        (d.get("kind").equals("u") ? fromMatrices : direct).add(Values.floats(d, "traj"));
      }
      Color blue = new Color(31, 119, 180);
      out.figure("fig4c_" + sense + "_designed_matrices.png", String.format(java.util.Locale.ROOT, "%,d matrices "
          + "designed from the %s example's macrostate, each simulated for %d steps from a random x_0 in [-1, 1]^2 "
          + "(blue; positions, dimensionless), with the example (red).", fromMatrices.size(), sense,
          LinearDynamics.STEPS), o -> Figures.trajectories(
          "Trajectories of matrices designed from an " + sense + " example", List.of(
              new TrajectorySet("designed M, simulated", blue, fromMatrices),
              TrajectorySet.example("example", example, start)), o));
      out.figure("fig4d_" + sense + "_designed_trajectories.png", String.format(java.util.Locale.ROOT, "%,d "
          + "trajectories of %d points designed directly from the %s example's macrostate (blue), with the example "
          + "(red).", direct.size(), LinearDynamics.STEPS, sense), o -> Figures.trajectories(
          "Trajectories designed directly from an " + sense + " example", List.of(
              new TrajectorySet("designed trajectories", blue, direct),
              TrajectorySet.example("example", example, start)), o));
    }
  }
}
