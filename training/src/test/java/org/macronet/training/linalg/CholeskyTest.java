package org.macronet.training.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CholeskyTest {

  /** A random symmetric positive-definite d x d matrix A A^T + d I. */
  static double[] spd(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[d * d];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double sum = i == j ? d : 0;
        for (int k = 0; k < d; k++) {
          sum += a[i * d + k] * a[j * d + k];
        }
        s[i * d + j] = sum;
      }
    }
    return s;
  }

  @Test
  void factorSolveInverseAndLogDeterminant() {
    for (int d : new int[] {1, 2, 4, 7}) {
      double[] s = spd(d, d);
      Cholesky c = new Cholesky(d);
      c.factor(s);
      double[] l = c.factorMatrix();
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double sum = 0;
          for (int k = 0; k < d; k++) {
            sum += l[i * d + k] * l[j * d + k];
          }
          assertEquals(s[i * d + j], sum, 1e-12 * d * d, "L L^T at " + i + ", " + j);
        }
      }
      double[] b = new double[d];
      for (int i = 0; i < d; i++) {
        b[i] = i + 1;
      }
      double[] y = new double[d];
      c.solve(b, y);
      for (int i = 0; i < d; i++) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
          sum += s[i * d + k] * y[k];
        }
        assertEquals(b[i], sum, 1e-10, "S y = b at " + i);
      }
      double[] inv = new double[d * d];
      c.inverse(inv);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double sum = 0;
          for (int k = 0; k < d; k++) {
            sum += s[i * d + k] * inv[k * d + j];
          }
          assertEquals(i == j ? 1 : 0, sum, 1e-10, "S S^-1 at " + i + ", " + j);
        }
      }
      assertEquals(logDetByElimination(s, d), c.logDeterminant(), 1e-10, "log det, d = " + d);
    }
  }

  private static double logDetByElimination(double[] s, int d) {
    double[] m = s.clone();
    double logdet = 0;
    for (int c = 0; c < d; c++) {
      double pivot = m[c * d + c];
      logdet += Math.log(pivot);
      for (int r = c + 1; r < d; r++) {
        double f = m[r * d + c] / pivot;
        for (int k = c; k < d; k++) {
          m[r * d + k] -= f * m[c * d + k];
        }
      }
    }
    return logdet;
  }

  @Test
  void aMatrixThatIsNotPositiveDefiniteIsRefused() {
    Cholesky c = new Cholesky(2);
    assertThrows(IllegalArgumentException.class, () -> c.factor(new double[] {1, 2, 2, 1}));
    assertThrows(IllegalArgumentException.class, () -> c.factor(new double[] {Double.NaN, 0, 0, 1}));
  }
}
