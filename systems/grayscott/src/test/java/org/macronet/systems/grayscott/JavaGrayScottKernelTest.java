package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares {@link JavaGrayScottKernel} (vector path where the JVM has {@code jdk.incubator.vector},
 * which the surefire configuration adds, and the scalar path forced) with a plain double-precision
 * evaluation of the contract's formula.
 *
 * <p>Tolerance: the kernel folds constants, evaluates in float and (vector path) uses fused
 * multiply-adds; on fields of scale ~1 the difference after 200 steps is ~1e-6, asserted below 1e-4.
 */
class JavaGrayScottKernelTest {

  private static final double TOLERANCE = 1e-4;

  /** The contract's formula, straightforwardly, in double precision. */
  static void reference(GrayScottBatch batch, double[] a, double[] b, int steps) {
    int n = batch.size;
    int cells = n * n;
    double[] na = new double[a.length];
    double[] nb = new double[b.length];
    for (int s = 0; s < steps; s++) {
      for (int g = 0; g < batch.count; g++) {
        double da = batch.da[g];
        double db = batch.db[g];
        double f = batch.feed[g];
        double k = batch.kill[g];
        double dt = batch.dt;
        int base = g * cells;
        for (int y = 0; y < n; y++) {
          for (int x = 0; x < n; x++) {
            int i = base + y * n + x;
            int w = base + y * n + (x + n - 1) % n;
            int e = base + y * n + (x + 1) % n;
            int u = base + ((y + n - 1) % n) * n + x;
            int d = base + ((y + 1) % n) * n + x;
            double av = a[i];
            double bv = b[i];
            double lapA = a[w] + a[e] + a[u] + a[d] - 4 * av;
            double lapB = b[w] + b[e] + b[u] + b[d] - 4 * bv;
            double abb = av * bv * bv;
            na[i] = av + dt * (da * lapA - abb + f * (1 - av));
            nb[i] = bv + dt * (db * lapB + abb - (f + k) * bv);
          }
        }
      }
      double[] t = a.clone();
      System.arraycopy(na, 0, a, 0, a.length);
      System.arraycopy(nb, 0, b, 0, b.length);
      na = t;
    }
  }

  /** A random-ish state with structure everywhere (so every neighbour matters) and per-grid parameters. */
  static GrayScottBatch randomBatch(int count, int size, float dt, long seed) {
    GrayScottBatch batch = new GrayScottBatch(count, size, dt);
    Random r = new Random(seed);
    for (int i = 0; i < batch.a.length; i++) {
      batch.a[i] = 0.4f + 0.6f * r.nextFloat();
      batch.b[i] = 0.4f * r.nextFloat();
    }
    for (int g = 0; g < count; g++) {
      batch.setParameters(g, 0.2097 - 0.05 * r.nextDouble(), 0.105 - 0.03 * r.nextDouble(),
          0.02 + 0.03 * r.nextDouble(), 0.05 + 0.015 * r.nextDouble());
    }
    return batch;
  }

