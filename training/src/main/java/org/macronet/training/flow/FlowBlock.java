package org.macronet.training.flow;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One invertible block of a flow over row-major batches of {@link #dim()} columns: forward with
 * log|det J| per row, exact inverse, and hand-written backward. Trainable parameters are a view of
 * the flow's flat parameter array at an offset; gradients use the same layout and are added, never
 * overwritten, so passes over several batches (or both sides of a shared MacroNet) accumulate.
 *
 * <p>Contract of {@link #backward}: after {@link #forward} of the same rows with the same scratch,
 * given dL/dy and dL/dlogdet per row, write dL/dx into {@code dx} and add dL/dparams into
 * {@code grad}. Image blocks (squeeze, convolutional couplings, multi-scale split) implement the
 * same interface with their channel layout inside the row.
 */
public interface FlowBlock {
  /** Width of a row in and out. */
  int dim();

  /** Number of trainable parameters (0 for fixed blocks). */
  default int parameterCount() {
    return 0;
  }

  /** Sets the initial parameters from {@code random}. */
  default void initialise(float[] params, int offset, SplittableRandom random) {}

  /** Data-dependent initialisation (ActNorm) on the block's input for the first batch. */
  default void initialiseFromData(float[] params, int offset, float[] x, int n) {}

  /** Per-thread buffers for up to {@code maxRows} rows (null when the block needs none). */
  default Object newScratch(int maxRows) {
    return null;
  }

  /** y := f(x) for n rows; {@code logdet[i] += log|det df/dx|} of row i. x and y are distinct. */
  void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch);

  /** x := f^{-1}(y) for n rows. x and y are distinct. */
  void inverse(float[] params, int offset, float[] y, float[] x, int n);

  /**
   * dx := dL/dx and grad += dL/dparams for n rows, given x (the forward input), dy = dL/dy
   * (may be overwritten) and dLogdet[i] = dL/d(logdet of row i).
   */
  void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset);

  /** The block's architecture (not its trained parameters) for model.json. */
  Map<String, Object> describe();
}
