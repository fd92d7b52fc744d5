package org.macronet.systems.grayscott;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.analysis.figure.Figures;
import org.macronet.analysis.figure.Series;
import org.macronet.analysis.report.Report;
import org.macronet.analysis.stats.RankCorrelation;
import org.macronet.experiment.Findings;
import org.macronet.experiment.HeldOut;

/**
 * The held-out part of the Gray-Scott analysis: Spearman's rho of each {@code macro_v_j} with each
 * parameter and with {@code macro_u_j}, and {@code macro_v_0} against {@code macro_v_1} coloured
 * by F ({@link GrayScottAnalysis#MACROSTATE_FIGURE}).
 */
final class GrayScottHeldOut {
  private static final List<String> PARAMETERS = GrayScottSystem.PARAMETERS;

  /**
   * The held-out part: Spearman's rho of {@code macro_v_j} with each parameter
   * ({@code spearman_macro_v_<j>_<parameter>}) and with {@code macro_u_j}
   * ({@code spearman_macro_u_v_<j>}), NaN where undefined (a constant or non-finite column), a
   * report section, and {@link GrayScottAnalysis#MACROSTATE_FIGURE}.
   *
   * @param uColumns the u columns of {@code held}, in order; they must include Da, Db, F and k
   * @param held the held-out rows' u and both macrostates
   */
  static void heldOut(List<String> uColumns, HeldOut held, Findings out) throws IOException {
    Report report = out.report();
    int n = held.rows();
    int d = held.d();
    double[][] parameters = new double[PARAMETERS.size()][];
    for (int p = 0; p < PARAMETERS.size(); p++) {
      int c = uColumns.indexOf(PARAMETERS.get(p));
      if (c < 0) {
        throw new IllegalArgumentException("the model's u columns " + uColumns + " lack " + PARAMETERS.get(p)
            + ", a Gray-Scott parameter");
      }
      parameters[p] = held.uColumn(c);
    }
    double[][] macroU = new double[d][];
    double[][] macroV = new double[d][];
    for (int j = 0; j < d; j++) {
      macroU[j] = held.macrostate(false, j);
      macroV[j] = held.macrostate(true, j);
    }
    Map<String, Double> table = new LinkedHashMap<>();
    for (int j = 0; j < d; j++) {
      for (int p = 0; p < PARAMETERS.size(); p++) {
        double rho = spearman(macroV[j], parameters[p]);
        out.metric("spearman_macro_v_" + j + "_" + PARAMETERS.get(p), rho);
        table.put("macro_v_" + j + " ~ " + PARAMETERS.get(p), rho);
      }
    }
    for (int j = 0; j < d; j++) {
      double rho = spearman(macroU[j], macroV[j]);
      out.metric("spearman_macro_u_v_" + j, rho);
      table.put("macro_u_" + j + " ~ macro_v_" + j, rho);
    }
    report.heading("What the macrostate carries");
    report.paragraph("Spearman's rank correlation on the " + n + " held-out rows of each macrostate of the pattern "
        + "(macro_v_j) with each parameter, and of the parameters' macrostate with the pattern's (macro_u_j ~ "
        + "macro_v_j; near +-1 when both sides agree). NaN: a constant or non-finite column.");
    report.table("pair", "Spearman rho", table);

    int f = PARAMETERS.indexOf("F");
    double[] y = d >= 2 ? macroV[1] : parameters[f];
    List<Series> series = fBins(macroV[0], y, parameters[f]);
    if (series.isEmpty()) {
      out.note(GrayScottAnalysis.MACROSTATE_FIGURE + " not drawn: no held-out row has finite macrostates.");
      return;
    }
    int points = series.stream().mapToInt(x -> x.x().length).sum();
    out.figure(GrayScottAnalysis.MACROSTATE_FIGURE, String.format(java.util.Locale.ROOT, "The macrostates of %,d "
        + "held-out patterns (dimensionless), in %d groups of equal count by the feed rate F of their parameters.",
        points, series.size()), o -> Figures.scatter(
        "Macrostates of held-out patterns, coloured by F", "macro_v_0", d >= 2 ? "macro_v_1" : "F", series, o));
  }
  /** Points (x_i, y_i) in {@link GrayScottAnalysis#F_BINS} bins of equal count by the rank of F, each named by its F range. */
  static List<Series> fBins(double[] x, double[] y, double[] f) {
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && Double.isFinite(f[i])) {
        kept.add(i);
      }
    }
    kept.sort((a, b) -> Double.compare(f[a], f[b]));
    List<Series> out = new ArrayList<>();
    int n = kept.size();
    for (int b = 0; b < GrayScottAnalysis.F_BINS; b++) {
      int from = (int) ((long) b * n / GrayScottAnalysis.F_BINS);
      int to = (int) ((long) (b + 1) * n / GrayScottAnalysis.F_BINS);
      if (to <= from) {
        continue;
      }
      double[] xs = new double[to - from];
      double[] ys = new double[to - from];
      for (int k = from; k < to; k++) {
        xs[k - from] = x[kept.get(k)];
        ys[k - from] = y[kept.get(k)];
      }
      out.add(new Series("F in [" + GrayScottAnalysis.g(f[kept.get(from)]) + ", "
          + GrayScottAnalysis.g(f[kept.get(to - 1)]) + "]", xs, ys));
    }
    return out;
  }

  /** Spearman's rho, NaN when it is undefined (fewer than 2 rows, a constant or non-finite column). */
  private static double spearman(double[] x, double[] y) {
    if (x.length < 2 || Arrays.stream(x).anyMatch(v -> !Double.isFinite(v))
        || Arrays.stream(y).anyMatch(v -> !Double.isFinite(v))) {
      return Double.NaN;
    }
    return RankCorrelation.spearman(x, y);
  }

  private GrayScottHeldOut() {}
}
