package org.macronet.analysis.stats;

/**
 * How strongly a designed parameter depends on the design's target: the spread of its values
 * across targets over the spread within a target. With {@code x_{t,i}}, i = 1 .. n_t, the values
 * designed for target t = 1 .. T,
 *
 * <pre>
 *   m_t        = (1 / n_t) sum_i x_{t,i}                        (the target's mean)
 *   v_t        = (1 / (n_t - 1)) sum_i (x_{t,i} - m_t)^2        (its sample variance)
 *   between    = sqrt( (1 / (T - 1)) sum_t (m_t - mean_t m_t)^2 )  (sample std of the means)
 *   within     = sqrt( (1 / T) sum_t v_t )                      (every target weighs the same)
 *   importance = between / within
 * </pre>
 *
 * For T targets of n values each this is {@code sqrt(F / n)}, F the one-way ANOVA statistic: a
 * parameter whose designed values do not depend on the target (the same distribution for every
 * target) has {@code importance ~ 1 / sqrt(n)}, one that the target determines is much larger.
 *
 * <p>When every target's values are constant ({@code within = 0}) the importance is
 * {@code +Infinity} if the means differ (the target fixes the parameter) and NaN if they do not
 * (a parameter fixed in the prior: the ratio is undefined, and nothing is learned about it).
 */
public final class ParameterImportance {

  private ParameterImportance() {}

  /**
   * The importance of one parameter from its designed values, one row per target.
   *
   * @param values {@code values[t]} holds the values designed for target t, at least 2 each
   * @throws IllegalArgumentException when values is null, has fewer than 2 targets, a row is null
   *     or holds fewer than 2 values, or a value is not finite (naming the target and the index)
   */
  public static double of(double[][] values) {
    if (values == null) {
      throw new IllegalArgumentException("values must not be null");
    }
    if (values.length < 2) {
      throw new IllegalArgumentException("importance needs at least 2 targets, found " + values.length);
    }
    int targets = values.length;
    double[] means = new double[targets];
    double within = 0;
    for (int t = 0; t < targets; t++) {
      double[] row = values[t];
      if (row == null) {
        throw new IllegalArgumentException("values for target " + t + " must not be null");
      }
      if (row.length < 2) {
        throw new IllegalArgumentException("target " + t + " needs at least 2 designed values, found " + row.length);
      }
      for (int i = 0; i < row.length; i++) {
        if (!Double.isFinite(row[i])) {
          throw new IllegalArgumentException(
              "values[" + t + "][" + i + "] (target " + t + ") must be finite, found " + row[i]);
        }
      }
      means[t] = constant(row) ? row[0] : Summary.mean(row);
      within += sampleVariance(row) / targets;
    }
    double between = Math.sqrt(sampleVariance(means));
    if (within == 0) {
      return between == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
    }
    return between / Math.sqrt(within);
  }

  /**
   * The importance from per-target summaries, for callers that aggregate each target's values
   * where they lie (a Spark {@code groupBy(target)} with {@code avg} and {@code var_samp}): the
   * formula of {@link #of} with {@code m_t = means[t]} and {@code v_t = variances[t]}, equal to
   * {@code of(values)} when the summaries are those of {@code values}.
   *
   * <p>A target whose values are all equal should pass its exact value as its mean (e.g. its
   * minimum when {@code min == max}), not a computed average that may be off by an ulp, so that a
   * parameter fixed in the prior gives NaN, as {@link #of} does, and not {@code +Infinity}.
   *
   * @param means {@code means[t]}: the mean of the values designed for target t, finite
   * @param variances {@code variances[t]}: their sample variance (divisor {@code n_t - 1}),
   *     finite and at least 0; each target needs at least 2 values for it to be defined
   * @throws IllegalArgumentException when an array is null, they differ in length, there are
   *     fewer than 2 targets, a mean is not finite, or a variance is negative or not finite (naming
   *     the target)
   */
  public static double ofSummaries(double[] means, double[] variances) {
    if (means == null || variances == null) {
      throw new IllegalArgumentException("means and variances must not be null, found "
          + (means == null ? "null" : "an array") + " and " + (variances == null ? "null" : "an array"));
    }
    if (means.length != variances.length) {
      throw new IllegalArgumentException("means and variances must have one value per target, found "
          + means.length + " and " + variances.length);
    }
    if (means.length < 2) {
      throw new IllegalArgumentException("importance needs at least 2 targets, found " + means.length);
    }
    int targets = means.length;
    double within = 0;
    for (int t = 0; t < targets; t++) {
      if (!Double.isFinite(means[t])) {
        throw new IllegalArgumentException("means[" + t + "] (target " + t + ") must be finite, found " + means[t]);
      }
      if (!(variances[t] >= 0 && Double.isFinite(variances[t]))) {
        throw new IllegalArgumentException("variances[" + t + "] (target " + t + ") must be finite and >= 0, found "
            + variances[t]);
      }
      within += variances[t] / targets;
    }
    double between = Math.sqrt(sampleVariance(means));
    if (within == 0) {
      return between == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
    }
    return between / Math.sqrt(within);
  }

  /** The sample variance, exactly 0 for equal values (whose computed mean may be off by an ulp). */
  private static double sampleVariance(double[] x) {
    if (constant(x)) {
      return 0;
    }
    double std = Summary.sampleStd(x);
    return std * std;
  }

  private static boolean constant(double[] x) {
    for (double v : x) {
      if (v != x[0]) {
        return false;
      }
    }
    return true;
  }
}
