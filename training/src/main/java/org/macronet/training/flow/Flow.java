package org.macronet.training.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A normalizing flow: blocks applied in order, z = f_K(... f_1(x)), log|det J| the sum of the
 * blocks'. The flow's parameters are a view of a flat array at {@code base}; block k's
 * parameters start at {@code base + offset(k)}, and gradients use the same layout.
 */
public final class Flow {
  private final List<FlowBlock> blocks;
  private final int[] offsets;
  private final int parameterCount;
  private final int dim;

  public Flow(List<FlowBlock> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("a flow needs at least one block");
    }
    this.blocks = List.copyOf(blocks);
    this.dim = blocks.get(0).dim();
    this.offsets = new int[blocks.size()];
    int offset = 0;
    for (int k = 0; k < blocks.size(); k++) {
      FlowBlock b = blocks.get(k);
      if (b.dim() != dim) {
        throw new IllegalArgumentException("block " + k + " has width " + b.dim() + ", the flow " + dim);
      }
      offsets[k] = offset;
      offset += b.parameterCount();
    }
    this.parameterCount = offset;
  }

  public int dim() {
    return dim;
  }

  public int parameterCount() {
    return parameterCount;
  }

  public List<FlowBlock> blocks() {
    return blocks;
  }

  public int offset(int block) {
    return offsets[block];
  }

  /** Draws every block's initial parameters from one seeded stream, in block order. */
  public void initialise(float[] params, int base, SplittableRandom random) {
    for (int k = 0; k < blocks.size(); k++) {
      blocks.get(k).initialise(params, base + offsets[k], random);
    }
  }

  /**
   * {@link #initialiseFromData} passes up to this many values (rows x width) through each block at
   * once, as the matrix products' rounding may depend on how many rows they see; beyond it (wide
   * rows, images) it goes {@link #INIT_CHUNK} rows at a time so that the blocks' buffers stay small.
   */
  private static final long INIT_VALUES = 1 << 20;
  private static final int INIT_CHUNK = 64;

  /** Data-dependent initialisation (ActNorm): passes {@code x} through, fitting blocks in order. */
  public void initialiseFromData(float[] params, int base, float[] x, int n) {
    int chunk = (long) n * dim <= INIT_VALUES ? Math.max(n, 1) : INIT_CHUNK;
    float[] in = x.clone();
    float[] out = new float[n * dim];
    float[] chunkIn = new float[chunk * dim];
    float[] chunkOut = new float[chunk * dim];
    double[] logdet = new double[chunk];
    for (int k = 0; k < blocks.size(); k++) {
      FlowBlock b = blocks.get(k);
      b.initialiseFromData(params, base + offsets[k], in, n);
      Object scratch = b.newScratch(chunk);
      for (int start = 0; start < n; start += chunk) {
        int m = Math.min(chunk, n - start);
        System.arraycopy(in, start * dim, chunkIn, 0, m * dim);
        b.forward(params, base + offsets[k], chunkIn, chunkOut, m, logdet, scratch);
        System.arraycopy(chunkOut, 0, out, start * dim, m * dim);
      }
      float[] t = in;
      in = out;
      out = t;
    }
  }

  public Workspace newWorkspace(int maxRows) {
    return new Workspace(maxRows);
  }

  /** Training forward pass: z = f(x) into {@link Workspace#output()}, log-det per row in {@link Workspace#logdet()}. */
  public void forward(float[] params, int base, float[] x, int n, Workspace ws) {
    ws.check(n);
    System.arraycopy(x, 0, ws.activations[0], 0, n * dim);
    java.util.Arrays.fill(ws.logdet, 0, n, 0.0);
    for (int k = 0; k < blocks.size(); k++) {
      blocks.get(k).forward(params, base + offsets[k], ws.activations[k], ws.activations[k + 1], n, ws.logdet,
          ws.scratch[k]);
    }
  }

  /**
   * Back-propagates dL/dz (n x dim, not modified) and dL/dlogdet per row through the last
   * {@link #forward}: adds dL/dparams into {@code grad} at {@code gradBase}; writes dL/dx into
   * {@code dx} when it is not null.
   */
  public void backward(float[] params, int base, float[] dz, float[] dLogdet, int n, Workspace ws, float[] grad,
      int gradBase, float[] dx) {
    ws.check(n);
    float[] cur = ws.gradA;
    float[] next = ws.gradB;
    System.arraycopy(dz, 0, cur, 0, n * dim);
    for (int k = blocks.size() - 1; k >= 0; k--) {
      blocks.get(k).backward(params, base + offsets[k], ws.activations[k], cur, dLogdet, next, n, ws.scratch[k], grad,
          gradBase + offsets[k]);
      float[] t = cur;
      cur = next;
      next = t;
    }
    if (dx != null) {
      System.arraycopy(cur, 0, dx, 0, n * dim);
    }
  }

  /** z = f(x) for n rows with log-dets, allocating its own buffers (analysis, not training). */
  public float[] transform(float[] params, int base, float[] x, int n, double[] logdetOut) {
    Workspace ws = newWorkspace(Math.max(n, 1));
    forward(params, base, x, n, ws);
    if (logdetOut != null) {
      System.arraycopy(ws.logdet, 0, logdetOut, 0, n);
    }
    return java.util.Arrays.copyOf(ws.output(), n * dim);
  }

  /** x = f^{-1}(z) for n rows. */
  public float[] inverse(float[] params, int base, float[] z, int n) {
    float[] cur = z.clone();
    float[] next = new float[n * dim];
    for (int k = blocks.size() - 1; k >= 0; k--) {
      blocks.get(k).inverse(params, base + offsets[k], cur, next, n);
      float[] t = cur;
      cur = next;
      next = t;
    }
    return java.util.Arrays.copyOf(cur, n * dim);
  }

  /** The architecture, block by block, for model.json. */
  public List<Map<String, Object>> describe() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (FlowBlock b : blocks) {
      out.add(b.describe());
    }
    return out;
  }

  /** Buffers of one thread for batches of up to {@code maxRows} rows. */
  public final class Workspace {
    private final int maxRows;
    private final float[][] activations;
    private final Object[] scratch;
    private final double[] logdet;
    private final float[] gradA;
    private final float[] gradB;

    private Workspace(int maxRows) {
      this.maxRows = maxRows;
      activations = new float[blocks.size() + 1][maxRows * dim];
      scratch = new Object[blocks.size()];
      for (int k = 0; k < blocks.size(); k++) {
        scratch[k] = blocks.get(k).newScratch(maxRows);
      }
      logdet = new double[maxRows];
      gradA = new float[maxRows * dim];
      gradB = new float[maxRows * dim];
    }

    private void check(int n) {
      if (n > maxRows) {
        throw new IllegalArgumentException("batch of " + n + " rows exceeds the workspace's " + maxRows);
      }
    }

    /** z of the last forward pass (n x dim, row-major). */
    public float[] output() {
      return activations[blocks.size()];
    }

    /** log|det J| per row of the last forward pass. */
    public double[] logdet() {
      return logdet;
    }
  }
}
