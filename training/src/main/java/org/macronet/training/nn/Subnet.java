package org.macronet.training.nn;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The network inside an affine coupling: maps the kept half of a row (a column range of a wider
 * row-major matrix, leading dimension {@code ldx}) to {@link #outputWidth()} values per row, the
 * coupling's (s_raw, t). Its parameters are a view of a flat array at an offset; gradients use the
 * same layout and are added. {@link Mlp} serves vector flows, {@link ConvNet} image flows.
 */
public interface Subnet {
  /** Values read per row. */
  int inputWidth();

  /** Values written per row. */
  int outputWidth();

  int parameterCount();

  /** Initial parameters from {@code random}; the last layer scaled by {@code lastLayerScale}. */
  void initialise(float[] params, int offset, SplittableRandom random, double lastLayerScale);

  /** Per-thread buffers for up to {@code maxRows} rows. */
  Buffers newScratch(int maxRows);

  /** Forward pass of n rows; the output (n x {@link #outputWidth()}, row-major) is {@link Buffers#output()}. */
  void forward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Buffers s);

  /**
   * Backward pass after {@link #forward} on the same rows: given dL/dOutput (overwritten), adds
   * dL/dparams into {@code grad} at {@code gradOffset} and, when {@code dx} is not null, adds
   * dL/dInput into the input's columns of {@code dx} (leading dimension {@code ldx}).
   */
  void backward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Buffers s, float[] dOutput,
      float[] dx, int dxOffset, float[] grad, int gradOffset);

  /** Every weight and bias tensor, in PyTorch's shape convention, at its offset in the parameters. */
  List<Tensor> tensors();

  /** The architecture for model.json. */
  Map<String, Object> describe();

  /**
   * One layer's initial parameters: {@code count} weights at {@code weights} drawn from
   * Uniform(-b, b), b = scale / sqrt(fanIn), then {@code outputs} zero biases at {@code bias}.
   */
  static void initialiseLayer(float[] params, int weights, int count, int bias, int outputs, int fanIn, double scale,
      SplittableRandom random) {
    double bound = 1.0 / Math.sqrt(fanIn) * scale;
    for (int i = 0; i < count; i++) {
      params[weights + i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
    java.util.Arrays.fill(params, bias, bias + outputs, 0f);
  }

  /** A named view of the parameters: {@code shape} floats at {@code offset}. */
  record Tensor(String name, int[] shape, int offset) {}

  /** Buffers of one thread. */
  interface Buffers {
    /** The last forward pass's output, n x {@link #outputWidth()} row-major. */
    float[] output();
  }
}
