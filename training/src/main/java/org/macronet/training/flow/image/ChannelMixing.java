package org.macronet.training.flow.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.flow.FlowBlock;
import org.macronet.training.linalg.Blas;
import org.macronet.training.linalg.SmallLu;

/**
 * Invertible 1 x 1 convolution (Glow): every pixel's channel vector is multiplied by a learned
 * C x C matrix, {@code y[:, p] = W x[:, p]}; log-det = H W log|det W|, and
 * {@code d(log|det W|)/dW = W^-T}. W starts as a random rotation drawn from the flow's seed.
 * Parameters: W, row-major C x C.
 */
public final class ChannelMixing implements FlowBlock {
  private final ImageShape shape;

  public ChannelMixing(ImageShape shape) {
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
    return shape.channels() * shape.channels();
  }

  /** A random orthogonal W: Gram-Schmidt on a Gaussian matrix. */
  @Override
  public void initialise(float[] params, int offset, SplittableRandom random) {
    int c = shape.channels();
    double[][] q = new double[c][c];
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < c; j++) {
        q[i][j] = random.nextGaussian();
      }
      for (int pass = 0; pass < 2; pass++) { // twice, for orthogonality in floating point
        for (int k = 0; k < i; k++) {
          double dot = 0;
          for (int j = 0; j < c; j++) {
            dot += q[i][j] * q[k][j];
          }
          for (int j = 0; j < c; j++) {
            q[i][j] -= dot * q[k][j];
          }
        }
      }
      double norm = 0;
      for (int j = 0; j < c; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < c; j++) {
        q[i][j] /= norm;
        params[offset + i * c + j] = (float) q[i][j];
      }
    }
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    double ld = shape.pixels() * new SmallLu(params, offset, shape.channels()).logAbsDet();
    multiply(params, offset, x, y, n);
    for (int i = 0; i < n; i++) {
      logdet[i] += ld;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    double[] inv = new SmallLu(params, offset, shape.channels()).inverse();
    float[] w = new float[inv.length];
    for (int i = 0; i < inv.length; i++) {
      w[i] = (float) inv[i];
    }
    multiply(w, 0, y, x, n);
  }

  /** Y' (HW x C) := X' (HW x C) * W' per row, column-major; W' is W row-major read column-major. */
  private void multiply(float[] w, int offset, float[] x, float[] y, int n) {
    int c = shape.channels();
    int hw = shape.pixels();
    for (int i = 0; i < n; i++) {
      int base = i * shape.dim();
      Blas.sgemm(false, false, hw, c, c, 1f, x, base, hw, w, offset, c, 0f, y, base, hw);
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    int c = shape.channels();
    int hw = shape.pixels();
    double sumLogdet = 0;
    for (int i = 0; i < n; i++) {
      int base = i * shape.dim();
      // dW' (C x C, column-major, = dW row-major) += X (C x HW) * dY' (HW x C)
      Blas.sgemm(true, false, c, c, hw, 1f, x, base, hw, dy, base, hw, 1f, grad, gradOffset, c);
      // dX' (HW x C) := dY' (HW x C) * W (C x C)
      Blas.sgemm(false, true, hw, c, c, 1f, dy, base, hw, params, offset, c, 0f, dx, base, hw);
      sumLogdet += dLogdet[i];
    }
    if (sumLogdet != 0) {
      double[] inv = new SmallLu(params, offset, c).inverse();
      double scale = sumLogdet * hw;
      for (int r = 0; r < c; r++) {
        for (int k = 0; k < c; k++) {
          grad[gradOffset + r * c + k] += (float) (scale * inv[k * c + r]); // (W^-T)[r][k]
        }
      }
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "channel_mixing");
    m.put("shape", shape.toString());
    return m;
  }
}
