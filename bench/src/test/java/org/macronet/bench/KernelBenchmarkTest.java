package org.macronet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.macronet.systems.grayscott.GrayScottBatch;
import org.macronet.systems.grayscott.JavaGrayScottKernel;

class KernelBenchmarkTest {

  @Test
  void benchmarkInitialStateMatchesTheCReference() {
    // KernelBenchmark reproduces gs_avx512.c's hash and seeded square
    GrayScottBatch batch = new GrayScottBatch(1, 64, 1f);
    KernelBenchmark.init(batch, 0);
    assertEquals(1f, batch.a[0]);
    assertEquals(0f, batch.b[0]);
    int centre = 32 * 64 + 32;
    assertTrue(batch.b[centre] > 0.19f && batch.b[centre] < 0.31f);
  }
  @Test
  void aShortRunReportsItsRateAndChecksum() {
    try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(1)) {
      KernelBenchmark.Result r = KernelBenchmark.run(kernel, "w1", 1);
      assertEquals("w1", r.workload());
      assertTrue(r.medianCups() > 0 && r.checksum() > 0, r.toString());
      assertTrue(r.toString().startsWith("RESULT impl="), r.toString());
    }
  }
}
