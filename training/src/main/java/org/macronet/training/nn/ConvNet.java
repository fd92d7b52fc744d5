package org.macronet.training.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.linalg.Blas;
import org.macronet.training.linalg.Elementwise;

/**
 * A small convolutional network over images on a periodic grid (a torus), the subnet of an image
 * flow's affine couplings. A row holds one image channel-major, {@code [channel][y][x]}; layer l
 * convolves c_l channels into c_{l+1} with a k_l x k_l kernel (k_l odd; stride 1, periodic
 * padding, so every layer keeps the grid), the activation after every layer but the last.
 * Parameters per layer: the weight {@code [c_{l+1}][c_l][k_l][k_l]} (PyTorch's layout), then the
 * bias {@code [c_{l+1}]}.
 *
 * <p>Each convolution is one GEMM per image over its im2col matrix ({@code c_l k_l^2} x the
 * pixels; 1 x 1 layers use the image itself): {@code Y (c_{l+1} x HW) := W (c_{l+1} x c_l k^2) *
 * col(X)}. The backward pass rebuilds the im2col matrix rather than keeping one per image.
 */
public final class ConvNet implements Subnet {
  private static final Elementwise KERNELS = Elementwise.get();

  private final int[] channels;
  private final int[] kernels;
  private final int height;
  private final int width;
  private final int pixels;
  private final Activation activation;
  private final int[] weightOffsets;
  private final int[] biasOffsets;
  private final int parameterCount;
  private final int colSize;

  /**
   * @param channels c_0 (input) .. c_L (output)
   * @param kernels k_0 .. k_{L-1}, each odd (a kernel wider than the grid wraps around it, as the
   *     periodic grid implies)
   */
  public ConvNet(int[] channels, int[] kernels, int height, int width, Activation activation) {
    if (channels.length < 2 || kernels.length != channels.length - 1) {
      throw new IllegalArgumentException("a conv net needs L + 1 channel counts and L kernels, found "
          + Arrays.toString(channels) + " and " + Arrays.toString(kernels));
    }
    for (int c : channels) {
      if (c <= 0) {
        throw new IllegalArgumentException("channel counts must be positive, found " + Arrays.toString(channels));
      }
    }
    for (int k : kernels) {
      if (k < 1 || k % 2 == 0) {
        throw new IllegalArgumentException("kernels must be odd, found " + Arrays.toString(kernels));
      }
    }
    this.channels = channels.clone();
    this.kernels = kernels.clone();
    this.height = height;
    this.width = width;
    this.pixels = height * width;
    this.activation = activation;
    int layers = kernels.length;
    weightOffsets = new int[layers];
    biasOffsets = new int[layers];
    int offset = 0;
    int col = 0;
    for (int l = 0; l < layers; l++) {
      weightOffsets[l] = offset;
      offset += channels[l + 1] * fanIn(l);
      biasOffsets[l] = offset;
      offset += channels[l + 1];
      if (kernels[l] > 1) {
        col = Math.max(col, fanIn(l) * pixels);
      }
    }
    parameterCount = offset;
    colSize = col;
  }

  private int fanIn(int layer) {
    return channels[layer] * kernels[layer] * kernels[layer];
  }

  @Override
  public int inputWidth() {
    return channels[0] * pixels;
  }

  @Override
  public int outputWidth() {
    return channels[channels.length - 1] * pixels;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  /** Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights, zero biases, the last layer scaled. */
  @Override
  public void initialise(float[] params, int offset, SplittableRandom random, double lastLayerScale) {
    for (int l = 0; l < kernels.length; l++) {
      Subnet.initialiseLayer(params, offset + weightOffsets[l], channels[l + 1] * fanIn(l), offset + biasOffsets[l],
          channels[l + 1], fanIn(l), l == kernels.length - 1 ? lastLayerScale : 1.0, random);
    }
  }

  @Override
  public Scratch newScratch(int maxRows) {
    return new Scratch(maxRows);
  }

  @Override
  public void forward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Subnet.Buffers buffers) {
    Scratch s = (Scratch) buffers;
    int top = kernels.length - 1;
    for (int l = 0; l <= top; l++) {
      int cOut = channels[l + 1];
      int k = fanIn(l);
      float[] out = s.activations[l];
      for (int i = 0; i < n; i++) {
        float[] in = l == 0 ? x : s.activations[l - 1];
        int inBase = l == 0 ? xOffset + i * ldx : i * channels[l] * pixels;
        float[] a = in;
        int aOffset = inBase;
        if (kernels[l] > 1) {
          im2col(in, inBase, channels[l], kernels[l], s.col);
          a = s.col;
          aOffset = 0;
        }
        // Y' (HW x c_out) := col' (HW x c_in k^2) * W' (c_in k^2 x c_out), column-major
        Blas.sgemm(false, false, pixels, cOut, k, 1f, a, aOffset, pixels, params, offset + weightOffsets[l], k, 0f,
            out, i * cOut * pixels, pixels);
      }
      biasAndActivation(out, n, cOut, params, offset + biasOffsets[l], l < top);
    }
  }

