package org.macronet.training.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
  /** Elements of a double gradient rounded to float at a time by the Adam update (16 KiB). */
  private static final int ADAM_CHUNK = 4096;

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
    adam(p, g, 0, m, v, 0, count, b1, b2, stepSize, eps);
  }

  /**
   * The double gradient is rounded to float a chunk at a time and the chunk goes through the float
   * kernel: the same float operations per element as the scalar path. Rounding with
   * {@code convertShape} into a half-width float species would be shorter, but a second float
   * vector class in the process pollutes the type profiles that every vector kernel shares (the
   * JIT then cannot prove which vector class an operation returns and stores it lane by lane,
   * about 30 times slower).
   */
  @Override
  public void adam(float[] p, double[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize,
      float eps) {
    float[] chunk = new float[Math.min(count, ADAM_CHUNK)];
    for (int from = 0; from < count; from += ADAM_CHUNK) {
      int n = Math.min(ADAM_CHUNK, count - from);
      for (int k = 0; k < n; k++) {
        chunk[k] = (float) g[from + k];
      }
      adam(p, chunk, 0, m, v, from, n, b1, b2, stepSize, eps);
    }
  }

  /** Adam on {@code p, m, v [at .. at + count)} with the gradient at {@code g[gAt ..]}. */
  private static void adam(float[] p, float[] g, int gAt, float[] m, float[] v, int at, int count, float b1, float b2,
      float stepSize, float eps) {
    float a1 = 1 - b1;
    float a2 = 1 - b2;
    int upper = S.loopBound(count);
    int k = 0;
    for (; k < upper; k += L) {
      int i = at + k;
      FloatVector gi = FloatVector.fromArray(S, g, gAt + k);
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(a1));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(a2).mul(gi));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      FloatVector.fromArray(S, p, i).sub(mi.mul(stepSize).div(vi.sqrt().add(eps))).intoArray(p, i);
    }
    for (; k < count; k++) {
      ScalarElementwise.adamElement(p, m, v, at + k, g[gAt + k], b1, b2, stepSize, eps);
    }
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
