package org.macronet.analysis.pattern;

import java.io.Serializable;
import java.util.List;

/**
 * A distance between {@link PatternDescriptor}s with every feature put on the scale of a reference
 * set (in the design job: patterns of parameters drawn at random from the prior):
 *
 * <pre>
 *   d(x, y) = sqrt( sum_j ((x_j - y_j) / s_j)^2 + (W(x, y) / s_W)^2 )
 *
 *   W(x, y) = sum_{r = 1 .. size/2} |P_x(r) - P_y(r)|,   P(r) = sum_{q <= r} spectrum(q)
 * </pre>
 *
 * where {@code x_j} are the scalar {@link PatternDescriptor#features()} and {@code W} is the
 * earth mover's (1-Wasserstein) distance between the two radial power spectra, in bins: unlike an
 * L1 or L2 distance of the spectra, it grows with how far apart the peaks are, so a wavelength of
 * 10 against 11 costs less than 10 against 30. The scales are the reference's spread, each
 * floored so that a feature constant over the reference does not divide by zero:
 *
 * <ul>
 *   <li>{@code s_j = max(std_j, floor)}, {@code std_j} the population standard deviation of
 *       feature j over the reference;
 *   <li>{@code s_W = max(sqrt(mean_i W(ref_i, mean)^2), floor)}, the root-mean-square distance of
 *       the reference spectra from their mean spectrum (for a scalar this is exactly its std).
 * </ul>
 *
 * Two patterns drawn like the reference then differ by about sqrt(2) in each term (root mean
 * square), so no feature dominates by its units alone. Every term is a pseudo-metric, so
 * {@code d} is one too: symmetric, zero for identical descriptors (and for descriptors that differ
 * only by a shift or rotation of the pattern), obeying the triangle inequality, and finite for
 * flat patterns (whose all-zero spectrum has {@code P = 0}).
 */
public final class DescriptorDistance implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The default floor on every scale, far below the spread of any feature over real patterns. */
  public static final double DEFAULT_FLOOR = 1e-6;

  private final int size;
  private final double[] scales;
  private final double spectrumScale;

  private DescriptorDistance(int size, double[] scales, double spectrumScale) {
    this.size = size;
    this.scales = scales;
    this.spectrumScale = spectrumScale;
  }

  /** The distance scaled by {@code reference}, with {@link #DEFAULT_FLOOR}. */
  public static DescriptorDistance fit(List<PatternDescriptor> reference) {
    return fit(reference, DEFAULT_FLOOR);
  }

  /**
   * The distance scaled by the spread of {@code reference} (see the class comment).
   *
   * @throws IllegalArgumentException when the reference is null, holds fewer than 2 descriptors or
   *     a null, mixes grid sizes, or the floor is not finite and positive
   */
  public static DescriptorDistance fit(List<PatternDescriptor> reference, double floor) {
    if (!(Double.isFinite(floor) && floor > 0)) {
      throw new IllegalArgumentException("floor must be finite and > 0, found " + floor);
    }
    if (reference == null || reference.size() < 2) {
      throw new IllegalArgumentException("the reference must hold at least 2 descriptors, found "
          + (reference == null ? "null" : reference.size()));
    }
    for (int i = 0; i < reference.size(); i++) {
      if (reference.get(i) == null) {
        throw new IllegalArgumentException("reference descriptor " + i + " must not be null");
      }
    }
    int size = reference.get(0).size();
    for (int i = 1; i < reference.size(); i++) {
      if (reference.get(i).size() != size) {
        throw new IllegalArgumentException("reference descriptors must share one grid size: descriptor 0 has size "
            + size + ", descriptor " + i + " has size " + reference.get(i).size());
      }
    }
    int n = reference.size();
    int features = PatternDescriptor.featureNames().size();
    double[] mean = new double[features];
    double[] meanSpectrum = new double[size / 2];
    for (PatternDescriptor d : reference) {
      double[] x = d.features();
      for (int j = 0; j < features; j++) {
        mean[j] += x[j] / n;
      }
      double[] p = d.spectrumView();
      for (int r = 0; r < p.length; r++) {
        meanSpectrum[r] += p[r] / n;
      }
    }
    double[] scales = new double[features];
    double spectrumSquares = 0;
    for (PatternDescriptor d : reference) {
      double[] x = d.features();
      for (int j = 0; j < features; j++) {
        double dev = x[j] - mean[j];
        scales[j] += dev * dev / n;
      }
      double w = earthMovers(d.spectrumView(), meanSpectrum);
      spectrumSquares += w * w / n;
    }
    for (int j = 0; j < features; j++) {
      scales[j] = Math.max(Math.sqrt(scales[j]), floor);
    }
    return new DescriptorDistance(size, scales, Math.max(Math.sqrt(spectrumSquares), floor));
  }

  /**
   * {@code d(x, y)} as in the class comment.
   *
   * @throws IllegalArgumentException when a descriptor is null or its grid size is not the
   *     reference's
   */
  public double distance(PatternDescriptor x, PatternDescriptor y) {
    check("x", x);
    check("y", y);
    double[] fx = x.features();
    double[] fy = y.features();
    double sum = 0;
    for (int j = 0; j < fx.length; j++) {
      double t = (fx[j] - fy[j]) / scales[j];
      sum += t * t;
    }
    double w = earthMovers(x.spectrumView(), y.spectrumView()) / spectrumScale;
    return Math.sqrt(sum + w * w);
  }

  /** The grid size of the reference, which every compared descriptor must have. */
  public int size() {
    return size;
  }

  /** A copy of the scalar features' scales {@code s_j}, in the order of {@link PatternDescriptor#featureNames()}. */
  public double[] scales() {
    return scales.clone();
  }

  /** The spectrum's scale {@code s_W}. */
  public double spectrumScale() {
    return spectrumScale;
  }

  /** {@code W = sum_r |P(r) - Q(r)|} over the cumulative sums P and Q of the two spectra. */
  static double earthMovers(double[] p, double[] q) {
    double cp = 0;
    double cq = 0;
    double sum = 0;
    for (int r = 0; r < p.length; r++) {
      cp += p[r];
      cq += q[r];
      sum += Math.abs(cp - cq);
    }
    return sum;
  }

  private void check(String name, PatternDescriptor d) {
    if (d == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (d.size() != size) {
      throw new IllegalArgumentException(name + " has grid size " + d.size() + ", the reference has " + size);
    }
  }
}
