package org.macronet.training.flow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ActNorm (Glow): a per-column affine map {@code y = x * exp(logScale) + bias}, log-det =
 * sum(logScale), initialised from the first batch so that its output has zero mean and unit
 * variance per column. Parameters: logScale (dim) then bias (dim).
 */
public final class ActNorm implements FlowBlock {
  private final int dim;

  public ActNorm(int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("ActNorm width must be positive, found " + dim);
    }
    this.dim = dim;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int parameterCount() {
    return 2 * dim;
  }

  @Override
  public void initialise(float[] params, int offset, java.util.SplittableRandom random) {
    java.util.Arrays.fill(params, offset, offset + 2 * dim, 0f);
  }

  @Override
  public void initialiseFromData(float[] params, int offset, float[] x, int n) {
    for (int j = 0; j < dim; j++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double v = x[i * dim + j];
        s += v;
        ss += v * v;
      }
      fit(params, offset + j, offset + dim + j, s, ss, n);
    }
  }

  /**
   * The data-dependent initialisation from a column's sum {@code s} and sum of squares
   * {@code ss} over {@code count} values: logScale = -log(std) (variance floored at 1e-6) and
   * bias = -mean exp(logScale), so that the output has zero mean and unit variance.
   */
  public static void fit(float[] params, int logScaleAt, int biasAt, double s, double ss, double count) {
    double mean = s / count;
    double var = Math.max(ss / count - mean * mean, 0);
    double logScale = -0.5 * Math.log(var + 1e-6);
    params[logScaleAt] = (float) logScale;
    params[biasAt] = (float) (-mean * Math.exp(logScale));
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    double ld = 0;
    for (int j = 0; j < dim; j++) {
      ld += params[offset + j];
    }
    float[] scale = scales(params, offset);
    for (int i = 0; i < n; i++) {
      int row = i * dim;
      for (int j = 0; j < dim; j++) {
        y[row + j] = x[row + j] * scale[j] + params[offset + dim + j];
      }
      logdet[i] += ld;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    float[] scale = scales(params, offset);
    for (int i = 0; i < n; i++) {
      int row = i * dim;
      for (int j = 0; j < dim; j++) {
        x[row + j] = (y[row + j] - params[offset + dim + j]) / scale[j];
      }
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    float[] scale = scales(params, offset);
    double sumLogdet = 0;
    for (int i = 0; i < n; i++) {
      sumLogdet += dLogdet[i];
    }
    for (int j = 0; j < dim; j++) {
      double gScale = sumLogdet;
      double gBias = 0;
      for (int i = 0; i < n; i++) {
        int k = i * dim + j;
        gScale += dy[k] * x[k] * scale[j];
        gBias += dy[k];
        dx[k] = dy[k] * scale[j];
      }
      grad[gradOffset + j] += (float) gScale;
      grad[gradOffset + dim + j] += (float) gBias;
    }
  }

  private float[] scales(float[] params, int offset) {
    float[] s = new float[dim];
    for (int j = 0; j < dim; j++) {
      s[j] = (float) Math.exp(params[offset + j]);
    }
    return s;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "actnorm");
    m.put("dim", dim);
    return m;
  }
}
