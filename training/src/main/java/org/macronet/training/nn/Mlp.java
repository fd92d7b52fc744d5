package org.macronet.training.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.macronet.training.linalg.Blas;
import org.macronet.training.linalg.Elementwise;

/**
 * A multilayer perceptron over row-major batches: widths w_0 (input) .. w_L (output), the
 * activation after every layer but the last. Its parameters are a view of a flat array:
 * for each layer l, the weights W_l (w_{l+1} x w_l, row-major) and then the bias b_l (w_{l+1}),
 * so {@code H_{l+1} = act(H_l W_l' + b_l)}. Gradients use the same layout.
 *
 * <p>The input may be a column range of a wider row-major matrix (leading dimension
 * {@code ldx}), which is how a coupling feeds it one half of its input without a copy.
 */
public final class Mlp implements Subnet {
  private static final Elementwise KERNELS = Elementwise.get();

  private final int[] widths;
  private final Activation activation;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int parameterCount;

  public Mlp(int[] widths, Activation activation) {
    if (widths.length < 2) {
      throw new IllegalArgumentException("an MLP needs at least input and output widths, found " + Arrays.toString(widths));
    }
    for (int w : widths) {
      if (w <= 0) {
        throw new IllegalArgumentException("MLP widths must be positive, found " + Arrays.toString(widths));
      }
    }
    this.widths = widths.clone();
    this.activation = activation;
    int layers = widths.length - 1;
    weightOffsets = new int[layers];
    biasOffsets = new int[layers];
    int offset = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = offset;
      offset += widths[l] * widths[l + 1];
      biasOffsets[l] = offset;
      offset += widths[l + 1];
    }
    parameterCount = offset;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public int inputWidth() {
    return widths[0];
  }

  @Override
  public int outputWidth() {
    return widths[widths.length - 1];
  }

  public int[] widths() {
    return widths.clone();
  }

  /** Offset of layer l's weights (w_{l+1} x w_l, row-major) within this MLP's parameters. */
  public int weightOffset(int layer) {
    return weightOffsets[layer];
  }

  /** Offset of layer l's bias (w_{l+1}) within this MLP's parameters. */
  public int biasOffset(int layer) {
    return biasOffsets[layer];
  }

  public Activation activation() {
    return activation;
  }

  /**
   * Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights and zero biases; the last layer is scaled by
   * {@code lastLayerScale} (small, so that a coupling starts near the identity).
   */
  @Override
  public void initialise(float[] params, int offset, SplittableRandom random, double lastLayerScale) {
    for (int l = 0; l < widths.length - 1; l++) {
      Subnet.initialiseLayer(params, offset + weightOffsets[l], widths[l] * widths[l + 1], offset + biasOffsets[l],
          widths[l + 1], widths[l], l == widths.length - 2 ? lastLayerScale : 1.0, random);
    }
  }

  /** Per-thread buffers for up to {@code maxRows} rows. */
  @Override
  public Scratch newScratch(int maxRows) {
    return new Scratch(maxRows);
  }

