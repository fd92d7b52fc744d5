package org.macronet.training.closure;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.macronet.training.linalg.Blas;

/**
 * PyTorch's {@code Conv2d(cIn, cOut, k, stride=1, padding=k/2)} on h x w images, k odd, zero
 * padding, so the output has the input's size:
 * {@code y[o][y][x] = b[o] + sum_{c, ky, kx} W[o][c][ky][kx] x[c][y + ky - k/2][x + kx - k/2]},
 * terms outside the image zero. Parameters at an offset of a flat array: the weight
 * {@code [cOut][cIn][k][k]}, then the bias {@code [cOut]} (PyTorch's layout). Batches are
 * channel-major, {@code [n][c][h][w]}.
 *
 * <p>Images go through in chunks of about {@link #COLUMNS} pixels: one im2col matrix for the chunk
 * ({@code cIn k^2} x the chunk's pixels) and one GEMM, {@code Y (cOut x pixels) := W (cOut x cIn
 * k^2) * col(X)}, so that small patches still make a GEMM of useful size.
 */
public final class Conv2d {
  /** Pixels per im2col chunk. */
  static final int COLUMNS = 4096;

  private final int cIn;
  private final int cOut;
  private final int k;
  private final int height;
  private final int width;
  private final int pixels;
  private final int fanIn;
  private final int chunk;

  public Conv2d(int cIn, int cOut, int k, int height, int width) {
    this(cIn, cOut, k, height, width, COLUMNS);
  }

  /** With chunks of about {@code columns} pixels (tests use small chunks to cross their borders). */
  Conv2d(int cIn, int cOut, int k, int height, int width, int columns) {
    if (cIn < 1 || cOut < 1) {
      throw new IllegalArgumentException("channel counts must be positive, found " + cIn + " -> " + cOut);
    }
    if (k < 1 || k % 2 == 0) {
      throw new IllegalArgumentException("the kernel must be odd, found " + k);
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("the image must be non-empty, found " + height + " x " + width);
    }
    this.cIn = cIn;
    this.cOut = cOut;
    this.k = k;
    this.height = height;
    this.width = width;
    this.pixels = height * width;
    this.fanIn = cIn * k * k;
    this.chunk = Math.max(1, columns / pixels);
  }

  public int inputChannels() {
    return cIn;
  }

  public int outputChannels() {
    return cOut;
  }

  public int kernel() {
    return k;
  }

  public int parameterCount() {
    return cOut * fanIn + cOut;
  }

  /** The bias's offset within this layer's parameters (the weight is at 0). */
  public int biasOffset() {
    return cOut * fanIn;
  }

  public int[] weightShape() {
    return new int[] {cOut, cIn, k, k};
  }

  /** Floats of the work array that {@link #forward} and {@link #backward} need. */
  public int workSize() {
    return chunk * pixels * (fanIn + cOut);
  }

  /** PyTorch's default: weight and bias Uniform(-b, b), b = 1 / sqrt(cIn k^2). */
  public void initialise(float[] params, int offset, SplittableRandom random) {
    PyTorchInit.uniform(params, offset, parameterCount(), 1.0 / Math.sqrt(fanIn), random);
  }

  /** y := conv(x) for n images; {@code y} (n x cOut x h x w) must not alias {@code x}. */
  public void forward(float[] params, int offset, float[] x, int n, float[] y, float[] work) {
    int bias = offset + biasOffset();
    for (int i0 = 0; i0 < n; i0 += chunk) {
      int m = Math.min(chunk, n - i0);
      int cols = m * pixels;
      int tmp = fanIn * cols;
      im2col(x, i0, m, work);
      // T' (cols x cOut) := col' (cols x cIn k^2) * W' (cIn k^2 x cOut), column-major; T is [cOut][m][hw]
      Blas.sgemm(false, false, cols, cOut, fanIn, 1f, work, 0, cols, params, offset, fanIn, 0f, work, tmp, cols);
      for (int j = 0; j < m; j++) {
        for (int o = 0; o < cOut; o++) {
          float b = params[bias + o];
          int from = tmp + (o * m + j) * pixels;
          int to = ((i0 + j) * cOut + o) * pixels;
          for (int q = 0; q < pixels; q++) {
            y[to + q] = work[from + q] + b;
          }
        }
      }
    }
  }

