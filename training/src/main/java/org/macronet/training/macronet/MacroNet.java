package org.macronet.training.macronet;

import org.macronet.training.flow.Flow;

/**
 * MacroNet's two flows f_u (n_u wide) and f_v (n_v wide) over one flat parameter array: f_u at
 * offset 0 and f_v after it, or one shared flow ({@code shared}, as for the oscillator) used for
 * both sides. The macrostate of a microstate is the first {@code d} outputs of its flow.
 */
public final class MacroNet {
  private final Flow flowU;
  private final Flow flowV;
  private final boolean shared;
  private final int macroDim;

  public MacroNet(Flow flowU, Flow flowV, boolean shared, int macroDim) {
    if (shared && flowU != flowV) {
      throw new IllegalArgumentException("a shared MacroNet uses one flow for both sides");
    }
    if (macroDim < 1 || macroDim > Math.min(flowU.dim(), flowV.dim())) {
      throw new IllegalArgumentException("macrostate dimension must lie in [1, min(n_u, n_v)] = [1, "
          + Math.min(flowU.dim(), flowV.dim()) + "], found " + macroDim);
    }
    this.flowU = flowU;
    this.flowV = flowV;
    this.shared = shared;
    this.macroDim = macroDim;
  }

  public Flow flowU() {
    return flowU;
  }

  public Flow flowV() {
    return flowV;
  }

  public boolean shared() {
    return shared;
  }

  public int macroDim() {
    return macroDim;
  }

  public int uDim() {
    return flowU.dim();
  }

  public int vDim() {
    return flowV.dim();
  }

  public int baseU() {
    return 0;
  }

  public int baseV() {
    return shared ? 0 : flowU.parameterCount();
  }

  public int parameterCount() {
    return shared ? flowU.parameterCount() : flowU.parameterCount() + flowV.parameterCount();
  }

  /** m_u(u) for n rows: n x d, row-major. */
  public float[] macrostatesU(float[] params, float[] u, int n) {
    return firstColumns(flowU.transform(params, baseU(), u, n, null), n, uDim());
  }

  /** m_v(v) for n rows: n x d, row-major. */
  public float[] macrostatesV(float[] params, float[] v, int n) {
    return firstColumns(flowV.transform(params, baseV(), v, n, null), n, vDim());
  }

  /** u = f_u^{-1}([alpha, eps]) for n rows of alpha (n x d) and eps (n x (n_u - d)). */
  public float[] designU(float[] params, float[] alpha, float[] eps, int n) {
    return flowU.inverse(params, baseU(), join(alpha, eps, n, uDim()), n);
  }

  /** v = f_v^{-1}([alpha, eps]) for n rows of alpha (n x d) and eps (n x (n_v - d)). */
  public float[] designV(float[] params, float[] alpha, float[] eps, int n) {
    return flowV.inverse(params, baseV(), join(alpha, eps, n, vDim()), n);
  }

  private float[] firstColumns(float[] z, int n, int dim) {
    float[] out = new float[n * macroDim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(z, i * dim, out, i * macroDim, macroDim);
    }
    return out;
  }

  private float[] join(float[] alpha, float[] eps, int n, int dim) {
    int rest = dim - macroDim;
    if (alpha.length != n * macroDim || eps.length != n * rest) {
      throw new IllegalArgumentException("design of " + n + " rows needs " + n * macroDim + " macrostate and " + n * rest
          + " noise values, found " + alpha.length + " and " + eps.length);
    }
    float[] z = new float[n * dim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(alpha, i * macroDim, z, i * dim, macroDim);
      System.arraycopy(eps, i * rest, z, i * dim + macroDim, rest);
    }
    return z;
  }
}