  /**
   * Forward pass of n rows whose inputs are columns [0, w_0) of {@code x} at {@code xOffset} with
   * leading dimension {@code ldx}; the output (n x w_L, row-major) is {@link Scratch#output()}.
   */
  @Override
  public void forward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Subnet.Buffers buffers) {
    Scratch s = (Scratch) buffers;
    float[] in = x;
    int inOffset = xOffset;
    int ld = ldx;
    for (int l = 0; l < widths.length - 1; l++) {
      int fanIn = widths[l];
      int fanOut = widths[l + 1];
      float[] out = s.activations[l];
      // H_{l+1}' (fanOut x n) := W_l (fanOut x fanIn, i.e. column-major fanIn x fanOut, transposed) * H_l' (fanIn x n)
      Blas.sgemm(true, false, fanOut, n, fanIn, 1f, params, offset + weightOffsets[l], fanIn, in, inOffset, ld,
          0f, out, 0, fanOut);
      int b = offset + biasOffsets[l];
      if (l == widths.length - 2) {
        KERNELS.addBias(out, n, fanOut, params, b);
      } else if (activation == Activation.RELU) {
        KERNELS.biasRelu(out, n, fanOut, params, b);
      } else {
        KERNELS.biasTanh(out, n, fanOut, params, b);
      }
      in = out;
      inOffset = 0;
      ld = fanOut;
    }
  }

  /**
   * Backward pass after {@link #forward} on the same rows: given dL/dOutput (n x w_L, row-major;
   * overwritten), adds dL/dparams into {@code grad} at {@code gradOffset} and, when {@code dx} is
   * not null, adds dL/dInput into columns [0, w_0) of {@code dx} (leading dimension {@code ldx}).
   */
  @Override
  public void backward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Subnet.Buffers buffers,
      float[] dOutput, float[] dx, int dxOffset, float[] grad, int gradOffset) {
    Scratch s = (Scratch) buffers;
    float[] delta = dOutput;
    int top = widths.length - 2;
    KERNELS.columnSums(delta, n, widths[top + 1], grad, gradOffset + biasOffsets[top]);
    for (int l = top; l >= 0; l--) {
      int fanIn = widths[l];
      int fanOut = widths[l + 1];
      float[] in = l == 0 ? x : s.activations[l - 1];
      int inOffset = l == 0 ? xOffset : 0;
      int ld = l == 0 ? ldx : fanIn;
      // dW_l (column-major fanIn x fanOut) += H_l' (fanIn x n) * delta (n x fanOut)
      Blas.sgemm(false, true, fanIn, fanOut, n, 1f, in, inOffset, ld, delta, 0, fanOut, 1f,
          grad, gradOffset + weightOffsets[l], fanIn);
      if (l == 0) {
        if (dx != null) {
          // dX' (fanIn x n) += W_l' (fanIn x fanOut) * delta' (fanOut x n)
          Blas.sgemm(false, false, fanIn, n, fanOut, 1f, params, offset + weightOffsets[l], fanIn, delta, 0, fanOut,
              1f, dx, dxOffset, ldx);
        }
      } else {
        float[] next = s.deltas[l - 1];
        Blas.sgemm(false, false, fanIn, n, fanOut, 1f, params, offset + weightOffsets[l], fanIn, delta, 0, fanOut,
            0f, next, 0, fanIn);
        // delta := delta .* act'(pre-activation) from the layer's output, and that layer's bias gradient
        int gb = gradOffset + biasOffsets[l - 1];
        if (activation == Activation.RELU) {
          KERNELS.reluBackward(next, s.activations[l - 1], n, fanIn, grad, gb);
        } else {
          KERNELS.tanhBackward(next, s.activations[l - 1], n, fanIn, grad, gb);
        }
        delta = next;
      }
    }
  }

  @Override
  public java.util.List<Tensor> tensors() {
    java.util.List<Tensor> out = new java.util.ArrayList<>();
    for (int l = 0; l < widths.length - 1; l++) {
      out.add(new Tensor(l + ".weight", new int[] {widths[l + 1], widths[l]}, weightOffsets[l]));
      out.add(new Tensor(l + ".bias", new int[] {widths[l + 1]}, biasOffsets[l]));
    }
    return out;
  }

  @Override
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("subnet", widths.clone());
    m.put("activation", activation.configName());
    return m;
  }

  /** Buffers of one thread: the activations of each layer and the back-propagated errors. */
  public final class Scratch implements Subnet.Buffers {
    private final int maxRows;
    private final float[][] activations;
    private final float[][] deltas;

    private Scratch(int maxRows) {
      this.maxRows = maxRows;
      int layers = widths.length - 1;
      activations = new float[layers][];
      deltas = new float[Math.max(0, layers - 1)][];
      for (int l = 0; l < layers; l++) {
        activations[l] = new float[maxRows * widths[l + 1]];
      }
      for (int l = 0; l < layers - 1; l++) {
        deltas[l] = new float[maxRows * widths[l + 1]];
      }
    }

    public int maxRows() {
      return maxRows;
    }

    /** The last forward pass's output, n x w_L row-major. */
    @Override
    public float[] output() {
      return activations[activations.length - 1];
    }
  }
}
