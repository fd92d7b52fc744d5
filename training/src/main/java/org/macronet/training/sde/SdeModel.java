package org.macronet.training.sde;

import java.util.SplittableRandom;
import org.macronet.common.random.SampleRandom;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;
import org.macronet.training.nn.Subnet;
import org.macronet.training.nn.Activation;
import org.macronet.training.nn.Mlp;

/**
 * The learned SDE dz = f(z) dt + sigma(z) dW on a d-dimensional macrostate: the drift f an MLP
 * (d -> hidden... -> d, ReLU), the diffusion sigma an MLP to d x d entries, to a diagonal, or one
 * constant matrix ({@link SigmaMode}). Parameters are one flat float array: the drift's, then the
 * diffusion's (an MLP's, or the d x d constant row-major).
 *
 * <p>It is fitted to increments (z0, z1, dt) by {@link #loss}: the mean of {@link IncrementLoss}
 * over a batch, with its gradient by back-propagation through both networks.
 */
public final class SdeModel {
  private final int d;
  private final SigmaMode mode;
  private final Mlp drift;
  private final Mlp sigmaNet;
  private final int sigmaOffset;
  private final int parameterCount;

  /**
   * @param d      the macrostate's dimension
   * @param hidden the hidden widths of both networks (the reference: 64, 64, 64)
   * @param mode   how sigma is modelled
   */
  public SdeModel(int d, int[] hidden, SigmaMode mode) {
    if (d < 1) {
      throw new IllegalArgumentException("dimension must be positive, found " + d);
    }
    this.d = d;
    this.mode = mode;
    this.drift = new Mlp(widths(d, hidden, d), Activation.RELU);
    this.sigmaNet = mode == SigmaMode.CONSTANT ? null
        : new Mlp(widths(d, hidden, mode == SigmaMode.FULL ? d * d : d), Activation.RELU);
    this.sigmaOffset = drift.parameterCount();
    this.parameterCount = sigmaOffset + (sigmaNet == null ? d * d : sigmaNet.parameterCount());
  }

  private static int[] widths(int in, int[] hidden, int out) {
    int[] w = new int[hidden.length + 2];
    w[0] = in;
    System.arraycopy(hidden, 0, w, 1, hidden.length);
    w[w.length - 1] = out;
    return w;
  }

  public int dimension() {
    return d;
  }

  public SigmaMode mode() {
    return mode;
  }

  public int parameterCount() {
    return parameterCount;
  }

  /**
   * Initial parameters: the networks' default initialisation (their last layers scaled by
   * {@code lastLayerScale}, so the drift starts near 0), and sigma's output biased to
   * {@code initialSigma} times the identity (a constant sigma set to it).
   */
  public float[] initialParameters(SplittableRandom random, double lastLayerScale, double initialSigma) {
    float[] p = new float[parameterCount];
    drift.initialise(p, 0, random, lastLayerScale);
    if (sigmaNet == null) {
      for (int i = 0; i < d; i++) {
        p[sigmaOffset + i * d + i] = (float) initialSigma;
      }
    } else {
      sigmaNet.initialise(p, sigmaOffset, random, lastLayerScale);
      int bias = sigmaOffset + sigmaNet.biasOffset(sigmaNet.widths().length - 2);
      for (int i = 0; i < d; i++) {
        p[bias + (mode == SigmaMode.FULL ? i * d + i : i)] = (float) initialSigma;
      }
    }
    return p;
  }

  /**
   * The parameters as named tensors in PyTorch's shape convention, views into {@code params}:
   * {@code drift.<l>.weight} (out x in) and {@code drift.<l>.bias} for each layer l, the same for
   * {@code sigma.<l>.*}, or {@code sigma} (d x d) for a constant diffusion.
   */
  public java.util.List<SafeTensors.Tensor> tensors(float[] params) {
    if (params.length != parameterCount) {
      throw new IllegalArgumentException(params.length + " parameters for a model of " + parameterCount);
    }
    java.util.List<SafeTensors.Tensor> out = new java.util.ArrayList<>();
    for (Subnet.Tensor t : drift.tensors()) {
      out.add(new SafeTensors.Tensor("drift." + t.name(), t.shape(), params, t.offset()));
    }
    if (sigmaNet == null) {
      out.add(new SafeTensors.Tensor("sigma", new int[] {d, d}, params, sigmaOffset));
    } else {
      for (Subnet.Tensor t : sigmaNet.tensors()) {
        out.add(new SafeTensors.Tensor("sigma." + t.name(), t.shape(), params, sigmaOffset + t.offset()));
      }
    }
    return out;
  }

