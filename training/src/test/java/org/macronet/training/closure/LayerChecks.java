package org.macronet.training.closure;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.macronet.training.flow.FlowChecks;

/** Shared by the layer tests: random data and every entry of a gradient against central differences. */
final class LayerChecks {
  private LayerChecks() {}

  static float[] gaussian(SplittableRandom r, int count) {
    return FlowChecks.gaussian(r, count, 1.0);
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** sum w .* y in double. */
  static double dot(float[] w, float[] y, int count) {
    double s = 0;
    for (int i = 0; i < count; i++) {
      s += (double) w[i] * y[i];
    }
    return s;
  }

  static double dot(double[] w, double[] y) {
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i] * y[i];
    }
    return s;
  }

  /** Every {@code analytic[i]}, i < count, against the central difference of {@code loss} in {@code a[i]}. */
  static void assertGradient(float[] a, float[] analytic, int count, DoubleSupplier loss, String what) {
    for (int i = 0; i < count; i++) {
      FlowChecks.assertClose(FlowChecks.centralDifference(a, i, loss), analytic[i], what + "[" + i + "]");
    }
  }
}