  private void biasAndActivation(float[] out, int n, int cOut, float[] params, int bias, boolean activate) {
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < cOut; c++) {
        float b = params[bias + c];
        int base = (i * cOut + c) * pixels;
        if (!activate) {
          for (int p = base; p < base + pixels; p++) {
            out[p] += b;
          }
        } else if (activation == Activation.RELU) {
          for (int p = base; p < base + pixels; p++) {
            out[p] = Math.max(out[p] + b, 0f);
          }
        } else {
          for (int p = base; p < base + pixels; p++) {
            out[p] = (float) Math.tanh(out[p] + b);
          }
        }
      }
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, int xOffset, int ldx, int n, Subnet.Buffers buffers,
      float[] dOutput, float[] dx, int dxOffset, float[] grad, int gradOffset) {
    Scratch s = (Scratch) buffers;
    float[] delta = dOutput;
    for (int l = kernels.length - 1; l >= 0; l--) {
      int cIn = channels[l];
      int cOut = channels[l + 1];
      int k = fanIn(l);
      int w = offset + weightOffsets[l];
      int gw = gradOffset + weightOffsets[l];
      channelSums(delta, n, cOut, grad, gradOffset + biasOffsets[l]);
      float[] in = l == 0 ? x : s.activations[l - 1];
      float[] next = l == 0 ? dx : s.deltas[l - 1];
      for (int i = 0; i < n; i++) {
        int inBase = l == 0 ? xOffset + i * ldx : i * cIn * pixels;
        int dBase = i * cOut * pixels;
        float[] a = in;
        int aOffset = inBase;
        if (kernels[l] > 1) {
          im2col(in, inBase, cIn, kernels[l], s.col);
          a = s.col;
          aOffset = 0;
        }
        // dW' (c_in k^2 x c_out) += col (c_in k^2 x HW) * delta' (HW x c_out)
        Blas.sgemm(true, false, k, cOut, pixels, 1f, a, aOffset, pixels, delta, dBase, pixels, 1f, grad, gw, k);
        if (next == null) {
          continue;
        }
        int nextBase = l == 0 ? dxOffset + i * ldx : i * cIn * pixels;
        float beta = l == 0 ? 1f : 0f; // the input gradient is added, a hidden layer's error written
        if (kernels[l] == 1) {
          // dX' (HW x c_in) := delta' (HW x c_out) * W (c_out x c_in) (+ dX')
          Blas.sgemm(false, true, pixels, cIn, cOut, 1f, delta, dBase, pixels, params, w, k, beta, next, nextBase,
              pixels);
        } else {
          Blas.sgemm(false, true, pixels, k, cOut, 1f, delta, dBase, pixels, params, w, k, 0f, s.col, 0, pixels);
          if (beta == 0f) {
            Arrays.fill(next, nextBase, nextBase + cIn * pixels, 0f);
          }
          col2im(s.col, cIn, kernels[l], next, nextBase, s.plane);
        }
      }
      if (l > 0) {
        activationBackward(s.deltas[l - 1], s.activations[l - 1], n * cIn * pixels);
        delta = s.deltas[l - 1];
      }
    }
  }

  private void channelSums(float[] delta, int n, int c, float[] grad, int offset) {
    for (int j = 0; j < c; j++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int base = (i * c + j) * pixels;
        for (int p = base; p < base + pixels; p++) {
          sum += delta[p];
        }
      }
      grad[offset + j] += (float) sum;
    }
  }

  /** delta := delta .* act'(pre-activation), the derivative taken from the layer's output y. */
  private void activationBackward(float[] delta, float[] y, int count) {
    if (activation == Activation.RELU) {
      KERNELS.reluMask(delta, y, count);
    } else {
      for (int p = 0; p < count; p++) {
        delta[p] *= 1f - y[p] * y[p];
      }
    }
  }

  /**
   * col[((c k + ky) k + kx) HW + y W + x] := image[c][(y + ky - k/2) mod H][(x + kx - k/2) mod W]:
   * each row of the im2col matrix is the image's channel c shifted periodically.
   */
  void im2col(float[] image, int base, int c, int k, float[] col) {
    int r = k / 2;
    for (int ch = 0; ch < c; ch++) {
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          shift(image, base + ch * pixels, col, ((ch * k + ky) * k + kx) * pixels, ky - r, kx - r);
        }
      }
    }
  }

  /**
   * The adjoint of {@link #im2col}: image[c][..] += the rows of {@code col} shifted back, each
   * row shifted into {@code plane} and then added whole, which keeps the additions in (c, ky, kx)
   * order for every pixel.
   */
  void col2im(float[] col, int c, int k, float[] image, int base, float[] plane) {
    int r = k / 2;
    for (int ch = 0; ch < c; ch++) {
      int to = base + ch * pixels;
      for (int ky = 0; ky < k; ky++) {
        for (int kx = 0; kx < k; kx++) {
          shift(col, ((ch * k + ky) * k + kx) * pixels, plane, 0, r - ky, r - kx);
          KERNELS.add(image, to, plane, 0, pixels);
        }
      }
    }
  }

  /**
   * out[y W + x] := in[((y + dy) mod H) W + (x + dx) mod W] for one plane. For |dx| < W this is the
   * flattened plane rolled by dy W + dx (two block copies), then the |dx| columns that wrapped into
   * the neighbouring row put right, one value per row, instead of two short copies per row.
   */
  private void shift(float[] in, int from, float[] out, int to, int dy, int dx) {
    if (Math.abs(dx) >= width) {
      for (int y = 0; y < height; y++) {
        int src = from + Math.floorMod(y + dy, height) * width;
        for (int x = 0; x < width; x++) {
          out[to + y * width + x] = in[src + Math.floorMod(x + dx, width)];
        }
      }
      return;
    }
    int roll = Math.floorMod(dy * width + dx, pixels);
    System.arraycopy(in, from + roll, out, to, pixels - roll);
    System.arraycopy(in, from, out, to + pixels - roll, roll);
    if (dx > 0) {
      for (int y = 0; y < height; y++) {
        int src = from + Math.floorMod(y + dy, height) * width - width;
        for (int x = width - dx; x < width; x++) {
          out[to + y * width + x] = in[src + x + dx];
        }
      }
    } else if (dx < 0) {
      for (int y = 0; y < height; y++) {
        int src = from + Math.floorMod(y + dy, height) * width + width;
        for (int x = 0; x < -dx; x++) {
          out[to + y * width + x] = in[src + x + dx];
        }
      }
    }
  }

  @Override
  public List<Tensor> tensors() {
    List<Tensor> out = new ArrayList<>();
    for (int l = 0; l < kernels.length; l++) {
      out.add(new Tensor(l + ".weight", new int[] {channels[l + 1], channels[l], kernels[l], kernels[l]},
          weightOffsets[l]));
      out.add(new Tensor(l + ".bias", new int[] {channels[l + 1]}, biasOffsets[l]));
    }
    return out;
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subnet", "conv");
    m.put("channels", channels.clone());
    m.put("kernels", kernels.clone());
    m.put("grid", new int[] {height, width});
    m.put("padding", "periodic");
    m.put("activation", activation.configName());
    return m;
  }

  /** Buffers of one thread: each layer's output, the hidden layers' errors and one im2col matrix. */
  public final class Scratch implements Subnet.Buffers {
    private final float[][] activations;
    private final float[][] deltas;
    private final float[] col;
    private final float[] plane;

    private Scratch(int maxRows) {
      int layers = kernels.length;
      activations = new float[layers][];
      deltas = new float[layers - 1][];
      for (int l = 0; l < layers; l++) {
        activations[l] = new float[maxRows * channels[l + 1] * pixels];
      }
      for (int l = 0; l < layers - 1; l++) {
        deltas[l] = new float[maxRows * channels[l + 1] * pixels];
      }
      col = new float[colSize];
      plane = new float[pixels];
    }

    @Override
    public float[] output() {
      return activations[activations.length - 1];
    }
  }
}
