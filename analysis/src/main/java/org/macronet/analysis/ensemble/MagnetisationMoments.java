package org.macronet.analysis.ensemble;

/**
 * Moments of a magnetisation-like series sampled from a stationary process: the count, the sums of
 * m, |m|, m^2 and m^4, and what finite-size scaling reads from them. For an L x L lattice of
 * N = L^2 sites at temperature T:
 * <ul>
 *   <li>the susceptibility chi = N (&lt;m^2&gt; - &lt;|m|&gt;^2) / T, the finite-lattice estimate that stays
 *       finite across the transition (the magnetisation of a finite lattice at h = 0 averages to 0);</li>
 *   <li>chi' = N &lt;m^2&gt; / T, which grows like chi at the critical point;</li>
 *   <li>the Binder cumulant U = 1 - &lt;m^4&gt; / (3 &lt;m^2&gt;^2): 2/3 for m = +-a, 0 for a Gaussian m.</li>
 * </ul>
 * Partial moments merge by adding their sums, so samples taken in fixed blocks and merged in a
 * fixed order give the same numbers however the blocks were spread over threads or machines.
 */
public final class MagnetisationMoments implements java.io.Serializable {
  private long count;
  private double sum;
  private double sumAbs;
  private double sum2;
  private double sum4;

  /** Adds one sample. */
  public void add(double m) {
    double m2 = m * m;
    count++;
    sum += m;
    sumAbs += Math.abs(m);
    sum2 += m2;
    sum4 += m2 * m2;
  }

  /** Adds the samples of {@code other} to these. */
  public void merge(MagnetisationMoments other) {
    count += other.count;
    sum += other.sum;
    sumAbs += other.sumAbs;
    sum2 += other.sum2;
    sum4 += other.sum4;
  }

  public long count() {
    return count;
  }

  /** &lt;m&gt;. */
  public double mean() {
    return sum / checked();
  }

  /** &lt;|m|&gt;. */
  public double meanAbs() {
    return sumAbs / checked();
  }

  /** &lt;m^2&gt;. */
  public double second() {
    return sum2 / checked();
  }

  /** &lt;m^4&gt;. */
  public double fourth() {
    return sum4 / checked();
  }

  /** chi = N (&lt;m^2&gt; - &lt;|m|&gt;^2) / T for {@code sites} = N sites at temperature {@code t}. */
  public double susceptibility(long sites, double t) {
    double a = meanAbs();
    return sites * (second() - a * a) / t;
  }

  /** chi' = N &lt;m^2&gt; / T. */
  public double susceptibilityOfSecondMoment(long sites, double t) {
    return sites * second() / t;
  }

  /** U = 1 - &lt;m^4&gt; / (3 &lt;m^2&gt;^2). */
  public double binderCumulant() {
    double s = second();
    return 1 - fourth() / (3 * s * s);
  }

  private long checked() {
    if (count == 0) {
      throw new IllegalStateException("no samples");
    }
    return count;
  }
}
