package org.macronet.experiment;

import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.TrainedMacroNet;

/**
 * MacroNet's design step for one target, in plain Java: alpha = m_v(v*), then
 * {@code samples} draws u = f_u^{-1}([alpha, eps]) with eps ~ N(0, T^2 I) keyed by
 * (seed, target, design), and v = f_v^{-1}([alpha, eps']) keyed by seed + 1 when asked. One per
 * task: it holds a network of its own.
 */
public final class MacroNetDesigner {
  private final MacroNet net;
  private final float[] params;
  private final long seed;
  private final double temperature;
  private final int samples;

  public MacroNetDesigner(TrainedMacroNet model, long seed, double temperature, int samples) {
    this(model.build(), model.params(), seed, temperature, samples);
  }

  public MacroNetDesigner(MacroNet net, float[] params, long seed, double temperature, int samples) {
    this.net = net;
    this.params = params;
    this.seed = seed;
    this.temperature = temperature;
    this.samples = samples;
  }

  /** A target's designs: its macrostate and the designed u (and v). */
  public record Designs(float[] alpha, float[] u, float[] v) {}

  public Designs design(Target target, boolean withV) {
    return designAt(target, macrostatesV(target.v(), 1), withV);
  }

  /** A target's designs at the macrostate {@code alpha} (d values). */
  public Designs designAt(Target target, float[] alpha, boolean withV) {
    float[] u = batch(true, alpha, target.id());
    float[] v = withV ? batch(false, alpha, target.id()) : null;
    return new Designs(alpha, u, v);
  }

  /** The macrostates m_v of {@code n} observations ({@code n} x vDim, row-major): n x d values. */
  public float[] macrostatesV(float[] v, int n) {
    return net.macrostatesV(params, v, n);
  }

  /** The macrostate dimension d. */
  public int macroDim() {
    return net.macroDim();
  }

  /**
   * The componentwise median of m_v over {@code n} observations (say a state's partners): a
   * macrostate that a few observations on a bad patch of the flow (where its level sets bunch
   * up) do not move.
   */
  public float[] medianMacrostateV(float[] v, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the median needs at least one observation, found " + n);
    }
    double[] median = medians(macrostatesV(v, n), 0, n, net.macroDim());
    float[] out = new float[median.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = (float) median[k];
    }
    return out;
  }

  /**
   * The componentwise median of the {@code n} rows from row {@code first} of {@code macrostates}
   * (rows of {@code d} values): d values.
   */
  public static double[] medians(float[] macrostates, int first, int n, int d) {
    double[] out = new double[d];
    double[] column = new double[n];
    for (int k = 0; k < d; k++) {
      for (int i = 0; i < n; i++) {
        column[i] = macrostates[(first + i) * d + k];
      }
      out[k] = org.macronet.analysis.stats.Summary.median(column);
    }
    return out;
  }

  /**
   * {@code samples} designs of u (or v) at macrostate {@code alpha}: f^{-1}([alpha, eps]) with eps
   * keyed by (seed, target, design); v's noise uses seed + 1.
   */
  public float[] batch(boolean sideU, float[] alpha, int target) {
    int dim = sideU ? net.uDim() : net.vDim();
    int d = net.macroDim();
    float[] a = new float[samples * d];
    float[] e = new float[samples * (dim - d)];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(alpha, 0, a, s * d, d);
      System.arraycopy(eps(seed + (sideU ? 0 : 1), target, s, dim - d, temperature), 0, e, s * (dim - d), dim - d);
    }
    return sideU ? net.designU(params, a, e, samples) : net.designV(params, a, e, samples);
  }

  private static float[] eps(long seed, int target, int design, int count, double temperature) {
    SampleRandom r = SampleSeeds.forSample(SampleSeeds.sampleSeed(seed, target), design);
    float[] e = new float[count];
    for (int i = 0; i < count; i++) {
      e[i] = (float) (temperature * r.nextGaussian());
    }
    return e;
  }
}