  private static double[] toDouble(float[] x) {
    double[] d = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      d[i] = x[i];
    }
    return d;
  }

  private static double maxAbsDiff(float[] x, double[] y) {
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      double d = Math.abs(x[i] - y[i]);
      if (!(d <= m)) {
        m = d; // NaN propagates as a failure
      }
    }
    return m;
  }

  private static void check(int count, int size, int threads, boolean allowVector, int steps, float dt) {
    GrayScottBatch batch = randomBatch(count, size, dt, 1000L * count + size);
    double[] ra = toDouble(batch.a);
    double[] rb = toDouble(batch.b);
    reference(batch, ra, rb, steps);
    try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(threads, allowVector)) {
      kernel.advance(batch, steps);
      double da = maxAbsDiff(batch.a, ra);
      double db = maxAbsDiff(batch.b, rb);
      String what = kernel.description() + " count=" + count + " size=" + size + " steps=" + steps
          + " dt=" + dt + ": max |diff| a=" + da + " b=" + db;
      assertTrue(da < TOLERANCE && db < TOLERANCE, what);
    }
  }

  @ParameterizedTest(name = "count={0} size={1} threads={2} vector={3}")
  @CsvSource({
    // interleaved groups (vector path): full and partial groups, odd sizes, size < lanes
    "1, 5, 1, true", "3, 5, 2, true", "27, 5, 1, true", "27, 5, 2, true", "19, 17, 1, true",
    "19, 17, 2, true", "37, 3, 2, true", "11, 9, 1, true",
    // padded rows: one grid per thread, and one grid split over threads (barrier per step)
    "1, 17, 1, true", "1, 17, 2, true", "1, 33, 2, true", "2, 33, 3, true", "3, 19, 2, true",
    // scalar path
    "1, 5, 1, false", "19, 17, 1, false", "19, 17, 2, false", "1, 17, 2, false", "3, 3, 2, false"
  })
  void matchesDoublePrecisionReference(int count, int size, int threads, boolean vector) {
    check(count, size, threads, vector, 200, 1f);
  }

  @Test
  void nonUnitTimeStep() {
    check(19, 17, 2, true, 150, 0.7f);
    check(1, 40, 2, true, 150, 0.7f);
    check(5, 11, 1, false, 150, 0.7f);
  }

  @Test
  void largeGridsUseTheRowPath() {
    // beyond MAX_INTERLEAVED_SIZE: row path even with many grids; ragged row (130 % 16 != 0)
    check(2, JavaGrayScottKernel.MAX_INTERLEAVED_SIZE + 2, 1, true, 20, 1f);
    check(1, JavaGrayScottKernel.MAX_INTERLEAVED_SIZE + 2, 2, true, 20, 1f);
  }

  @Test
  void zeroStepsLeavesFieldsUntouched() {
    for (boolean vector : new boolean[] {true, false}) {
      for (int threads : new int[] {1, 2}) {
        GrayScottBatch batch = randomBatch(19, 17, 1f, 7);
        float[] a = batch.a.clone();
        float[] b = batch.b.clone();
        try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(threads, vector)) {
          kernel.advance(batch, 0);
        }
        assertArrayEquals(a, batch.a);
        assertArrayEquals(b, batch.b);
      }
    }
  }

  /**
   * Grids of side {@code size} at rest: a = 1 and, in grid g, b = {@code b[g]} everywhere (equal
   * neighbours: no diffusion), Da = 0.16, Db = 0.08, F = 0.01, k = 0.05 (b decays by 0.94 a step).
   */
  private static GrayScottBatch atRest(int size, float... b) {
    GrayScottBatch batch = new GrayScottBatch(b.length, size, 1f);
    java.util.Arrays.fill(batch.a, 1f);
    int cells = size * size;
    for (int g = 0; g < b.length; g++) {
      java.util.Arrays.fill(batch.b, g * cells, (g + 1) * cells, b[g]);
      batch.da[g] = 0.16f;
      batch.db[g] = 0.08f;
      batch.feed[g] = 0.01f;
      batch.kill[g] = 0.05f;
    }
    return batch;
  }

  @Test
  void aDyingBIsFlushedToZeroNotLeftSubnormal() {
    // Given grids where b has died out (a = 1, b = 1e-30: no reaction term, b decays by 1 - (F + k)
    // a step), on the interleaved, the padded-row and the scalar paths,
    for (boolean vector : new boolean[] {true, false}) {
      for (int size : new int[] {9, JavaGrayScottKernel.MAX_INTERLEAVED_SIZE + 2}) {
        GrayScottBatch batch = atRest(size, 1e-30f, 1e-30f, 1e-30f);
        try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(2, vector)) {
          // then after 2,000 steps (0.94^2000: far below the smallest subnormal, where rounding
          // alone would leave b stuck at a few units of it) every b is exactly 0,
          kernel.advance(batch, 2000);
        }
        for (float v : batch.b) {
          assertEquals(0f, v, "b is " + v + " (vector " + vector + ", size " + size + ")");
        }
        // and a has relaxed to its fixed point 1.
        for (float v : batch.a) {
          assertEquals(1f, v, 1e-6f);
        }
      }
    }
  }

  @Test
  void everyStoredBIsZeroOrAtLeastTheFloor() {
    // Given grids whose b straddles the floor (2^-60) at rest (a = 1, no diffusion: equal
    // neighbours), decaying by 1 - (F + k) = 0.94 a step,
    // (and, the floor being on |b|, the same below zero)
    float[] starts = {GrayScottKernel.B_FLOOR * 1.01f, GrayScottKernel.B_FLOOR * 1.2f, 1e-17f, 0.25f,
        -GrayScottKernel.B_FLOOR * 1.01f, -GrayScottKernel.B_FLOOR * 1.2f};
    for (boolean vector : new boolean[] {true, false}) {
      for (int size : new int[] {9, JavaGrayScottKernel.MAX_INTERLEAVED_SIZE + 2}) {
        GrayScottBatch batch = atRest(size, starts);
        int cells = size * size;
        try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(2, vector)) {
          kernel.advance(batch, 1);
          // then one step on, b just above the floor times 0.94 is stored as 0, and b above it
          // is kept as computed,
          String where = " (vector " + vector + ", size " + size + ")";
          assertEquals(0f, batch.b[0], "b from 1.01 x the floor" + where);
          assertEquals(starts[1] * 0.94f, batch.b[cells], starts[1] * 1e-5f, "b from 1.2 x the floor" + where);
          assertEquals(1e-17f * 0.94f, batch.b[2 * cells], 1e-22f, where);
          assertEquals(0f, batch.b[4 * cells], "b from -1.01 x the floor" + where);
          assertEquals(0, Float.floatToRawIntBits(batch.b[4 * cells]), "+0, not -0" + where);
          assertEquals(starts[5] * 0.94f, batch.b[5 * cells], starts[1] * 1e-5f, "b from -1.2 x the floor" + where);
          // and after 300 more steps no b anywhere lies strictly between 0 and the floor.
          kernel.advance(batch, 300);
          for (float v : batch.b) {
            assertTrue(v == 0f || Math.abs(v) >= GrayScottKernel.B_FLOOR, "b is " + v + where);
          }
        }
      }
    }
  }

  @Test
  void repeatedCallsCompose() {
    GrayScottBatch once = randomBatch(20, 9, 1f, 3);
    GrayScottBatch twice = randomBatch(20, 9, 1f, 3);
    try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(2)) {
      kernel.advance(once, 50);
      kernel.advance(twice, 20);
      kernel.advance(twice, 30);
    }
    assertArrayEquals(once.a, twice.a);
    assertArrayEquals(once.b, twice.b);
  }

  @Test
  void namesAndArguments() {
    try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(1)) {
      assertEquals("java", kernel.name());
      boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && !Boolean.getBoolean("macronet.grayscott.scalar");
      assertEquals(vectorModule, kernel.vectorized(), kernel.description());
      assertTrue(kernel.description().startsWith(vectorModule ? "java-vector (1 thread, " : "java-scalar (1 thread)"),
          kernel.description());
      assertThrows(IllegalArgumentException.class, () -> kernel.advance(randomBatch(1, 5, 1f, 1), -1));
    }
    try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(2, false)) {
      assertEquals("java-scalar (2 threads)", kernel.description());
    }
    assertThrows(IllegalArgumentException.class, () -> new JavaGrayScottKernel(0));
  }
}
