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
    engine.advanceInterleaved(batch, 0, engine.lanes(), steps);
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
      GrayScottBatch batch = advanced(new VectorGrayScottEngine(placement), 200);
      assertArrayEquals(expected.a, batch.a);
      assertArrayEquals(expected.b, batch.b);
    }
    assertTrue(calls.get() > 3, "the placement is asked again as the state moves back: " + calls.get());
  }
}
