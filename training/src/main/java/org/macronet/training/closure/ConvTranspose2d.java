package org.macronet.training.closure;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.macronet.training.linalg.Blas;

/**
 * PyTorch's {@code ConvTranspose2d(cIn, cOut, k, stride, padding)} on {@code [n][c][h][w]}
 * batches, the adjoint of the strided convolution with the same weights:
 * {@code y[o][iy s - p + ky][ix s - p + kx] += W[c][o][ky][kx] x[c][iy][ix]}, plus the bias, the
 * output {@code ((h - 1) s - 2p + k) x ((w - 1) s - 2p + k)} (k = 4, s = 2, p = 1 doubles each
 * side). Parameters at an offset of a flat array: the weight {@code [cIn][cOut][k][k]} (PyTorch's
 * layout for transposed convolutions), then the bias {@code [cOut]}.
 *
 * <p>Images go through in chunks of about {@link Conv2d#COLUMNS} input pixels: one GEMM gives
 * every kernel tap's contribution, {@code col (cOut k^2 x pixels) := W' (cOut k^2 x cIn) * X},
 * and col2im adds them into the output.
 */
public final class ConvTranspose2d {
  private final int cIn;
  private final int cOut;
  private final int k;
  private final int stride;
  private final int padding;
  private final int height;
  private final int width;
  private final int outHeight;
  private final int outWidth;
  private final int pixels;
  private final int taps;
  private final int chunk;

  /** The decoder's up-sampling layer: kernel 4, stride 2, padding 1. */
  public static ConvTranspose2d doubling(int cIn, int cOut, int height, int width) {
    return new ConvTranspose2d(cIn, cOut, 4, 2, 1, height, width);
  }

  public ConvTranspose2d(int cIn, int cOut, int k, int stride, int padding, int height, int width) {
    this(cIn, cOut, k, stride, padding, height, width, Conv2d.COLUMNS);
  }

  /** With chunks of about {@code columns} input pixels (tests use small chunks to cross their borders). */
  ConvTranspose2d(int cIn, int cOut, int k, int stride, int padding, int height, int width, int columns) {
    if (cIn < 1 || cOut < 1) {
      throw new IllegalArgumentException("channel counts must be positive, found " + cIn + " -> " + cOut);
    }
    if (k < 1 || stride < 1 || padding < 0 || padding >= k) {
      throw new IllegalArgumentException("need k >= 1, stride >= 1 and 0 <= padding < k, found k " + k + ", stride "
          + stride + ", padding " + padding);
    }
    this.cIn = cIn;
    this.cOut = cOut;
    this.k = k;
    this.stride = stride;
    this.padding = padding;
    this.height = height;
    this.width = width;
    this.outHeight = (height - 1) * stride - 2 * padding + k;
    this.outWidth = (width - 1) * stride - 2 * padding + k;
    if (height < 1 || width < 1 || outHeight < 1 || outWidth < 1) {
      throw new IllegalArgumentException("a " + height + " x " + width + " input gives an empty output");
    }
    this.pixels = height * width;
    this.taps = cOut * k * k;
    this.chunk = Math.max(1, columns / pixels);
  }

  public int inputChannels() {
    return cIn;
  }

  public int outputChannels() {
    return cOut;
  }

  public int outputHeight() {
    return outHeight;
  }

  public int outputWidth() {
    return outWidth;
  }

  public int parameterCount() {
    return cIn * taps + cOut;
  }

  /** The bias's offset within this layer's parameters (the weight is at 0). */
  public int biasOffset() {
    return cIn * taps;
  }

  public int[] weightShape() {
    return new int[] {cIn, cOut, k, k};
  }

  /** Floats of the work array that {@link #forward} and {@link #backward} need. */
  public int workSize() {
    return chunk * pixels * (cIn + taps);
  }

  /**
   * PyTorch's default, whose fan-in for a transposed convolution is the weight's dimension 1 times
   * k^2: weight and bias Uniform(-b, b), b = 1 / sqrt(cOut k^2).
   */
  public void initialise(float[] params, int offset, SplittableRandom random) {
    PyTorchInit.uniform(params, offset, parameterCount(), 1.0 / Math.sqrt(taps), random);
  }

  /** y := convT(x) for n images; {@code y} must not alias {@code x}. */
  public void forward(float[] params, int offset, float[] x, int n, float[] y, float[] work) {
    int outPixels = outHeight * outWidth;
    for (int i0 = 0; i0 < n; i0 += chunk) {
      int m = Math.min(chunk, n - i0);
      int cols = m * pixels;
      int col = cIn * cols;
      gather(x, i0, m, work);
      // col' (cols x cOut k^2) := X' (cols x cIn) * W (cIn x cOut k^2; column-major cOut k^2 x cIn, transposed)
      Blas.sgemm(false, true, cols, taps, cIn, 1f, work, 0, cols, params, offset, taps, 0f, work, col, cols);
      int bias = offset + biasOffset();
      for (int j = 0; j < m; j++) {
        for (int o = 0; o < cOut; o++) {
          int plane = ((i0 + j) * cOut + o) * outPixels;
          Arrays.fill(y, plane, plane + outPixels, params[bias + o]);
        }
      }
      col2im(work, col, i0, m, y);
    }
  }

