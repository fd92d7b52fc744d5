package org.macronet.training.flow.image;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.flow.ActNorm;
import org.macronet.training.flow.FlowBlock;

/**
 * ActNorm over image channels (Glow): {@code y[c][p] = x[c][p] exp(logScale[c]) + bias[c]},
 * log-det = H W sum(logScale), initialised from the first batch so that each channel has zero
 * mean and unit variance over rows and pixels. Parameters: logScale (C) then bias (C).
 */
public final class ChannelActNorm implements FlowBlock {
  private final ImageShape shape;

  public ChannelActNorm(ImageShape shape) {
    this.shape = shape;
  }

  public int channels() {
    return shape.channels();
  }

  @Override
  public int dim() {
    return shape.dim();
  }

  @Override
  public int parameterCount() {
    return 2 * shape.channels();
  }

  @Override
  public void initialise(float[] params, int offset, SplittableRandom random) {
    Arrays.fill(params, offset, offset + parameterCount(), 0f);
  }

  @Override
  public void initialiseFromData(float[] params, int offset, float[] x, int n) {
    int c = shape.channels();
    int hw = shape.pixels();
    for (int j = 0; j < c; j++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        int base = i * shape.dim() + j * hw;
        for (int p = base; p < base + hw; p++) {
          double v = x[p];
          s += v;
          ss += v * v;
        }
      }
      ActNorm.fit(params, offset + j, offset + c + j, s, ss, (double) n * hw);
    }
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    int c = shape.channels();
    int hw = shape.pixels();
    double ld = 0;
    for (int j = 0; j < c; j++) {
      ld += params[offset + j];
    }
    ld *= hw;
    float[] scale = scales(params, offset);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        float bias = params[offset + c + j];
        int base = i * shape.dim() + j * hw;
        for (int p = base; p < base + hw; p++) {
          y[p] = x[p] * scale[j] + bias;
        }
      }
      logdet[i] += ld;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    int c = shape.channels();
    int hw = shape.pixels();
    float[] scale = scales(params, offset);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        float bias = params[offset + c + j];
        int base = i * shape.dim() + j * hw;
        for (int p = base; p < base + hw; p++) {
          x[p] = (y[p] - bias) / scale[j];
        }
      }
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    int c = shape.channels();
    int hw = shape.pixels();
    double sumLogdet = 0;
    for (int i = 0; i < n; i++) {
      sumLogdet += dLogdet[i];
    }
    for (int j = 0; j < c; j++) {
      float scale = (float) Math.exp(params[offset + j]);
      double gScale = sumLogdet * hw;
      double gBias = 0;
      for (int i = 0; i < n; i++) {
        int base = i * shape.dim() + j * hw;
        for (int p = base; p < base + hw; p++) {
          gScale += dy[p] * x[p] * scale;
          gBias += dy[p];
          dx[p] = dy[p] * scale;
        }
      }
      grad[gradOffset + j] += (float) gScale;
      grad[gradOffset + c + j] += (float) gBias;
    }
  }

  /** exp(logScale) per channel, once per call rather than once per row. */
  private float[] scales(float[] params, int offset) {
    float[] s = new float[shape.channels()];
    for (int j = 0; j < s.length; j++) {
      s[j] = (float) Math.exp(params[offset + j]);
    }
    return s;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "channel_actnorm");
    m.put("shape", shape.toString());
    return m;
  }
}
