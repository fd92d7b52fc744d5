package org.macronet.training.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/**
 * Numerical checks shared by the block tests: inverse round trip, log-det against the
 * log-determinant of a central-difference Jacobian, and every gradient against central
 * differences of the scalar L = sum w .* y + sum c .* logdet with random weights w, c.
 */
public final class FlowChecks {
  private FlowChecks() {}

  public static float[] gaussian(SplittableRandom r, int count, double scale) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) (r.nextGaussian() * scale);
    }
    return x;
  }

  public static void assertInverse(Flow flow, float[] params, float[] x, int n) {
    float[] z = flow.transform(params, 0, x, n, null);
    float[] back = flow.inverse(params, 0, z, n);
    for (int i = 0; i < x.length; i++) {
      double tol = 1e-5 * Math.max(1.0, Math.abs(x[i]));
      assertEquals(x[i], back[i], tol, "inverse(forward(x)) at " + i);
    }
    // and the other way round
    float[] again = flow.transform(params, 0, back, n, null);
    for (int i = 0; i < z.length; i++) {
      assertEquals(z[i], again[i], 1e-5 * Math.max(1.0, Math.abs(z[i])), "forward(inverse(z)) at " + i);
    }
  }

  /** log|det J| of each row against the log|det| of the central-difference Jacobian. */
  public static void assertLogdet(Flow flow, float[] params, float[] x, int n) {
    int d = flow.dim();
    double[] logdet = new double[n];
    flow.transform(params, 0, x, n, logdet);
    float h = 1e-2f;
    for (int i = 0; i < n; i++) {
      double[][] jac = new double[d][d];
      for (int k = 0; k < d; k++) {
        float[] xp = java.util.Arrays.copyOfRange(x, i * d, i * d + d);
        float[] xm = xp.clone();
        xp[k] += h;
        xm[k] -= h;
        float[] yp = flow.transform(params, 0, xp, 1, null);
        float[] ym = flow.transform(params, 0, xm, 1, null);
        double step = (double) xp[k] - xm[k];
        for (int j = 0; j < d; j++) {
          jac[j][k] = ((double) yp[j] - ym[j]) / step;
        }
      }
      double expected = logAbsDet(jac);
      assertEquals(expected, logdet[i], 2e-3 * Math.max(1, Math.abs(expected)), "log-det of row " + i);
    }
  }

  static double logAbsDet(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    double logdet = 0;
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] t = m[c];
      m[c] = m[p];
      m[p] = t;
      double pivot = m[c][c];
      logdet += Math.log(Math.abs(pivot));
      for (int r = c + 1; r < n; r++) {
        double f = m[r][c] / pivot;
        for (int k = c; k < n; k++) {
          m[r][k] -= f * m[c][k];
        }
      }
    }
    return logdet;
  }

  /** Every input and parameter gradient of L = sum w .* z + sum c .* logdet against central differences. */
  public static void assertGradients(Flow flow, float[] params, float[] x, int n, long seed) {
    int d = flow.dim();
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = gaussian(r, n * d, 1.0);
    float[] c = gaussian(r, n, 1.0);
    Flow.Workspace ws = flow.newWorkspace(n);
    flow.forward(params, 0, x, n, ws);
    float[] grad = new float[params.length];
    float[] dx = new float[n * d];
    flow.backward(params, 0, w, c, n, ws, grad, 0, dx);

    for (int i = 0; i < x.length; i++) {
      assertClose(centralDifference(x, i, () -> loss(flow, params, x, n, w, c)), dx[i], "dL/dx[" + i + "]");
    }
    for (int p = 0; p < params.length; p++) {
      assertClose(centralDifference(params, p, () -> loss(flow, params, x, n, w, c)), grad[p], "dL/dparam[" + p + "]");
    }
  }

  /**
   * (L(a_i + h) - L(a_i - h)) / (the step actually taken in float), h = 1e-3, restoring a_i;
   * {@code loss} evaluates L on the current contents of {@code a}.
   */
  public static double centralDifference(float[] a, int i, java.util.function.DoubleSupplier loss) {
    float h = 1e-3f;
    float keep = a[i];
    a[i] = keep + h;
    double lp = loss.getAsDouble();
    float up = a[i];
    a[i] = keep - h;
    double lm = loss.getAsDouble();
    float down = a[i];
    a[i] = keep;
    return (lp - lm) / ((double) up - down);
  }

  /** |fd - analytic| <= 5e-3 + 1e-2 max(|fd|, |analytic|). */
  public static void assertClose(double fd, double analytic, String what) {
    double tol = 5e-3 + 1e-2 * Math.max(Math.abs(fd), Math.abs(analytic));
    assertTrue(Math.abs(fd - analytic) <= tol, what + ": central difference " + fd + ", backward " + analytic);
  }

  private static double loss(Flow flow, float[] params, float[] x, int n, float[] w, float[] c) {
    double[] logdet = new double[n];
    float[] z = flow.transform(params, 0, x, n, logdet);
    double l = 0;
    for (int i = 0; i < z.length; i++) {
      l += (double) w[i] * z[i];
    }
    for (int i = 0; i < n; i++) {
      l += c[i] * logdet[i];
    }
    return l;
  }
}
