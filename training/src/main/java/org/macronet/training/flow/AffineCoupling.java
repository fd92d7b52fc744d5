package org.macronet.training.flow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.linalg.Elementwise;
import org.macronet.training.nn.Activation;
import org.macronet.training.nn.Mlp;
import org.macronet.training.nn.Subnet;

/**
 * Affine coupling (RealNVP): x = (x1, x2) with x1 the first {@code split} columns;
 * (s_raw, t) = subnet(x1); s = c tanh(s_raw / c) (soft clamp); y1 = x1, y2 = x2 exp(s) + t;
 * log|det J| = sum(s). The subnet's parameters are this block's: an {@link Mlp} on vectors
 * (split floor(dim/2)), or a {@link org.macronet.training.nn.ConvNet} on images, where the first
 * half of the channels is x1 (a row is channel-major, so that half is a prefix of the row).
 */
public final class AffineCoupling implements FlowBlock {
  private static final Elementwise KERNELS = Elementwise.get();

  private final int dim;
  private final int d1;
  private final int d2;
  private final float clamp;
  private final Subnet subnet;
  private final double lastLayerScale;

  /**
   * @param hidden widths of the subnet's hidden layers
   * @param clamp c of the soft clamp, > 0
   * @param lastLayerScale scale of the subnet's last-layer initialisation (small: start near identity)
   */
  public AffineCoupling(int dim, int[] hidden, Activation activation, double clamp, double lastLayerScale) {
    this(dim, dim / 2, new Mlp(mlpWidths(dim, hidden), activation), clamp, lastLayerScale);
  }

  /**
   * A coupling whose subnet reads the first {@code split} columns and writes 2 (dim - split)
   * values per row: s_raw, then t.
   */
  public AffineCoupling(int dim, int split, Subnet subnet, double clamp, double lastLayerScale) {
    if (dim < 2 || split < 1 || split >= dim) {
      throw new IllegalArgumentException("an affine coupling needs at least 2 columns and a split inside them, found "
          + dim + " columns split at " + split);
    }
    if (!(clamp > 0)) {
      throw new IllegalArgumentException("coupling clamp must be > 0, found " + clamp);
    }
    if (subnet.inputWidth() != split || subnet.outputWidth() != 2 * (dim - split)) {
      throw new IllegalArgumentException("a coupling split " + split + " + " + (dim - split) + " needs a subnet from "
          + split + " to " + 2 * (dim - split) + " values, found " + subnet.inputWidth() + " to "
          + subnet.outputWidth());
    }
    this.dim = dim;
    this.d1 = split;
    this.d2 = dim - d1;
    this.clamp = (float) clamp;
    this.lastLayerScale = lastLayerScale;
    this.subnet = subnet;
  }

  private static int[] mlpWidths(int dim, int[] hidden) {
    int[] widths = new int[hidden.length + 2];
    widths[0] = dim / 2;
    System.arraycopy(hidden, 0, widths, 1, hidden.length);
    widths[widths.length - 1] = 2 * (dim - dim / 2);
    return widths;
  }

  public Subnet subnet() {
    return subnet;
  }

  public double clamp() {
    return clamp;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int parameterCount() {
    return subnet.parameterCount();
  }

  @Override
  public void initialise(float[] params, int offset, SplittableRandom random) {
    subnet.initialise(params, offset, random, lastLayerScale);
  }

  @Override
  public Object newScratch(int maxRows) {
    return new Scratch(maxRows);
  }

  private final class Scratch {
    final Subnet.Buffers net;
    final float[] s;
    final float[] e;

    Scratch(int maxRows) {
      net = subnet.newScratch(maxRows);
      s = new float[maxRows * d2];
      e = new float[maxRows * d2];
    }
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    Scratch sc = (Scratch) scratch;
    subnet.forward(params, offset, x, 0, dim, n, sc.net);
    float[] h = sc.net.output();
    // s := c tanh(s_raw / c), e := exp(s) over the n x d2 block of s_raw, copied out contiguously
    for (int i = 0; i < n; i++) {
      System.arraycopy(h, i * 2 * d2, sc.s, i * d2, d2);
    }
    KERNELS.softClampExp(sc.s, sc.e, n * d2, clamp);
    for (int i = 0; i < n; i++) {
      int row = i * dim;
      int hr = i * 2 * d2;
      int sr = i * d2;
      double ld = 0;
      System.arraycopy(x, row, y, row, d1);
      for (int j = 0; j < d2; j++) {
        y[row + d1 + j] = x[row + d1 + j] * sc.e[sr + j] + h[hr + d2 + j];
        ld += sc.s[sr + j];
      }
      logdet[i] += ld;
    }
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    Subnet.Buffers buffers = subnet.newScratch(n);
    subnet.forward(params, offset, y, 0, dim, n, buffers);
    float[] h = buffers.output();
    float c = clamp;
    for (int i = 0; i < n; i++) {
      int row = i * dim;
      int hr = i * 2 * d2;
      System.arraycopy(y, row, x, row, d1);
      for (int j = 0; j < d2; j++) {
        double s = c * Math.tanh(h[hr + j] / c);
        x[row + d1 + j] = (float) ((y[row + d1 + j] - h[hr + d2 + j]) * Math.exp(-s));
      }
    }
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    Scratch sc = (Scratch) scratch;
    // dL/dh: the subnet's output error, written over its output buffer (not needed after this).
    float[] dh = sc.net.output();
    float inv = 1f / clamp;
    for (int i = 0; i < n; i++) {
      int row = i * dim;
      int hr = i * 2 * d2;
      int sr = i * d2;
      float gl = dLogdet[i];
      System.arraycopy(dy, row, dx, row, d1);
      for (int j = 0; j < d2; j++) {
        float g = dy[row + d1 + j];
        float e = sc.e[sr + j];
        float s = sc.s[sr + j];
        float ds = g * x[row + d1 + j] * e + gl;
        float q = s * inv;
        dh[hr + j] = ds * (1f - q * q);
        dh[hr + d2 + j] = g;
        dx[row + d1 + j] = g * e;
      }
    }
    subnet.backward(params, offset, x, 0, dim, n, sc.net, dh, dx, 0, grad, gradOffset);
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "affine_coupling");
    m.put("dim", dim);
    m.put("split", d1);
    m.putAll(subnet.describe());
    m.put("clamp", (double) clamp);
    return m;
  }
}
