package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
    engine.advanceInterleaved(batch, JavaGrayScottRows.range(0, engine.lanes()), steps);
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
      new VectorGrayScottEngine(f -> 0, 0).advanceInterleaved(every, JavaGrayScottRows.range(0, every.count), steps);
      // checks every 64 steps here, so that grids stop early in a short run
      VectorGrayScottEngine early = new VectorGrayScottEngine(ArrayAlignment::floatsToLine, 64);
      GrayScottBatch batch = priorBatch();
      early.advanceInterleaved(batch, JavaGrayScottRows.range(0, batch.count), steps);
      assertArrayEquals(every.a, batch.a, "a after " + steps + " steps");
      assertArrayEquals(every.b, batch.b, "b after " + steps + " steps");
      assertTrue(early.finishedEarly[1].sum() >= 10, "grids at a fixed point: " + early.finishedEarly[1].sum());
      assertTrue(early.finishedEarly[2].sum() >= 1, "grids in a 2-cycle: " + early.finishedEarly[2].sum());
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
}
