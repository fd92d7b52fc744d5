package org.macronet.systems.toy;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.macronet.analysis.figure.Figures;
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
import org.macronet.experiment.Scorer;
import org.macronet.experiment.Tally;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.experiment.TargetSummary;
import org.macronet.experiment.Values;

/**
 * The toy system's design study: targets are the first held-out trajectories that rise and the
 * first that fall; each designed (a, b) is run without noise and scored by the RMS distance of its
 * trajectory to the target's. The analysis reports the median over targets of their designs'
 * median distance (bar: at most 0.5, loose)
 * and how the two sides' macrostates rank together.
 */
public final class NoisyMapStudy implements DesignStudy {
  private static final long serialVersionUID = 1L;

  public static final double RMS_BAR = 0.5;

  private final DesignSettings settings;

  public NoisyMapStudy(DesignSettings settings) {
    this.settings = settings;
  }

  @Override
  public TargetChoice choice() {
    return TargetChoice.firstPerLabel(List.of("rising", "falling"), settings.targets(),
        t -> new TargetChoice.Candidate(t.v()[t.v().length - 1] >= t.v()[0] ? "rising" : "falling", 0));
  }

  @Override
  public Scorer openScorer(Serializable context) {
    return (target, alpha, u, v) -> {
      List<DesignRow> rows = new ArrayList<>();
      for (int s = 0; s < settings.samples(); s++) {
        float[] traj = new float[NoisyMap.STEPS];
        NoisyMap.trajectory(u[2 * s], u[2 * s + 1], 0, null, traj);
        double sum = 0;
        for (int t = 0; t < traj.length; t++) {
          sum += Math.pow(traj[t] - target.v()[t], 2);
        }
        rows.add(new DesignRow(s, new Object[] {(double) u[2 * s], (double) u[2 * s + 1], traj,
            Math.sqrt(sum / traj.length)}));
      }
      return rows;
    };
  }

  @Override
  public List<Column> designColumns() {
    return List.of(Column.of("a", Column.Type.DOUBLE), Column.of("b", Column.Type.DOUBLE),
        Column.array("traj", NoisyMap.STEPS), Column.of("rms", Column.Type.DOUBLE));
  }

  @Override
  public List<Column> targetColumns() {
    return List.of(Column.of("kind", Column.Type.STRING), Column.array("traj", NoisyMap.STEPS),
        Column.of("median_rms", Column.Type.DOUBLE));
  }

  @Override
  public TargetSummary summarize(Target target, float[] alpha, List<Object[]> designs) {
    double[] rms = designs.stream().mapToDouble(d -> (Double) d[2]).toArray();
    return new TargetSummary(new Object[] {target.label(), target.v(), Summary.median(rms)}, new Tally());
  }

  @Override
  public Map<String, Object> metrics(List<Map<String, Object>> targets, Tally tally) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", NoisyMap.NAME);
    m.put("targets", targets);
    // the targets' medians, from the per-target summaries (a tally suits values from a small set only)
    double median = Summary.median(targets.stream().mapToDouble(t -> Values.number(t, "median_rms")).toArray());
    m.put("median_rms", median);
    m.put("summary", String.format(Locale.ROOT, "median over %d targets of their designs' median RMS distance %.4f",
        targets.size(), median));
    return m;
  }

  @Override
  public int shownTargets() {
    return 2 * settings.targets();
  }

  @Override
  public int shownDesigns() {
    return settings.samples();
  }

  @Override
  public void analyze(AnalysisInputs in, Findings out) throws IOException {
    double[] mu = in.held().macrostate(false, 0);
    double[] mv = in.held().macrostate(true, 0);
    double rho = RankCorrelation.spearman(mu, mv);
    out.metric("spearman_macro_u_v_0", rho);
    out.bar(Metric.atMost("median RMS distance of designed trajectories to their target",
        Values.number(in.design().metrics(), "median_rms"), RMS_BAR));
    out.report().heading("Macrostates");
    out.report().paragraph(String.format(Locale.ROOT, "Spearman's rho of macro_u_0 and macro_v_0 on %d held-out rows: "
        + "%.3f.", in.held().rows(), rho));
    out.figure("macrostates.png", o -> Figures.scatter("Macrostates of the held-out rows", "macro_u_0", "macro_v_0",
        List.of(new Series("held-out", mu, mv)), o));
  }
}