  /**
   * The flat parameters from named tensors (as {@link #tensors} names them), each checked for its
   * shape; an error names the tensor that is missing or has the wrong shape.
   */
  public float[] parameters(SafeTensorsFile file) {
    float[] params = new float[parameterCount];
    for (SafeTensors.Tensor t : tensors(params)) {
      if (!file.contains(t.name())) {
        throw new IllegalArgumentException("tensor '" + t.name() + "' missing; the file holds " + file.names());
      }
      SafeTensors.Tensor stored = file.tensor(t.name());
      if (!java.util.Arrays.equals(stored.shape(), t.shape())) {
        throw new IllegalArgumentException("tensor '" + t.name() + "' has shape "
            + java.util.Arrays.toString(stored.shape()) + ", the model needs " + java.util.Arrays.toString(t.shape()));
      }
      float[] values = stored.toArray();
      System.arraycopy(values, 0, params, t.offset(), values.length);
    }
    return params;
  }

  /** The architecture, for a model's JSON description; {@link #fromDescription} rebuilds the model. */
  public java.util.Map<String, Object> describe() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("dimension", d);
    m.put("sigma", mode.name().toLowerCase(java.util.Locale.ROOT));
    int[] w = drift.widths();
    m.put("hidden", java.util.Arrays.copyOfRange(w, 1, w.length - 1));
    m.put("activation", "relu");
    m.put("parameters", parameterCount);
    return m;
  }

  /** The model {@link #describe} described. */
  public static SdeModel fromDescription(int dimension, int[] hidden, String sigma) {
    return new SdeModel(dimension, hidden, SigmaMode.parse(sigma));
  }

  /** Per-thread buffers for up to {@code maxRows} rows. */
  public Scratch newScratch(int maxRows) {
    return new Scratch(maxRows);
  }

  /** The drift f(z) of n rows (row-major n x d), into {@code out}. */
  public void drift(float[] params, float[] z, int n, Scratch s, float[] out) {
    drift.forward(params, 0, z, 0, d, n, s.drift);
    System.arraycopy(s.drift.output(), 0, out, 0, n * d);
  }

  /** sigma(z) of n rows, each d x d row-major, into {@code out} (n d^2 values). */
  public void sigma(float[] params, float[] z, int n, Scratch s, double[] out) {
    if (sigmaNet != null) {
      sigmaNet.forward(params, sigmaOffset, z, 0, d, n, s.sigma);
    }
    for (int r = 0; r < n; r++) {
      fillSigma(params, s, r, out, r * d * d);
    }
  }

  private void fillSigma(float[] params, Scratch s, int row, double[] out, int at) {
    switch (mode) {
      case CONSTANT -> {
        for (int k = 0; k < d * d; k++) {
          out[at + k] = params[sigmaOffset + k];
        }
      }
      case FULL -> {
        float[] o = s.sigma.output();
        for (int k = 0; k < d * d; k++) {
          out[at + k] = o[row * d * d + k];
        }
      }
      case DIAGONAL -> {
        float[] o = s.sigma.output();
        java.util.Arrays.fill(out, at, at + d * d, 0);
        for (int i = 0; i < d; i++) {
          out[at + i * d + i] = o[row * d + i];
        }
      }
    }
  }

  /**
   * The mean {@link IncrementLoss} of n increments, and when {@code grad} is not null its gradient
   * with respect to the parameters, added into {@code grad}.
   *
   * @param z0 the states before (n x d, row-major)
   * @param z1 the states after
   * @param dt each increment's duration (n values)
   */
  public double loss(float[] params, float[] z0, float[] z1, float[] dt, int n, IncrementLoss increment, Scratch s,
                     float[] grad) {
    return loss(params, z0, z1, dt, n, increment, s, grad, n);
  }

  /**
   * The loss of n rows summed and divided by {@code divisor} (not by n), its gradient likewise
   * added into {@code grad}: one share of a minibatch of {@code divisor} rows whose shares are
   * computed apart (data-parallel training) and added.
   */
  public double loss(float[] params, float[] z0, float[] z1, float[] dt, int n, IncrementLoss increment, Scratch s,
                     float[] grad, double divisor) {
    if (n > s.maxRows) {
      throw new IllegalArgumentException(n + " rows for a scratch of " + s.maxRows);
    }
    drift.forward(params, 0, z0, 0, d, n, s.drift);
    if (sigmaNet != null) {
      sigmaNet.forward(params, sigmaOffset, z0, 0, d, n, s.sigma);
    }
    float[] f = s.drift.output();
    double[] residual = new double[d];
    double[] sigma = new double[d * d];
    double[] dResidual = new double[d];
    double[] dSigma = new double[d * d];
    double total = 0;
    boolean wantGrad = grad != null;
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        residual[i] = (double) z1[r * d + i] - z0[r * d + i] - (double) f[r * d + i] * dt[r];
      }
      fillSigma(params, s, r, sigma, 0);
      total += increment.loss(residual, sigma, dt[r], wantGrad ? dResidual : null, wantGrad ? dSigma : null);
      if (wantGrad) {
        for (int i = 0; i < d; i++) {
          s.dDrift[r * d + i] = (float) (-dResidual[i] * dt[r] / divisor);
        }
        switch (mode) {
          case CONSTANT -> {
            for (int k = 0; k < d * d; k++) {
              grad[sigmaOffset + k] += (float) (dSigma[k] / divisor);
            }
          }
          case FULL -> {
            for (int k = 0; k < d * d; k++) {
              s.dSigma[r * d * d + k] = (float) (dSigma[k] / divisor);
            }
          }
          case DIAGONAL -> {
            for (int i = 0; i < d; i++) {
              s.dSigma[r * d + i] = (float) (dSigma[i * d + i] / divisor);
            }
          }
        }
      }
    }
    if (wantGrad) {
      drift.backward(params, 0, z0, 0, d, n, s.drift, s.dDrift, null, 0, grad, 0);
      if (sigmaNet != null) {
        sigmaNet.backward(params, sigmaOffset, z0, 0, d, n, s.sigma, s.dSigma, null, 0, grad, sigmaOffset);
      }
    }
    return total / divisor;
  }

  /**
   * Euler-Maruyama paths of the SDE, z <- z + f(z) dt + sigma(z) sqrt(dt) xi, all paths advanced
   * together as one batch. Path p draws its xi from {@code noise.apply(p)}, d standard normals per
   * step ({@link SampleRandom#nextStrictGaussian}, the same on every JVM), so a path depends only on
   * its own stream.
   *
   * @param starts the initial states, one row of d values per path
   * @param steps  steps of {@code dt}
   * @param every  steps between stored states
   * @return {@code [path][k][j]}: component j of path p after k * every steps (k = 0 the start)
   */
  public double[][][] rollout(float[] params, double[][] starts, double dt, int steps, int every,
                              java.util.function.IntFunction<SampleRandom> noise) {
    if (steps < 0 || every < 1 || steps % every != 0 || !(dt > 0)) {
      throw new IllegalArgumentException("need dt > 0 and steps a multiple of every >= 1, found dt " + dt + ", "
          + steps + " steps, every " + every);
    }
    int n = starts.length;
    double[][][] out = new double[n][steps / every + 1][];
    SampleRandom[] rng = new SampleRandom[n];
    double[] z = new double[n * d];
    for (int p = 0; p < n; p++) {
      rng[p] = noise.apply(p);
      System.arraycopy(starts[p], 0, z, p * d, d);
      out[p][0] = starts[p].clone();
    }
    Scratch s = newScratch(n);
    float[] zf = new float[n * d];
    float[] f = new float[n * d];
    double[] sigma = new double[n * d * d];
    double[] xi = new double[d];
    double root = Math.sqrt(dt);
    for (int step = 1; step <= steps; step++) {
      for (int i = 0; i < zf.length; i++) {
        zf[i] = (float) z[i];
      }
      drift(params, zf, n, s, f);
      sigma(params, zf, n, s, sigma);
      for (int p = 0; p < n; p++) {
        for (int j = 0; j < d; j++) {
          xi[j] = rng[p].nextStrictGaussian();
        }
        for (int i = 0; i < d; i++) {
          double noiseTerm = 0;
          for (int j = 0; j < d; j++) {
            noiseTerm += sigma[p * d * d + i * d + j] * xi[j];
          }
          z[p * d + i] += f[p * d + i] * dt + root * noiseTerm;
        }
        if (step % every == 0) {
          out[p][step / every] = java.util.Arrays.copyOfRange(z, p * d, p * d + d);
        }
      }
    }
    return out;
  }

  /** Buffers of one thread. */
  public final class Scratch {
    private final int maxRows;
    private final Mlp.Scratch drift;
    private final Mlp.Scratch sigma;
    private final float[] dDrift;
    private final float[] dSigma;

    private Scratch(int maxRows) {
      this.maxRows = maxRows;
      this.drift = SdeModel.this.drift.newScratch(maxRows);
      this.sigma = sigmaNet == null ? null : sigmaNet.newScratch(maxRows);
      this.dDrift = new float[maxRows * d];
      this.dSigma = new float[maxRows * (sigmaNet == null ? 0 : sigmaNet.outputWidth())];
    }
  }
}
