package org.macronet.training.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernels against the scalar reference, bit for bit, on widths that are and are not
 * multiples of the vector length; the scalar tanh and exp against {@link Math#tanh} and
 * {@link Math#exp}; hand-computed column sums.
 */
class ElementwiseTest {
  private static final Elementwise VECTOR = Elementwise.get();
  private static final Elementwise SCALAR = Elementwise.scalar();
  private static final int[] WIDTHS = {1, 4, 7, 16, 37, 64, 128};

  private static float[] gaussian(SplittableRandom r, int count, double scale) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) (r.nextGaussian() * scale);
    }
    return x;
  }

  @Test
  void vectorPathIsInUseWhenTheModuleIsLoaded() {
    // the test JVM runs with --add-modules jdk.incubator.vector (root pom's java.opens); with
    // -Dmacronet.training.scalar=true every test here compares the scalar path with itself
    String expected = Boolean.getBoolean("macronet.training.scalar") ? "java-scalar" : "java-vector";
    assertTrue(VECTOR.description().startsWith(expected), VECTOR.description());
    assertEquals("java-scalar", SCALAR.description());
  }

  @Test
  void biasAndReluAreExact() {
    SplittableRandom r = new SplittableRandom(1);
    for (int w : WIDTHS) {
      int n = 9;
      float[] y = gaussian(r, n * w, 1.0);
      float[] b = gaussian(r, w + 3, 1.0);
      float[] ys = y.clone();
      float[] yv = y.clone();
      SCALAR.addBias(ys, n, w, b, 3);
      VECTOR.addBias(yv, n, w, b, 3);
      assertArrayEquals(ys, yv, "addBias, width " + w);
      SCALAR.biasRelu(ys, n, w, b, 2);
      VECTOR.biasRelu(yv, n, w, b, 2);
      assertArrayEquals(ys, yv, "biasRelu, width " + w);
      for (int i = 0; i < n * w; i++) {
        assertTrue(ys[i] >= 0f);
      }
    }
  }

  @Test
  void derivativesAndBiasGradientsAreExact() {
    SplittableRandom r = new SplittableRandom(2);
    for (int w : WIDTHS) {
      int n = 33;
      float[] act = gaussian(r, n * w, 1.0);
      for (int i = 0; i < act.length; i += 3) {
        act[i] = 0f; // ReLU outputs are often exactly 0
      }
      float[] delta = gaussian(r, n * w, 1.0);
      float[] g = gaussian(r, w + 1, 1.0);
      float[] ds = delta.clone();
      float[] dv = delta.clone();
      float[] gs = g.clone();
      float[] gv = g.clone();
      SCALAR.reluBackward(ds, act, n, w, gs, 1);
      VECTOR.reluBackward(dv, act, n, w, gv, 1);
      assertArrayEquals(ds, dv, "reluBackward delta, width " + w);
      assertArrayEquals(gs, gv, "reluBackward bias gradient, width " + w);
      for (int i = 0; i < act.length; i++) {
        assertEquals(act[i] > 0f ? delta[i] : 0f, ds[i]);
      }
      SCALAR.tanhBackward(ds, act, n, w, gs, 0);
      VECTOR.tanhBackward(dv, act, n, w, gv, 0);
      assertArrayEquals(ds, dv, "tanhBackward delta, width " + w);
      assertArrayEquals(gs, gv, "tanhBackward bias gradient, width " + w);
      SCALAR.columnSums(ds, n, w, gs, 1);
      VECTOR.columnSums(dv, n, w, gv, 1);
      assertArrayEquals(gs, gv, "columnSums, width " + w);
    }
  }

  @Test
  void columnSumsAddEachColumnOntoTheGradient() {
    // Given D = [[1, 2], [3, 4], [5, 6]] and g = [10, 20], Then g = [19, 32]
    float[] d = {1, 2, 3, 4, 5, 6};
    float[] g = {0, 10, 20};
    VECTOR.columnSums(d, 3, 2, g, 1);
    assertArrayEquals(new float[] {0, 19, 32}, g);
  }

  @Test
  void softClampAndExpAreExactAndCorrect() {
    SplittableRandom r = new SplittableRandom(3);
    for (float c : new float[] {0.5f, 1f, 2f}) {
      for (int count : new int[] {1, 15, 16, 17, 2048, 2051}) {
        float[] s = gaussian(r, count, 3.0);
        s[0] = 1e-6f;
        float[] ss = s.clone();
        float[] sv = s.clone();
        float[] es = new float[count];
        float[] ev = new float[count];
        SCALAR.softClampExp(ss, es, count, c);
        VECTOR.softClampExp(sv, ev, count, c);
        assertArrayEquals(ss, sv, "s, c = " + c + ", count " + count);
        assertArrayEquals(es, ev, "exp(s), c = " + c + ", count " + count);
        for (int k = 0; k < count; k++) {
          double exact = c * Math.tanh(s[k] / (double) c);
          assertEquals(exact, ss[k], 2e-7 * Math.max(Math.abs(exact), 1e-2 * c), "s at " + k);
          assertEquals(Math.exp(ss[k]), es[k], 1e-7 * Math.exp(ss[k]), "exp(s) at " + k);
          assertTrue(Math.abs(ss[k]) <= c);
        }
      }
    }
  }

  @Test
  void tanhActivationIsExactAndAgreesWithMathTanh() {
    SplittableRandom r = new SplittableRandom(4);
    for (int w : WIDTHS) {
      int n = 5;
      float[] y = gaussian(r, n * w, 2.0);
      y[0] = 40f;
      y[y.length - 1] = -1e-5f;
      float[] b = gaussian(r, w, 0.1);
      float[] yv = y.clone();
      float[] ys = y.clone();
      VECTOR.biasTanh(yv, n, w, b, 0);
      SCALAR.biasTanh(ys, n, w, b, 0);
      assertArrayEquals(ys, yv, "width " + w);
      for (int i = 0; i < y.length; i++) {
        double exact = Math.tanh(y[i] + b[i % w]);
        assertEquals(exact, ys[i], 2e-7 * Math.max(Math.abs(exact), 1e-2), "tanh(" + (y[i] + b[i % w]) + ")");
      }
    }
  }

  @Test
  void adamIsExactForFloatAndDoubleGradients() {
    SplittableRandom r = new SplittableRandom(5);
    int count = 16 * 7 + 5;
    float[] ps = gaussian(r, count, 1.0);
    float[] pv = ps.clone();
    float[] pd = ps.clone();
    float[] ms = new float[count];
    float[] vs = new float[count];
    float[] mv = new float[count];
    float[] vv = new float[count];
    float[] md = new float[count];
    float[] vd = new float[count];
    for (int step = 0; step < 5; step++) {
      float[] g = gaussian(r, count, 0.1);
      double[] gd = new double[count];
      for (int i = 0; i < count; i++) {
        gd[i] = g[i];
      }
      float size = 1e-3f / (step + 1);
      SCALAR.adam(ps, g, ms, vs, count, 0.9f, 0.999f, size, 1e-8f);
      VECTOR.adam(pv, g, mv, vv, count, 0.9f, 0.999f, size, 1e-8f);
      VECTOR.adam(pd, gd, md, vd, count, 0.9f, 0.999f, size, 1e-8f);
      assertArrayEquals(ps, pv, "parameters, float gradient, step " + step);
      assertArrayEquals(ms, mv, "first moment, step " + step);
      assertArrayEquals(vs, vv, "second moment, step " + step);
      assertArrayEquals(ps, pd, "parameters, double gradient, step " + step);
    }
  }

  @Test
  void adamFromDoubleGradientMatchesScalarAcrossChunks() {
    // the vector path rounds a double gradient to float 4,096 elements at a time: cross two chunk
    // boundaries, end off a vector boundary, and use doubles that do not fit a float
    SplittableRandom r = new SplittableRandom(6);
    int count = 2 * 4096 + 16 * 3 + 7;
    float[] ps = gaussian(r, count, 1.0);
    float[] pv = ps.clone();
    float[] ms = new float[count];
    float[] vs = new float[count];
    float[] mv = new float[count];
    float[] vv = new float[count];
    for (int step = 0; step < 3; step++) {
      double[] g = new double[count];
      for (int i = 0; i < count; i++) {
        g[i] = r.nextGaussian() * 0.1 + 1e-12 * r.nextDouble();
      }
      float size = 1e-3f / (step + 1);
      SCALAR.adam(ps, g, ms, vs, count, 0.9f, 0.999f, size, 1e-8f);
      VECTOR.adam(pv, g, mv, vv, count, 0.9f, 0.999f, size, 1e-8f);
      assertArrayEquals(ps, pv, "parameters, step " + step);
      assertArrayEquals(ms, mv, "first moment, step " + step);
      assertArrayEquals(vs, vv, "second moment, step " + step);
    }
  }

  @Test
  void reluMaskAndAddAreExact() {
    SplittableRandom r = new SplittableRandom(9);
    for (int count : WIDTHS) {
      float[] act = gaussian(r, count, 1.0);
      float[] delta = gaussian(r, count, 1.0);
      float[] ds = delta.clone();
      float[] dv = delta.clone();
      SCALAR.reluMask(ds, act, count);
      VECTOR.reluMask(dv, act, count);
      assertArrayEquals(ds, dv, "reluMask, count " + count);
      for (int k = 0; k < count; k++) {
        assertEquals(act[k] > 0f ? delta[k] : 0f, ds[k], "reluMask at " + k);
      }
      float[] y = gaussian(r, count + 5, 1.0);
      float[] x = gaussian(r, count + 2, 1.0);
      float[] ys = y.clone();
      float[] yv = y.clone();
      SCALAR.add(ys, 5, x, 2, count);
      VECTOR.add(yv, 5, x, 2, count);
      assertArrayEquals(ys, yv, "add, count " + count);
      assertEquals(y[5] + x[2], ys[5]);
      assertEquals(y[4], ys[4], "values before the offset are untouched");
    }
  }
}
