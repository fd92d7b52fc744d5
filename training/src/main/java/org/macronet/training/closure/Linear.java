package org.macronet.training.closure;

import java.util.SplittableRandom;
import org.macronet.training.linalg.Blas;

/**
 * PyTorch's {@code Linear(in, out)} on row-major batches: {@code Y (n x out) := X W' + b}.
 * Parameters at an offset of a flat array: W {@code [out][in]}, then b {@code [out]}.
 */
public final class Linear {
  private final int in;
  private final int out;

  public Linear(int in, int out) {
    if (in < 1 || out < 1) {
      throw new IllegalArgumentException("a linear layer needs positive widths, found " + in + " -> " + out);
    }
    this.in = in;
    this.out = out;
  }

  public int inputWidth() {
    return in;
  }

  public int outputWidth() {
    return out;
  }

  public int parameterCount() {
    return in * out + out;
  }

  /** The bias's offset within this layer's parameters (the weight is at 0). */
  public int biasOffset() {
    return in * out;
  }

  /** PyTorch's default: weight and bias Uniform(-b, b), b = 1 / sqrt(in). */
  public void initialise(float[] params, int offset, SplittableRandom random) {
    PyTorchInit.uniform(params, offset, parameterCount(), 1.0 / Math.sqrt(in), random);
  }

  /** y := x W' + b for n rows. */
  public void forward(float[] params, int offset, float[] x, int n, float[] y) {
    // Y' (out x n) := W (out x in; column-major in x out, transposed) * X' (in x n)
    Blas.sgemm(true, false, out, n, in, 1f, params, offset, in, x, 0, in, 0f, y, 0, out);
    int b = offset + biasOffset();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < out; j++) {
        y[i * out + j] += params[b + j];
      }
    }
  }

  /** Given dL/dy, adds dL/dW and dL/db into {@code grad}; writes dL/dx when {@code dx} is not null. */
  public void backward(float[] params, int offset, float[] x, int n, float[] dy, float[] dx, float[] grad,
      int gradOffset) {
    int gb = gradOffset + biasOffset();
    for (int j = 0; j < out; j++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += dy[i * out + j];
      }
      grad[gb + j] += (float) sum;
    }
    // dW (column-major in x out) += X' (in x n) * dY (n x out)
    Blas.sgemm(false, true, in, out, n, 1f, x, 0, in, dy, 0, out, 1f, grad, gradOffset, in);
    if (dx != null) {
      // dX' (in x n) := W' (in x out) * dY' (out x n)
      Blas.sgemm(false, false, in, n, out, 1f, params, offset, in, dy, 0, out, 0f, dx, 0, in);
    }
  }
}