  /**
   * Given dL/dy, adds dL/dparams into {@code grad} at {@code gradOffset} and, when {@code dx} is
   * not null, writes dL/dx into it.
   */
  public void backward(float[] params, int offset, float[] x, int n, float[] dy, float[] dx, float[] grad,
      int gradOffset, float[] work) {
    int gBias = gradOffset + biasOffset();
    for (int i0 = 0; i0 < n; i0 += chunk) {
      int m = Math.min(chunk, n - i0);
      int cols = m * pixels;
      int tmp = fanIn * cols;
      for (int j = 0; j < m; j++) {
        for (int o = 0; o < cOut; o++) {
          int from = ((i0 + j) * cOut + o) * pixels;
          int to = tmp + (o * m + j) * pixels;
          double sum = 0;
          for (int q = 0; q < pixels; q++) {
            float g = dy[from + q];
            work[to + q] = g;
            sum += g;
          }
          grad[gBias + o] += (float) sum;
        }
      }
      im2col(x, i0, m, work);
      // dW' (cIn k^2 x cOut) += col (cIn k^2 x cols) * dT' (cols x cOut)
      Blas.sgemm(true, false, fanIn, cOut, cols, 1f, work, 0, cols, work, tmp, cols, 1f, grad, gradOffset, fanIn);
      if (dx != null) {
        // dcol' (cols x cIn k^2) := dT' (cols x cOut) * W (cOut x cIn k^2)
        Blas.sgemm(false, true, cols, fanIn, cOut, 1f, work, tmp, cols, params, offset, fanIn, 0f, work, 0, cols);
        col2im(work, i0, m, dx);
      }
    }
  }

  /** col[((c k + ky) k + kx)][j][y][x] := x[i0 + j][c][y + ky - k/2][x + kx - k/2], 0 outside. */
  private void im2col(float[] x, int i0, int m, float[] col) {
    int r = k / 2;
    int cols = m * pixels;
    for (int c = 0; c < cIn; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = ((c * k + ky) * k + kx) * cols;
          int dyy = ky - r;
          int dxx = kx - r;
          int x0 = Math.max(0, -dxx);
          int x1 = Math.min(width, width - dxx);
          for (int j = 0; j < m; j++) {
            int plane = ((i0 + j) * cIn + c) * pixels;
            int to = row + j * pixels;
            for (int yy = 0; yy < height; yy++) {
              int line = to + yy * width;
              int sy = yy + dyy;
              if (sy < 0 || sy >= height || x0 >= x1) {
                Arrays.fill(col, line, line + width, 0f);
                continue;
              }
              Arrays.fill(col, line, line + x0, 0f);
              System.arraycopy(x, plane + sy * width + x0 + dxx, col, line + x0, x1 - x0);
              Arrays.fill(col, line + x1, line + width, 0f);
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #im2col}: dx[i0 + j] := the rows of {@code col} shifted back and summed. */
  private void col2im(float[] col, int i0, int m, float[] dx) {
    Arrays.fill(dx, i0 * cIn * pixels, (i0 + m) * cIn * pixels, 0f);
    int r = k / 2;
    int cols = m * pixels;
    for (int c = 0; c < cIn; c++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          int row = ((c * k + ky) * k + kx) * cols;
          int dyy = ky - r;
          int dxx = kx - r;
          int x0 = Math.max(0, -dxx);
          int x1 = Math.min(width, width - dxx);
          for (int j = 0; j < m; j++) {
            int plane = ((i0 + j) * cIn + c) * pixels;
            int from = row + j * pixels;
            for (int yy = 0; yy < height; yy++) {
              int sy = yy + dyy;
              if (sy < 0 || sy >= height) {
                continue;
              }
              int src = from + yy * width;
              int dst = plane + sy * width + dxx;
              for (int xx = x0; xx < x1; xx++) {
                dx[dst + xx] += col[src + xx];
              }
            }
          }
        }
      }
    }
  }
}
