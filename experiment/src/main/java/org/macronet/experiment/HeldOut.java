package org.macronet.experiment;

import java.util.Map;

/**
 * The held-out rows as the analysis sees them, ordered by sample id: their parameters and both
 * macrostates, never the observations (unless a study asks for scalar ones as extras).
 *
 * @param u n x uDim, row-major, in the model's u column order
 * @param mu n x d, m_u(u); {@code mv} likewise m_v(v)
 * @param extras the study's {@link DesignStudy#heldOutExtras()} columns, n values each
 */
public record HeldOut(long[] sampleIds, float[] u, int uDim, float[] mu, float[] mv, int d,
    Map<String, double[]> extras) {

  public int rows() {
    return sampleIds.length;
  }

  /** Column {@code c} of u as doubles. */
  public double[] uColumn(int c) {
    double[] out = new double[rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = u[i * uDim + c];
    }
    return out;
  }

  /** Component {@code k} of m_u (or of m_v when {@code ofV}) as doubles. */
  public double[] macrostate(boolean ofV, int k) {
    float[] m = ofV ? mv : mu;
    double[] out = new double[rows()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m[i * d + k];
    }
    return out;
  }

  /** Extra column {@code name}. */
  public double[] extra(String name) {
    double[] x = extras.get(name);
    if (x == null) {
      throw new IllegalArgumentException("held-out column " + name + " was not read; extras: " + extras.keySet());
    }
    return x;
  }
}
