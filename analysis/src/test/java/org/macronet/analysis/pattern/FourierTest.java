package org.macronet.analysis.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FourierTest {

  /** The definition, O(size^4): F(ky, kx) = sum f(y, x) exp(-2 pi i (ky y + kx x) / size). */
  private static double[][] naive(double[] re, double[] im, int size) {
    double[] outRe = new double[size * size];
    double[] outIm = new double[size * size];
    for (int ky = 0; ky < size; ky++) {
      for (int kx = 0; kx < size; kx++) {
        double sr = 0;
        double si = 0;
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            double angle = -2 * Math.PI * ((double) ky * y + (double) kx * x) / size;
            double c = Math.cos(angle);
            double s = Math.sin(angle);
            int i = y * size + x;
            sr += re[i] * c - im[i] * s;
            si += re[i] * s + im[i] * c;
          }
        }
        outRe[ky * size + kx] = sr;
        outIm[ky * size + kx] = si;
      }
    }
    return new double[][] {outRe, outIm};
  }

  private static void matchesTheDefinition(int size) {
    SplittableRandom random = new SplittableRandom(size);
    double[] re = new double[size * size];
    double[] im = new double[size * size];
    for (int i = 0; i < re.length; i++) {
      re[i] = random.nextDouble(-1, 1);
      im[i] = random.nextDouble(-1, 1);
    }
    double[][] expected = naive(re, im, size);
    double energy = 0;
    for (int i = 0; i < re.length; i++) {
      energy += re[i] * re[i] + im[i] * im[i];
    }
    Fourier.transform(re, im, size);
    double power = 0;
    for (int i = 0; i < re.length; i++) {
      assertEquals(expected[0][i], re[i], 1e-10, "re at " + i + " for size " + size);
      assertEquals(expected[1][i], im[i], 1e-10, "im at " + i + " for size " + size);
      power += re[i] * re[i] + im[i] * im[i];
    }
    // Parseval: sum |F|^2 = size^2 sum |f|^2
    assertEquals(size * size * energy, power, 1e-9 * power, "Parseval for size " + size);
  }

  @Test
  void radix2FftMatchesTheDefinition() {
    matchesTheDefinition(8);
    matchesTheDefinition(16);
    matchesTheDefinition(2);
  }

  @Test
  void directDftMatchesTheDefinitionForOtherSizes() {
    matchesTheDefinition(6);
    matchesTheDefinition(5);
    matchesTheDefinition(1);
  }

  @Test
  void aCosineIsTwoPeaks() {
    // f = cos(2 pi 3 x / 8): F = 32 at kx = 3 and kx = 8 - 3 on the row ky = 0, 0 elsewhere
    int size = 8;
    double[] re = new double[size * size];
    double[] im = new double[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        re[y * size + x] = Math.cos(2 * Math.PI * 3 * x / size);
      }
    }
    Fourier.transform(re, im, size);
    for (int i = 0; i < re.length; i++) {
      double expected = i == 3 || i == 5 ? 32 : 0;
      assertEquals(expected, re[i], 1e-12, "re at " + i);
      assertEquals(0, im[i], 1e-12, "im at " + i);
    }
  }

  @Test
  void wrongLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Fourier.transform(new double[16], new double[15], 4));
    assertTrue(e.getMessage().contains("im") && e.getMessage().contains("15"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fourier.transform(new double[0], new double[0], 0));
  }
}
