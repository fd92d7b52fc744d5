package org.macronet.analysis.pattern;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A rotation- and translation-invariant summary of a Gray-Scott pattern: {@code 2 size^2} values,
 * channel a ({@code size x size}, row-major) then channel b, on a periodic grid (a torus).
 *
 * <p>Every feature depends only on the pattern up to a periodic shift, a rotation by 90 degrees
 * or a reflection (a transpose): the power spectrum loses the phase, its radial bins the
 * direction, and the moments and component statistics ignore where the cells are.
 *
 * <ul>
 *   <li>{@code spectrum[r - 1]}, r = 1 .. size / 2: the power of {@code b - mean(b)} averaged
 *       over the wave vectors {@code (kx, ky)} (integers in {@code [-size/2, size/2)}, in units of
 *       {@code 2 pi / size}) whose length {@code |k|} rounds to r; the last bin also takes the
 *       corners {@code |k| > size/2}, so the bins hold all the variance. The bins are then
 *       normalised to sum 1. A flat b (population variance below
 *       {@link Settings#flatVariance()}) has an all-zero spectrum: there is no shape to normalise.
 *   <li>{@code dominantWavelength = size / r*} in cells, where r* is the peak bin refined by the
 *       parabola through it and its two neighbours ({@code r* = r + (p_{r-1} - p_{r+1}) / (2
 *       (p_{r-1} - 2 p_r + p_{r+1}))}, no refinement at the first or last bin); 0 for a flat b.
 *       The peak, not a power-weighted mean radius, because the harmonics of sharp-edged spots and
 *       bands would pull a mean towards short wavelengths.
 *   <li>mean and population variance of a and of b;
 *   <li>{@code area}: the fraction of cells with b strictly above {@link Settings#threshold()};
 *   <li>{@code components}, {@code meanComponentSize}: the count of periodic 4-connected
 *       components of those cells ({@link ConnectedComponents}) and their mean size in cells (0
 *       when there is none).
 * </ul>
 *
 * <p>Instances are immutable (arrays are copied in and out) and compare by value.
 *
 * @param size the grid side
 * @param spectrum the normalised radial power spectrum of b, {@code size / 2} bins
 * @param dominantWavelength the wavelength of the spectrum's peak, in cells; 0 for a flat b
 * @param meanA mean of a
 * @param varianceA population variance of a
 * @param meanB mean of b
 * @param varianceB population variance of b
 * @param area fraction of cells with b above the threshold, in [0, 1]
 * @param components number of connected components of those cells
 * @param meanComponentSize mean component size in cells, 0 when there is no component
 */
public record PatternDescriptor(int size, double[] spectrum, double dominantWavelength, double meanA,
    double varianceA, double meanB, double varianceB, double area, int components, double meanComponentSize)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Names of {@link #features()}, in order. */
  private static final List<String> FEATURE_NAMES = List.of("dominant_wavelength", "mean_a", "variance_a",
      "mean_b", "variance_b", "area", "components", "mean_component_size");

  /**
   * How a pattern is summarised.
   *
   * @param threshold b above which a cell belongs to the pattern. Default {@code 0.1}: the trivial
   *     state has b = 0 (so a run that decays has area 0 and no component), while spots and
   *     stripes reach b of about 0.2 to 0.4 at their centres (and the seeded discs start at
   *     0.25), so 0.1 sits between background and pattern, far above float noise.
   * @param flatVariance population variance of b below which b counts as flat (zero spectrum,
   *     wavelength 0). Default {@code 1e-8}, a standard deviation of 1e-4: patterns vary b by
   *     0.1 or more, a decayed run by nothing at all.
   */
  public record Settings(double threshold, double flatVariance) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code threshold = 0.1}, {@code flatVariance = 1e-8}. */
    public static final Settings DEFAULT = new Settings(0.1, 1e-8);

    public Settings {
      if (!Double.isFinite(threshold)) {
        throw new IllegalArgumentException("threshold must be finite, found " + threshold);
      }
      if (!(Double.isFinite(flatVariance) && flatVariance >= 0)) {
        throw new IllegalArgumentException("flatVariance must be finite and >= 0, found " + flatVariance);
      }
    }
  }

  public PatternDescriptor {
    if (size < 2) {
      throw new IllegalArgumentException("size must be at least 2, found " + size);
    }
    if (spectrum == null || spectrum.length != size / 2) {
      throw new IllegalArgumentException("spectrum must hold size / 2 = " + size / 2 + " bins, found "
          + (spectrum == null ? "null" : spectrum.length));
    }
    spectrum = spectrum.clone();
    for (int r = 0; r < spectrum.length; r++) {
      if (!(spectrum[r] >= 0 && spectrum[r] <= 1)) {
        throw new IllegalArgumentException("spectrum[" + r + "] must be in [0, 1], found " + spectrum[r]);
      }
    }
    checkFinite("dominantWavelength", dominantWavelength);
    checkFinite("meanA", meanA);
    checkFinite("varianceA", varianceA);
    checkFinite("meanB", meanB);
    checkFinite("varianceB", varianceB);
    if (!(area >= 0 && area <= 1)) {
      throw new IllegalArgumentException("area must be in [0, 1], found " + area);
    }
    if (components < 0) {
      throw new IllegalArgumentException("components must be >= 0, found " + components);
    }
    checkFinite("meanComponentSize", meanComponentSize);
  }

  /** The descriptor of the pattern at {@code pattern[offset ..]} with {@link Settings#DEFAULT}. */
  public static PatternDescriptor of(float[] pattern, int offset, int size) {
    return of(pattern, offset, size, Settings.DEFAULT);
  }

  /**
   * The descriptor of the pattern {@code pattern[offset .. offset + 2 size^2)}: a, then b.
   *
   * @throws IllegalArgumentException when the pattern is null or too short for the offset and
   *     size, size is below 2, or a value is not finite (naming its channel and cell)
   */
  public static PatternDescriptor of(float[] pattern, int offset, int size, Settings settings) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    if (size < 2) {
      throw new IllegalArgumentException("size must be at least 2, found " + size);
    }
    if (pattern == null) {
      throw new IllegalArgumentException("pattern must not be null");
    }
    int n = size * size;
    if (offset < 0 || (long) offset + 2L * n > pattern.length) {
      throw new IllegalArgumentException("pattern of length " + pattern.length + " has no 2 * " + size + " * "
          + size + " = " + 2 * n + " values at offset " + offset);
    }
    int offsetB = offset + n;
    for (int i = 0; i < 2 * n; i++) {
      if (!Float.isFinite(pattern[offset + i])) {
        int cell = i % n;
        throw new IllegalArgumentException("pattern channel " + (i < n ? "a" : "b") + " at row " + cell / size
            + ", column " + cell % size + " must be finite, found " + pattern[offset + i]);
      }
    }
    double meanA = mean(pattern, offset, n);
    double meanB = mean(pattern, offsetB, n);
    double varianceA = variance(pattern, offset, n, meanA);
    double varianceB = variance(pattern, offsetB, n, meanB);

    double[] spectrum = new double[size / 2];
    double wavelength = 0;
    if (varianceB >= settings.flatVariance() && varianceB > 0) {
      radialSpectrum(pattern, offsetB, size, meanB, spectrum);
      wavelength = size / peakRadius(spectrum);
    }

    ConnectedComponents found = ConnectedComponents.of(pattern, offsetB, size, size, settings.threshold());
    double area = (double) found.cells() / n;
    double meanComponentSize = found.count() == 0 ? 0 : (double) found.cells() / found.count();
    return new PatternDescriptor(size, spectrum, wavelength, meanA, varianceA, meanB, varianceB, area,
        found.count(), meanComponentSize);
  }

  /** Names of the values of {@link #features()}, in order. */
  public static List<String> featureNames() {
    return FEATURE_NAMES;
  }

  /**
   * The scalar features that {@link DescriptorDistance} compares one by one, in the order of
   * {@link #featureNames()}: dominant_wavelength, mean_a, variance_a, mean_b, variance_b, area,
   * components, mean_component_size. The spectrum is compared as a whole, apart.
   */
  public double[] features() {
    return new double[] {
      dominantWavelength, meanA, varianceA, meanB, varianceB, area, components, meanComponentSize
    };
  }

  /** A copy of the normalised radial power spectrum; bin {@code r - 1} holds radius r. */
  @Override
  public double[] spectrum() {
    return spectrum.clone();
  }

  /** Whether b was flat: then the spectrum is all zero and the wavelength 0. */
  public boolean flat() {
    return dominantWavelength == 0;
  }

  /** The spectrum itself, for readers in this package that do not modify it. */
  double[] spectrumView() {
    return spectrum;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PatternDescriptor d
        && size == d.size
        && Arrays.equals(spectrum, d.spectrum)
        && Arrays.equals(features(), d.features());
  }

  @Override
  public int hashCode() {
    return 31 * (31 * size + Arrays.hashCode(spectrum)) + Arrays.hashCode(features());
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("PatternDescriptor[size=").append(size);
    double[] values = features();
    for (int j = 0; j < values.length; j++) {
      s.append(", ").append(FEATURE_NAMES.get(j)).append('=').append(values[j]);
    }
    return s.append(", spectrum=").append(Arrays.toString(spectrum)).append(']').toString();
  }

  /**
   * Writes the normalised, radially averaged power of {@code b - meanB} into {@code bins} (see the
   * class comment). Needs b not flat, so that the total power is positive.
   */
  private static void radialSpectrum(float[] pattern, int offsetB, int size, double meanB, double[] bins) {
    int n = size * size;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int i = 0; i < n; i++) {
      re[i] = pattern[offsetB + i] - meanB;
    }
    Fourier.transform(re, im, size);
    int last = bins.length;
    int[] modes = new int[last];
    for (int y = 0; y < size; y++) {
      int ky = y <= size / 2 ? y : y - size; // y = size/2 is the Nyquist row, +-size/2 alike
      for (int x = 0; x < size; x++) {
        int kx = x <= size / 2 ? x : x - size;
        int r = (int) Math.round(Math.sqrt((double) kx * kx + (double) ky * ky));
        if (r == 0) {
          continue;
        }
        r = Math.min(r, last);
        int i = y * size + x;
        bins[r - 1] += re[i] * re[i] + im[i] * im[i];
        modes[r - 1]++;
      }
    }
    double total = 0;
    for (int r = 0; r < last; r++) {
      bins[r] /= modes[r]; // every radius 1 .. size/2 is reached by (r, 0)
      total += bins[r];
    }
    for (int r = 0; r < last; r++) {
      bins[r] /= total;
    }
  }

  /** The peak's radius (bin index + 1), refined by a parabola through the peak and its neighbours. */
  private static double peakRadius(double[] p) {
    int peak = 0;
    for (int r = 1; r < p.length; r++) {
      if (p[r] > p[peak]) {
        peak = r;
      }
    }
    double radius = peak + 1;
    if (peak > 0 && peak < p.length - 1) {
      double curvature = p[peak - 1] - 2 * p[peak] + p[peak + 1];
      if (curvature < 0) {
        radius += 0.5 * (p[peak - 1] - p[peak + 1]) / curvature;
      }
    }
    return radius;
  }

  private static double mean(float[] values, int offset, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += values[offset + i];
    }
    return sum / n;
  }

  private static double variance(float[] values, int offset, int n, double mean) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = values[offset + i] - mean;
      sum += d * d;
    }
    return sum / n;
  }

  private static void checkFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, found " + value);
    }
  }
}
