package org.macronet.training.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
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
 * paths give the same bits.
 *
 * <p>tanh and exp ({@link #biasTanh}, {@link #softClampExp}) are the scalar path's: a vector
 * polynomial (Cephes) ran the coupling's soft clamp and exp 8x faster, but it rounds differently
 * from {@link Math#exp}, and training results must not depend on the element-wise path (a rerun
 * of a pinned pipeline compares numbers; the oscillator's default run moved from 0.9924 to 0.9897
 * on a bar of 0.99). JDK 17 has no vector exp that rounds like {@link Math#exp}. The cost is about
 * 0.2 ms of N2's 2.7 ms step.
 */
final class VectorElementwise implements Elementwise {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;
  /** Floats as many as {@link #SD} has doubles, for the Adam update from a double gradient. */
  private static final VectorSpecies<Float> SH = VectorSpecies.of(float.class,
      VectorShape.forBitSize(SD.length() * Float.SIZE));

  @Override
  public String description() {
    return "java-vector-" + S.vectorBitSize();
  }

  @Override
  public void addBias(float[] y, int n, int w, float[] b, int bOffset) {
    int wv = S.loopBound(w);
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = 0; j < wv; j += L) {
        FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, b, bOffset + j)).intoArray(y, row + j);
      }
    }
    ScalarElementwise.addBias(y, n, w, b, bOffset, wv);
  }

  @Override
  public void biasRelu(float[] y, int n, int w, float[] b, int bOffset) {
    int wv = S.loopBound(w);
    for (int i = 0; i < n; i++) {
      int row = i * w;
      for (int j = 0; j < wv; j += L) {
        FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, b, bOffset + j)).max(0f)
            .intoArray(y, row + j);
      }
    }
    ScalarElementwise.biasRelu(y, n, w, b, bOffset, wv);
  }

  @Override
  public void biasTanh(float[] y, int n, int w, float[] b, int bOffset) {
    ScalarElementwise.INSTANCE.biasTanh(y, n, w, b, bOffset);
  }

  @Override
  public void reluBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    for (int j = 0; j < wv; j += L) {
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
    ScalarElementwise.reluBackward(delta, act, n, w, g, gOffset, wv);
  }

  @Override
  public void tanhBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    for (int j = 0; j < wv; j += L) {
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
    ScalarElementwise.tanhBackward(delta, act, n, w, g, gOffset, wv);
  }

  @Override
  public void columnSums(float[] delta, int n, int w, float[] g, int gOffset) {
    int wv = S.loopBound(w);
    for (int j = 0; j < wv; j += L) {
      FloatVector sum = FloatVector.fromArray(S, g, gOffset + j);
      for (int i = 0; i < n; i++) {
        sum = sum.add(FloatVector.fromArray(S, delta, i * w + j));
      }
      sum.intoArray(g, gOffset + j);
    }
    ScalarElementwise.columnSums(delta, n, w, g, gOffset, wv);
  }

  @Override
  public void softClampExp(float[] s, float[] e, int count, float c) {
    ScalarElementwise.INSTANCE.softClampExp(s, e, count, c);
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
    ScalarElementwise.adam(p, g, m, v, i, count, b1, b2, stepSize, eps);
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
    ScalarElementwise.adam(p, g, m, v, i, count, b1, b2, stepSize, eps);
  }

  @Override
  public void reluMask(float[] delta, float[] act, int count) {
    int bound = S.loopBound(count);
    for (int k = 0; k < bound; k += L) {
      FloatVector d = FloatVector.fromArray(S, delta, k);
      d.blend(0f, FloatVector.fromArray(S, act, k).compare(VectorOperators.LE, 0f)).intoArray(delta, k);
    }
    ScalarElementwise.reluMask(delta, act, bound, count);
  }

  @Override
  public void add(float[] y, int yOffset, float[] x, int xOffset, int count) {
    int bound = S.loopBound(count);
    for (int k = 0; k < bound; k += L) {
      FloatVector.fromArray(S, y, yOffset + k).add(FloatVector.fromArray(S, x, xOffset + k))
          .intoArray(y, yOffset + k);
    }
    ScalarElementwise.add(y, yOffset, x, xOffset, bound, count);
  }
}
