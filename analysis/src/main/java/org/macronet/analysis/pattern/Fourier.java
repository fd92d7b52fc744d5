package org.macronet.analysis.pattern;

/**
 * The 2-D discrete Fourier transform of a periodic {@code size x size} field, row-major:
 *
 * <pre>
 *   F(ky, kx) = sum_{y, x} f(y, x) exp(-2 pi i (ky y + kx x) / size)
 * </pre>
 *
 * unnormalised (Parseval: {@code sum |F|^2 = size^2 sum |f|^2}). It is separable: a 1-D
 * transform of every row, then of every column. A power-of-two size uses the iterative radix-2
 * Cooley-Tukey FFT ({@code O(n^2 log n)} for the field); any other size a direct 1-D DFT with a
 * table of twiddles ({@code O(n^3)}), which is fine for the small grids of tests.
 */
public final class Fourier {

  private Fourier() {}

  /**
   * Replaces {@code (re, im)}, the real and imaginary parts of a {@code size x size} row-major
   * field, by its transform {@code F}; frequency {@code k} sits at index {@code k} (so negative
   * frequencies {@code -k} at {@code size - k}).
   *
   * @throws IllegalArgumentException when an array is null, size is below 1, or an array does not
   *     hold exactly {@code size * size} values
   */
  public static void transform(double[] re, double[] im, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be at least 1, found " + size);
    }
    check("re", re, size);
    check("im", im, size);
    Line line = new Line(size);
    for (int y = 0; y < size; y++) {
      line.transform(re, im, y * size, 1);
    }
    for (int x = 0; x < size; x++) {
      line.transform(re, im, x, size);
    }
  }

  private static void check(String name, double[] values, int size) {
    if (values == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    if (values.length != size * size) {
      throw new IllegalArgumentException(name + " must hold size * size = " + size * size
          + " values for size " + size + ", found " + values.length);
    }
  }

  /** A 1-D transform of length n with its twiddles and scratch, reused for every row and column. */
  private static final class Line {
    private final int n;
    private final boolean radix2;
    /** cos and sin of 2 pi j / n for j < n (the direct DFT) or j < n / 2 (the FFT). */
    private final double[] cos;
    private final double[] sin;
    private final double[] bufRe;
    private final double[] bufIm;
    private final int[] reversed;

    Line(int n) {
      this.n = n;
      this.radix2 = Integer.bitCount(n) == 1;
      int twiddles = radix2 ? Math.max(1, n / 2) : n;
      cos = new double[twiddles];
      sin = new double[twiddles];
      for (int j = 0; j < twiddles; j++) {
        double angle = 2 * Math.PI * j / n;
        cos[j] = Math.cos(angle);
        sin[j] = Math.sin(angle);
      }
      bufRe = new double[n];
      bufIm = new double[n];
      reversed = radix2 ? bitReversal(n) : null;
    }

    /** Transforms the n values at {@code offset, offset + stride, ..} in place. */
    void transform(double[] re, double[] im, int offset, int stride) {
      if (radix2) {
        for (int j = 0; j < n; j++) {
          int from = offset + reversed[j] * stride;
          bufRe[j] = re[from];
          bufIm[j] = im[from];
        }
        fft();
      } else {
        dft(re, im, offset, stride);
      }
      for (int j = 0; j < n; j++) {
        re[offset + j * stride] = bufRe[j];
        im[offset + j * stride] = bufIm[j];
      }
    }

    /** Iterative radix-2 butterflies over the bit-reversed buffer. */
    private void fft() {
      for (int half = 1; half < n; half <<= 1) {
        int step = n / (2 * half); // twiddle w^j for this stage is cos/sin[j * step]
        for (int start = 0; start < n; start += 2 * half) {
          for (int j = 0; j < half; j++) {
            double wr = cos[j * step];
            double wi = -sin[j * step];
            int p = start + j;
            int q = p + half;
            double tr = wr * bufRe[q] - wi * bufIm[q];
            double ti = wr * bufIm[q] + wi * bufRe[q];
            bufRe[q] = bufRe[p] - tr;
            bufIm[q] = bufIm[p] - ti;
            bufRe[p] += tr;
            bufIm[p] += ti;
          }
        }
      }
    }

    /** {@code X_k = sum_j x_j exp(-2 pi i j k / n)}, the exponent's index taken mod n. */
    private void dft(double[] re, double[] im, int offset, int stride) {
      for (int k = 0; k < n; k++) {
        double sr = 0;
        double si = 0;
        int index = 0;
        for (int j = 0; j < n; j++) {
          double xr = re[offset + j * stride];
          double xi = im[offset + j * stride];
          double c = cos[index];
          double s = sin[index];
          sr += xr * c + xi * s;
          si += xi * c - xr * s;
          index += k;
          if (index >= n) {
            index -= n;
          }
        }
        bufRe[k] = sr;
        bufIm[k] = si;
      }
    }

    private static int[] bitReversal(int n) {
      int bits = Integer.numberOfTrailingZeros(n);
      int[] out = new int[n];
      for (int j = 0; j < n; j++) {
        out[j] = bits == 0 ? 0 : Integer.reverse(j) >>> (32 - bits);
      }
      return out;
    }
  }
}
