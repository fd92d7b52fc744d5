package org.macronet.training.flow.image;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.training.flow.FlowBlock;

/**
 * The orthonormal Haar squeeze: C x H x W to 4C x H/2 x W/2. Each 2 x 2 block (a b / c d) of
 * channel j becomes the averages and details (a+b+c+d)/2, (a-b+c-d)/2, (a+b-c-d)/2,
 * (a-b-c+d)/2 in channels j, C + j, 2C + j, 3C + j, so the coarse image comes first and stays
 * in the kept half at a multi-scale split. The map is orthonormal: log-det 0, inverse = transpose.
 */
public final class HaarSqueeze implements FlowBlock {
  private final ImageShape in;

  public HaarSqueeze(ImageShape in) {
    in.squeezed(); // checks the sides are even
    this.in = in;
  }

  public ImageShape input() {
    return in;
  }

  public ImageShape output() {
    return in.squeezed();
  }

  @Override
  public int dim() {
    return in.dim();
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    squeeze(x, y, n);
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    unsqueeze(y, x, n);
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    unsqueeze(dy, dx, n); // dx = H' dy = H^-1 dy
  }

  private void squeeze(float[] x, float[] y, int n) {
    int c = in.channels();
    int w = in.width();
    int h2 = in.height() / 2;
    int w2 = w / 2;
    int plane = h2 * w2;
    int dim = in.dim();
    for (int s = 0; s < n; s++) {
      int row = s * dim;
      for (int j = 0; j < c; j++) {
        int src = row + j * in.pixels();
        int dst = row + j * plane;
        for (int i = 0; i < h2; i++) {
          for (int k = 0; k < w2; k++) {
            int p = src + 2 * i * w + 2 * k;
            float a = x[p];
            float b = x[p + 1];
            float cc = x[p + w];
            float d = x[p + w + 1];
            int q = dst + i * w2 + k;
            y[q] = 0.5f * (a + b + cc + d);
            y[q + c * plane] = 0.5f * (a - b + cc - d);
            y[q + 2 * c * plane] = 0.5f * (a + b - cc - d);
            y[q + 3 * c * plane] = 0.5f * (a - b - cc + d);
          }
        }
      }
    }
  }

  private void unsqueeze(float[] y, float[] x, int n) {
    int c = in.channels();
    int w = in.width();
    int h2 = in.height() / 2;
    int w2 = w / 2;
    int plane = h2 * w2;
    int dim = in.dim();
    for (int s = 0; s < n; s++) {
      int row = s * dim;
      for (int j = 0; j < c; j++) {
        int dst = row + j * in.pixels();
        int src = row + j * plane;
        for (int i = 0; i < h2; i++) {
          for (int k = 0; k < w2; k++) {
            int q = src + i * w2 + k;
            float q0 = y[q];
            float q1 = y[q + c * plane];
            float q2 = y[q + 2 * c * plane];
            float q3 = y[q + 3 * c * plane];
            int p = dst + 2 * i * w + 2 * k;
            x[p] = 0.5f * (q0 + q1 + q2 + q3);
            x[p + 1] = 0.5f * (q0 - q1 + q2 - q3);
            x[p + w] = 0.5f * (q0 + q1 - q2 - q3);
            x[p + w + 1] = 0.5f * (q0 - q1 - q2 + q3);
          }
        }
      }
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "haar_squeeze");
    m.put("input", in.toString());
    m.put("output", output().toString());
    return m;
  }
}
