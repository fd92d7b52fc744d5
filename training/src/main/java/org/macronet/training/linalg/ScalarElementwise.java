package org.macronet.training.linalg;

/** Plain-Java {@link Elementwise}: the reference for the vector path, and the path without the Vector API. */
final class ScalarElementwise implements Elementwise {
  static final ScalarElementwise INSTANCE = new ScalarElementwise();

  private ScalarElementwise() {}

  /**
   * tanh(x) = 1 - 2 / (exp(2x) + 1) through the intrinsic {@link Math#exp}; correct to float
   * precision and about ten times faster than {@link Math#tanh}. Saturates to +-1 at overflow.
   */
  static float tanh(float x) {
    return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
  }

  @Override
  public String description() {
    return "java-scalar";
  }

  @Override
  public void addBias(float[] y, int n, int w, float[] b, int bOffset) {
    addBias(y, n, w, b, bOffset, 0);
  }

  /** {@link #addBias} on the columns {@code from .. w-1} only (the vector path's tail). */
  static void addBias(float[] y, int n, int w, float[] b, int bOffset, int from) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = from; j < w; j++) {
        y[row + j] += b[bOffset + j];
      }
    }
  }

  @Override
  public void biasRelu(float[] y, int n, int w, float[] b, int bOffset) {
    biasRelu(y, n, w, b, bOffset, 0);
  }

  /** {@link #biasRelu} on the columns {@code from .. w-1} only. */
  static void biasRelu(float[] y, int n, int w, float[] b, int bOffset, int from) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = from; j < w; j++) {
        y[row + j] = Math.max(y[row + j] + b[bOffset + j], 0f);
      }
    }
  }

  @Override
  public void biasTanh(float[] y, int n, int w, float[] b, int bOffset) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = 0; j < w; j++) {
        y[row + j] = tanh(y[row + j] + b[bOffset + j]);
      }
    }
  }

  @Override
  public void reluBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    reluBackward(delta, act, n, w, g, gOffset, 0);
  }

  /**
   * {@link #reluBackward} on the columns {@code from .. w-1} only; each column's sum is added
   * row by row onto {@code g}, the order the vector path keeps.
   */
  static void reluBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset, int from) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = from; j < w; j++) {
        float d = act[row + j] > 0f ? delta[row + j] : 0f;
        delta[row + j] = d;
        g[gOffset + j] += d;
      }
    }
  }

  @Override
  public void tanhBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    tanhBackward(delta, act, n, w, g, gOffset, 0);
  }

  /** {@link #tanhBackward} on the columns {@code from .. w-1} only, sums in row order. */
  static void tanhBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset, int from) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = from; j < w; j++) {
        float a = act[row + j];
        float d = delta[row + j] * (1f - a * a);
        delta[row + j] = d;
        g[gOffset + j] += d;
      }
    }
  }

  @Override
  public void columnSums(float[] delta, int n, int w, float[] g, int gOffset) {
    columnSums(delta, n, w, g, gOffset, 0);
  }

  /** {@link #columnSums} on the columns {@code from .. w-1} only, sums in row order. */
  static void columnSums(float[] delta, int n, int w, float[] g, int gOffset, int from) {
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = from; j < w; j++) {
        g[gOffset + j] += delta[row + j];
      }
    }
  }

  @Override
  public void softClampExp(float[] s, float[] e, int count, float c) {
    float inv = 1f / c;
    for (int k = 0; k < count; k++) {
      float v = c * tanh(s[k] * inv);
      s[k] = v;
      e[k] = (float) Math.exp(v);
    }
  }

  @Override
  public void adam(float[] p, float[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize,
      float eps) {
    for (int i = 0; i < count; i++) {
      adamElement(p, m, v, i, g[i], b1, b2, stepSize, eps);
    }
  }

  @Override
  public void adam(float[] p, double[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize,
      float eps) {
    for (int i = 0; i < count; i++) {
      adamElement(p, m, v, i, (float) g[i], b1, b2, stepSize, eps);
    }
  }

  /** One element's Adam update, in the operation order both paths share (the vector path's tail too). */
  static void adamElement(float[] p, float[] m, float[] v, int i, float gi, float b1, float b2,
      float stepSize, float eps) {
    float mi = b1 * m[i] + (1 - b1) * gi;
    float vi = b2 * v[i] + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= stepSize * mi / ((float) Math.sqrt(vi) + eps);
  }

  @Override
  public void reluMask(float[] delta, float[] act, int count) {
    reluMask(delta, act, 0, count);
  }

  static void reluMask(float[] delta, float[] act, int from, int count) {
    for (int k = from; k < count; k++) {
      delta[k] = act[k] > 0f ? delta[k] : 0f;
    }
  }

  @Override
  public void add(float[] y, int yOffset, float[] x, int xOffset, int count) {
    add(y, yOffset, x, xOffset, 0, count);
  }

  static void add(float[] y, int yOffset, float[] x, int xOffset, int from, int count) {
    for (int k = from; k < count; k++) {
      y[yOffset + k] += x[xOffset + k];
    }
  }
}
