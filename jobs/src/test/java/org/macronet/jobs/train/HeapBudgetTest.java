package org.macronet.jobs.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.macronet.common.config.ConfigException;

/** The single-JVM trainer's heap check and the Parquet reader's batch size, by hand. */
class HeapBudgetTest {
  private static final long GIB = 1L << 30;

  @Test
  void rowsThatFitInSixtyPercentOfTheHeapAreAccepted() {
    // 100,000 Gray-Scott pairs: 100,000 x (4 + 8,192) x 4 + 8 bytes = 3.05 GiB, 51% of a 6 GiB heap
    assertDoesNotThrow(() -> PairDatasets.requireHeap(100_000, 4, 8192, 6 * GIB));
  }

  @Test
  void rowsBeyondSixtyPercentOfTheHeapAreRefusedNamingTheKeyAndTheHeapNeeded() {
    // 200,000 pairs: 6.1 GiB, more than 60% of 6 GiB; the heap needed is 6.1 / 0.6 = 10.2 GiB
    ConfigException e = assertThrows(ConfigException.class, () -> PairDatasets.requireHeap(200_000, 4, 8192,
        6 * GIB));
    assertTrue(e.getMessage().startsWith("train.mode: "), e.getMessage());
    assertTrue(e.getMessage().contains("200,000 rows of 8196 values take 6.1 GiB"), e.getMessage());
    assertTrue(e.getMessage().contains("more than 60% of this JVM's 6.0 GiB heap"), e.getMessage());
    assertTrue(e.getMessage().contains("set train.mode=spark"), e.getMessage());
    assertTrue(e.getMessage().contains("a heap of at least 10.2 GiB"), e.getMessage());
  }

  @Test
  void rowsBeyondOneJavaArrayAreRefusedWhateverTheHeap() {
    // 300,000 patterns of 8,192 floats: 2.46e9 values, more than one float[] holds
    ConfigException e = assertThrows(ConfigException.class, () -> PairDatasets.requireHeap(300_000, 4, 8192,
        1000 * GIB));
    assertTrue(e.getMessage().contains("more values than one Java array holds"), e.getMessage());
    assertTrue(e.getMessage().contains("set train.mode=spark"), e.getMessage());
  }

  @Test
  void readerBatchesHoldAboutAMillionValues() {
    assertEquals(4096, PairDatasets.readerBatch(null)); // scalar columns: Spark's default
    assertEquals(4096, PairDatasets.readerBatch(new int[] {16})); // the linear system's trajectory
    assertEquals(2048, PairDatasets.readerBatch(new int[] {2, 16, 16}));
    assertEquals(128, PairDatasets.readerBatch(new int[] {2, 64, 64}));
    assertEquals(64, PairDatasets.readerBatch(new int[] {2, 256, 256}));
  }
}