  /**
   * Given dL/dy, adds dL/dparams into {@code grad} at {@code gradOffset} and, when {@code dx} is
   * not null, writes dL/dx into it: the strided convolution of dy with the same weights.
   */
  public void backward(float[] params, int offset, float[] x, int n, float[] dy, float[] dx, float[] grad,
      int gradOffset, float[] work) {
    int outPixels = outHeight * outWidth;
    int gBias = gradOffset + biasOffset();
    for (int o = 0; o < cOut; o++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int plane = (i * cOut + o) * outPixels;
        for (int q = plane; q < plane + outPixels; q++) {
          sum += dy[q];
        }
      }
      grad[gBias + o] += (float) sum;
    }
    for (int i0 = 0; i0 < n; i0 += chunk) {
      int m = Math.min(chunk, n - i0);
      int cols = m * pixels;
      int col = cIn * cols;
      gather(x, i0, m, work);
      im2col(dy, i0, m, work, col);
      // dW (column-major cOut k^2 x cIn) += dcol (cOut k^2 x cols) * X' (cols x cIn)
      Blas.sgemm(true, false, taps, cIn, cols, 1f, work, col, cols, work, 0, cols, 1f, grad, gradOffset, taps);
      if (dx != null) {
        // dX' (cols x cIn) := dcol' (cols x cOut k^2) * W' (cOut k^2 x cIn)
        Blas.sgemm(false, false, cols, cIn, taps, 1f, work, col, cols, params, offset, taps, 0f, work, 0, cols);
        scatter(work, i0, m, dx);
      }
    }
  }

  /** g[c][j][q] := x[i0 + j][c][q]. */
  private void gather(float[] x, int i0, int m, float[] g) {
    for (int j = 0; j < m; j++) {
      for (int c = 0; c < cIn; c++) {
        System.arraycopy(x, ((i0 + j) * cIn + c) * pixels, g, (c * m + j) * pixels, pixels);
      }
    }
  }

  /** dx[i0 + j][c][q] := g[c][j][q]. */
  private void scatter(float[] g, int i0, int m, float[] dx) {
    for (int j = 0; j < m; j++) {
      for (int c = 0; c < cIn; c++) {
        System.arraycopy(g, (c * m + j) * pixels, dx, ((i0 + j) * cIn + c) * pixels, pixels);
      }
    }
  }

  /** y[i0 + j][o][iy s - p + ky][ix s - p + kx] += col[((o k + ky) k + kx)][j][iy][ix] where inside. */
  private void col2im(float[] work, int col, int i0, int m, float[] y) {
    int cols = m * pixels;
    int outPixels = outHeight * outWidth;
    for (int o = 0; o < cOut; o++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = col + ((o * k + ky) * k + kx) * cols;
          int ix0 = firstInside(kx);
          int ix1 = endInside(kx, width, outWidth);
          for (int j = 0; j < m; j++) {
            int plane = ((i0 + j) * cOut + o) * outPixels;
            for (int iy = 0; iy < height; iy++) {
              int oy = iy * stride - padding + ky;
              if (oy < 0 || oy >= outHeight) {
                continue;
              }
              int src = row + j * pixels + iy * width;
              int dst = plane + oy * outWidth - padding + kx;
              for (int ix = ix0; ix < ix1; ix++) {
                y[dst + ix * stride] += work[src + ix];
              }
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #col2im}: dcol[((o k + ky) k + kx)][j][iy][ix] := dy at that output, 0 outside. */
  private void im2col(float[] dy, int i0, int m, float[] work, int col) {
    int cols = m * pixels;
    int outPixels = outHeight * outWidth;
    for (int o = 0; o < cOut; o++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = col + ((o * k + ky) * k + kx) * cols;
          int ix0 = firstInside(kx);
          int ix1 = endInside(kx, width, outWidth);
          for (int j = 0; j < m; j++) {
            int plane = ((i0 + j) * cOut + o) * outPixels;
            for (int iy = 0; iy < height; iy++) {
              int oy = iy * stride - padding + ky;
              int line = row + j * pixels + iy * width;
              if (oy < 0 || oy >= outHeight || ix0 >= ix1) {
                Arrays.fill(work, line, line + width, 0f);
                continue;
              }
              Arrays.fill(work, line, line + ix0, 0f);
              int src = plane + oy * outWidth - padding + kx;
              for (int ix = ix0; ix < ix1; ix++) {
                work[line + ix] = dy[src + ix * stride];
              }
              Arrays.fill(work, line + ix1, line + width, 0f);
            }
          }
        }
      }
    }
  }

  /** The first ix with 0 <= ix s - p + kx. */
  private int firstInside(int kx) {
    int need = padding - kx; // ix s >= need
    return need <= 0 ? 0 : (need + stride - 1) / stride;
  }

  /** One past the last ix (below {@code side}) with ix s - p + kx < outSide. */
  private int endInside(int kx, int side, int outSide) {
    int limit = outSide + padding - kx; // ix s < limit
    int end = limit <= 0 ? 0 : (limit + stride - 1) / stride;
    return Math.min(side, end);
  }
}
