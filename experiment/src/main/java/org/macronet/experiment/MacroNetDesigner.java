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
    float[] alpha = net.macrostatesV(params, target.v(), 1);
    float[] u = batch(true, alpha, target.id());
    float[] v = withV ? batch(false, alpha, target.id()) : null;
    return new Designs(alpha, u, v);
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
