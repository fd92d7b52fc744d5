package org.macronet.training.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API {@link Elementwise}. Loaded reflectively by {@link Elementwise#get()} only when
 * {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Row kernels run over a row in whole vectors and finish the row in scalar code; the
 * column-sum kernels walk one block of columns down all rows with the block's running sums in a
 * register, adding in the same order as the scalar loops (row by row onto {@code g}), so both
 * paths give the same bits. exp and tanh (JDK 17 has no intrinsic vector exp) are the Cephes
 * single-precision polynomials: exp by x = n ln2 + r with ln2 split in two and a degree-6
 * polynomial for exp(r) (relative error about 1e-7), tanh by an odd polynomial below |x| = 0.625
 * and 1 - 2 / (exp(2|x|) + 1) above.
 *
 * <p>The soft clamp and the exp are separate loops: C2 stops inlining into a method after a fixed
 * number of IR nodes, and the Vector API calls of tanh and exp in one loop exceeded it, leaving
 * some vector operations as calls on boxed vectors (100 KB of garbage per 2,048 values and 4x the
 * time). Loops run in whole vectors and finish with one masked vector: a mask computed on every
 * iteration made them 2-3x slower.
 */
final class VectorElementwise implements Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
  /** Floats as many as {@link #SD} has doubles, for the Adam update from a double gradient. */
  private static final VectorSpecies<Float> SH = VectorSpecies.of(float.class,
      VectorShape.forBitSize(SD.length() * Float.SIZE));

  // exp: arguments beyond these give +inf and 0 (below ln of the smallest normal float)
  private static final float EXP_HI = 88.72283f;
  private static final float EXP_LO = -87.33654f;
  private static final float LOG2E = 1.44269504088896341f;
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
  private static final float ROUND = 12582912f;
  private static final int ROUND_BITS = 0x4B400000;
  private static final float TANH_SMALL = 0.625f;

  @Override
  public String description() {
    return "java-vector-" + S.vectorBitSize();
  }

  /** exp(x) lane-wise; +inf above {@link #EXP_HI}, 0 below {@link #EXP_LO}, NaN stays NaN. */
  private static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(EXP_LO).min(EXP_HI);
    FloatVector t = xc.fma(LOG2E, ROUND);
    FloatVector n = t.sub(ROUND);
    // r = x - n ln2 in two steps; n * LN2_HI is exact (LN2_HI has 9 significant bits, |n| <= 128)
    FloatVector r = xc.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
    FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f).mul(r).add(8.3334519073e-3f).mul(r)
        .add(4.1665795894e-2f).mul(r).add(1.6666665459e-1f).mul(r).add(5.0000001201e-1f);
    FloatVector y = p.mul(r).mul(r).add(r).add(1f);
    // times 2^n as 2^(n - n/2) 2^(n/2), so that n = 128 (just below EXP_HI) and n = -126 stay normal
    IntVector k = t.reinterpretAsInts().sub(ROUND_BITS);
    IntVector k1 = k.lanewise(VectorOperators.ASHR, 1);
    y = y.mul(k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
        .mul(k.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI))
        .blend(0f, x.compare(VectorOperators.LT, EXP_LO));
  }

  /** to[k] := exp(from[k]) for k < count. */
  private static void exp(float[] from, float[] to, int count) {
    int upper = S.loopBound(count);
    int k = 0;
    for (; k < upper; k += L) {
      exp(FloatVector.fromArray(S, from, k)).intoArray(to, k);
    }
    if (k < count) {
      VectorMask<Float> in = S.indexInRange(k, count);
      exp(FloatVector.fromArray(S, from, k, in)).intoArray(to, k, in);
    }
  }

  /** a[k] := c tanh(a[k] / c) for k < count. */
  private static void softClamp(float[] a, int count, float c) {
    float inv = 1f / c;
    int upper = S.loopBound(count);
    int k = 0;
    for (; k < upper; k += L) {
      tanh(FloatVector.fromArray(S, a, k).mul(inv)).mul(c).intoArray(a, k);
    }
    if (k < count) {
      VectorMask<Float> in = S.indexInRange(k, count);
      tanh(FloatVector.fromArray(S, a, k, in).mul(inv)).mul(c).intoArray(a, k, in);
    }
  }

  /** tanh(x) lane-wise. */
  private static FloatVector tanh(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector e = exp(a.add(a));
    FloatVector large = FloatVector.broadcast(S, -2f).div(e.add(1f)).add(1f);
    large = large.lanewise(VectorOperators.NEG, x.compare(VectorOperators.LT, 0f));
    FloatVector z = x.mul(x);
    FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f).mul(z).add(-5.37397155531e-2f).mul(z)
        .add(1.33314422036e-1f).mul(z).add(-3.33332819422e-1f);
    FloatVector small = p.mul(z).fma(x, x);
    return large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
  }

  @Override
  public void addBias(float[] y, int n, int w, float[] b, int bOffset) {
    int wv = S.loopBound(w);
    for (int i = 0; i < n; i++) {
      int row = i * w;
      int j = 0;
      for (; j < wv; j += L) {
        FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, b, bOffset + j)).intoArray(y, row + j);
      }
      for (; j < w; j++) {
        y[row + j] += b[bOffset + j];
      }
    }
  }

  @Override
  public void biasRelu(float[] y, int n, int w, float[] b, int bOffset) {
    int wv = S.loopBound(w);
    for (int i = 0; i < n; i++) {
      int row = i * w;
      int j = 0;
      for (; j < wv; j += L) {
        FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, b, bOffset + j)).max(0f)
            .intoArray(y, row + j);
      }
      for (; j < w; j++) {
        y[row + j] = Math.max(y[row + j] + b[bOffset + j], 0f);
      }
    }
  }

  @Override
  public void biasTanh(float[] y, int n, int w, float[] b, int bOffset) {
    addBias(y, n, w, b, bOffset);
    softClamp(y, n * w, 1f);
  }

  @Override
  public void reluBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    int j = 0;
    for (; j < wv; j += L) {
      FloatVector sum = FloatVector.fromArray(S, g, gOffset + j);
      for (int i = 0; i < n; i++) {
        int at = i * w + j;
        FloatVector d = FloatVector.fromArray(S, delta, at);
        d = d.blend(0f, FloatVector.fromArray(S, act, at).compare(VectorOperators.LE, 0f));
        d.intoArray(delta, at);
        sum = sum.add(d);
      }
      sum.intoArray(g, gOffset + j);
    }
    for (; j < w; j++) {
      float sum = g[gOffset + j];
      for (int i = 0; i < n; i++) {
        int at = i * w + j;
        float d = act[at] > 0f ? delta[at] : 0f;
        delta[at] = d;
        sum += d;
      }
      g[gOffset + j] = sum;
    }
  }

  @Override
  public void tanhBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    int j = 0;
    for (; j < wv; j += L) {
      FloatVector sum = FloatVector.fromArray(S, g, gOffset + j);
      for (int i = 0; i < n; i++) {
        int at = i * w + j;
        FloatVector a = FloatVector.fromArray(S, act, at);
        FloatVector d = FloatVector.fromArray(S, delta, at).mul(a.mul(a).neg().add(1f));
        d.intoArray(delta, at);
        sum = sum.add(d);
      }
      sum.intoArray(g, gOffset + j);
    }
    for (; j < w; j++) {
      float sum = g[gOffset + j];
      for (int i = 0; i < n; i++) {
        int at = i * w + j;
        float a = act[at];
        float d = delta[at] * (1f - a * a);
        delta[at] = d;
        sum += d;
      }
      g[gOffset + j] = sum;
    }
  }

  @Override
  public void columnSums(float[] delta, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    int j = 0;
    for (; j < wv; j += L) {
      FloatVector sum = FloatVector.fromArray(S, g, gOffset + j);
      for (int i = 0; i < n; i++) {
        sum = sum.add(FloatVector.fromArray(S, delta, i * w + j));
      }
      sum.intoArray(g, gOffset + j);
    }
    for (; j < w; j++) {
      float sum = g[gOffset + j];
      for (int i = 0; i < n; i++) {
        sum += delta[i * w + j];
      }
      g[gOffset + j] = sum;
    }
  }

  @Override
  public void softClampExp(float[] s, float[] e, int count, float c) {
    softClamp(s, count, c);
    exp(s, e, count);
  }

  @Override
  public void adam(float[] p, float[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize,
      float eps) {
    float a1 = 1 - b1;
    float a2 = 1 - b2;
    int upper = S.loopBound(count);
    int i = 0;
    for (; i < upper; i += L) {
      FloatVector gi = FloatVector.fromArray(S, g, i);
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(a1));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(a2).mul(gi));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector.fromArray(S, p, i).sub(mi.mul(stepSize).div(vi.sqrt().add(eps))).intoArray(p, i);
    }
    for (; i < count; i++) {
      float gi = g[i];
      float mi = b1 * m[i] + a1 * gi;
      float vi = b2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= stepSize * mi / ((float) Math.sqrt(vi) + eps);
    }
  }

  @Override
  public void adam(float[] p, double[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize,
      float eps) {
    float a1 = 1 - b1;
    float a2 = 1 - b2;
    int lanes = SH.length();
    int upper = SH.loopBound(count);
    int i = 0;
    for (; i < upper; i += lanes) {
      FloatVector gi = (FloatVector) DoubleVector.fromArray(SD, g, i).convertShape(VectorOperators.D2F, SH, 0);
      FloatVector mi = FloatVector.fromArray(SH, m, i).mul(b1).add(gi.mul(a1));
      FloatVector vi = FloatVector.fromArray(SH, v, i).mul(b2).add(gi.mul(a2).mul(gi));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector.fromArray(SH, p, i).sub(mi.mul(stepSize).div(vi.sqrt().add(eps))).intoArray(p, i);
    }
    for (; i < count; i++) {
      float gi = (float) g[i];
      float mi = b1 * m[i] + a1 * gi;
      float vi = b2 * v[i] + a2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= stepSize * mi / ((float) Math.sqrt(vi) + eps);
    }
  }
}
