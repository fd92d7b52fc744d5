package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The Vector API engine's interleaved path places its state on a cache line of its array
 * ({@link ArrayAlignment}); where it sits must change the speed only, never a bit of the result.
 */
class VectorGrayScottEngineTest {

  private static GrayScottBatch advanced(VectorGrayScottEngine engine, int steps) {
    // 17 x 17 grids: the state moves back to the end of its array every 35 steps, where the
    // placement is asked again; lanes() grids fill one interleaved group
    GrayScottBatch batch = JavaGrayScottKernelTest.randomBatch(engine.lanes(), 17, 1f, 11);
    engine.advanceInterleaved(batch, JavaGrayScottRows.grids(engine.lanes()), steps);
    return batch;
  }

  @Test
  void theResultDoesNotDependOnWhereTheStateIsPlaced() {
    VectorGrayScottEngine lines = new VectorGrayScottEngine();
    assertTrue(lines.lanes() >= 2, "the vector engine has lanes");
    GrayScottBatch expected = advanced(lines, 200);
    // fixed offsets, aligned or not, and one that changes at every move back
    AtomicInteger calls = new AtomicInteger();
    ToIntFunction<float[]> wandering = f -> (7 * calls.getAndIncrement()) % 16;
    for (ToIntFunction<float[]> placement : java.util.List.<ToIntFunction<float[]>>of(
        f -> 0, f -> 3, f -> 8, f -> 15, wandering)) {
      GrayScottBatch batch = advanced(new VectorGrayScottEngine(placement, VectorGrayScottEngine.CHECK_EVERY), 200);
      assertArrayEquals(expected.a, batch.a);
      assertArrayEquals(expected.b, batch.b);
    }
    assertTrue(calls.get() > 3, "the placement is asked again as the state moves back: " + calls.get());
  }

  /**
   * 96 grids from the default prior's box (Da, Db, F, k) with the simulations' initial state: a
   * quarter of them settle at a fixed point of the float update within 1,500 steps, and some in a
   * 2-cycle.
   */
  private static GrayScottBatch priorBatch() {
    GrayScottSettings settings = GrayScottSettings.defaults();
    GrayScottBatch batch = new GrayScottBatch(96, 64, 1f);
    java.util.Random r = new java.util.Random(5);
    for (int g = 0; g < batch.count; g++) {
      batch.setParameters(g, 0.12 + 0.08 * r.nextDouble(), 0.05 + 0.05 * r.nextDouble(),
          0.01 + 0.05 * r.nextDouble(), 0.045 + 0.025 * r.nextDouble());
      GrayScottInitialState.fill(batch, g, settings, new org.macronet.common.random.SampleRandom(1000 + g));
    }
    return batch;
  }

  @Test
  void gridsThatStopChangingFinishEarlyWithTheSameBits() {
    // an odd and an even number of steps: a 2-cycle ends on one of its two states or the other
    for (int steps : new int[] {1500, 1501}) {
      GrayScottBatch every = priorBatch();
      new VectorGrayScottEngine(f -> 0, 0).advanceInterleaved(every, JavaGrayScottRows.grids(every.count), steps);
      // checks every 64 steps here, so that grids stop early in a short run
      VectorGrayScottEngine early = new VectorGrayScottEngine(ArrayAlignment::floatsToLine, 64);
      GrayScottBatch batch = priorBatch();
      early.advanceInterleaved(batch, JavaGrayScottRows.grids(batch.count), steps);
      assertArrayEquals(every.a, batch.a, "a after " + steps + " steps");
      assertArrayEquals(every.b, batch.b, "b after " + steps + " steps");
      assertTrue(early.fixedPoints.sum() >= 10, "grids at a fixed point: " + early.fixedPoints.sum());
      assertTrue(early.twoCycles.sum() >= 1, "grids in a 2-cycle: " + early.twoCycles.sum());
    }
  }

  @Test
  void threadsAndLanesTakeGridsInAnyOrderWithTheSameBits() {
    GrayScottBatch one = priorBatch();
    GrayScottBatch two = priorBatch();
    try (JavaGrayScottKernel k1 = new JavaGrayScottKernel(1); JavaGrayScottKernel k2 = new JavaGrayScottKernel(2)) {
      k1.advance(one, 1200);
      k2.advance(two, 1200);
    }
    assertArrayEquals(one.a, two.a);
    assertArrayEquals(one.b, two.b);
  }

  /**
   * Grids in an exact 2-cycle from the start: no diffusion (Da = Db = 0), b = 0, F = 2, so that
   * a' = 2 - a, exact in float for a in [0.5, 1.5); and grids with a and b random, which change
   * at every step. Checked every 3 steps, so that every branch runs in a few steps.
   */
  private static GrayScottBatch cycling(int count, int size) {
    GrayScottBatch batch = new GrayScottBatch(count, size, 1f);
    java.util.Random r = new java.util.Random(17);
    int cells = size * size;
    for (int g = 0; g < count; g++) {
      boolean cycle = g % 3 != 2;
      batch.setParameters(g, cycle ? 0 : 0.2, cycle ? 0 : 0.1, cycle ? 2 : 0.03, cycle ? 0.01 : 0.06);
      for (int i = g * cells; i < (g + 1) * cells; i++) {
        batch.a[i] = 0.5f + r.nextFloat();
        batch.b[i] = cycle ? 0f : 0.3f * r.nextFloat();
      }
    }
    return batch;
  }

  @Test
  void twoCyclesEndOnTheStateTheParityOfTheStepsLeftGives() {
    for (int steps : new int[] {1, 2, 3, 10, 11, 40, 41}) {
      GrayScottBatch every = cycling(37, 5);
      new VectorGrayScottEngine(f -> 0, 0).advanceInterleaved(every, JavaGrayScottRows.grids(every.count), steps);
      VectorGrayScottEngine early = new VectorGrayScottEngine(f -> 5, 3);
      GrayScottBatch batch = cycling(37, 5);
      // the grids handed out from the last to the first: the lanes take them in any order
      int[] cursor = {batch.count};
      early.advanceInterleaved(batch, () -> cursor[0] > 0 ? --cursor[0] : -1, steps);
      assertArrayEquals(every.a, batch.a, steps + " steps");
      assertArrayEquals(every.b, batch.b, steps + " steps");
      if (steps >= 10) {
        assertTrue(early.twoCycles.sum() > 0, "2-cycles found in " + steps + " steps");
      }
      assertEquals(0, early.fixedPoints.sum(), "no fixed points among these grids");
    }
  }

  @Test
  void zeroStepsChangeNothingAndNegativeStepsAreRefused() {
    GrayScottBatch batch = cycling(5, 5);
    GrayScottBatch before = cycling(5, 5);
    VectorGrayScottEngine engine = new VectorGrayScottEngine();
    engine.advanceInterleaved(batch, JavaGrayScottRows.grids(batch.count), 0);
    assertArrayEquals(before.a, batch.a);
    assertArrayEquals(before.b, batch.b);
    assertThrows(IllegalArgumentException.class,
        () -> engine.advanceInterleaved(batch, JavaGrayScottRows.grids(batch.count), -1));
  }
}
