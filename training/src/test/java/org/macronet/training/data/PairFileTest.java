package org.macronet.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.training.macronet.LossAggregator;
import org.macronet.training.macronet.LossSpec;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetLoss;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.nn.Activation;

/** Rows in a file read back as the same floats as rows in memory, and train to the same sums. */
class PairFileTest {
  private static final int ROWS = 37;

  @TempDir
  Path dir;

  private static PairData pairs() {
    SplittableRandom r = new SplittableRandom(4);
    float[] u = new float[ROWS * 3];
    float[] v = new float[ROWS * 5];
    long[] ids = new long[ROWS];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < ROWS; i++) {
      ids[i] = 1000 + 3L * i;
    }
    return new PairData(u, 3, v, 5, ids);
  }

  /** {@code data} written to a file in a scrambled row order, as a shuffle delivers rows. */
  private PairFile write(PairData data, String name) throws IOException {
    try (PairFile.Writer w = PairFile.create(dir.resolve(name), data.rows(), data.uDim(), data.vDim())) {
      for (int k = 0; k < data.rows(); k++) {
        int i = (int) ((k * 11L) % data.rows());
        PairData one = data.select(new int[] {i});
        // half the rows as floats, half as the bytes a shuffle carries
        if (k % 2 == 0) {
          w.put(i, one.sampleIds()[0], one.u(), one.v());
        } else {
          w.put(i, one.sampleIds()[0], PairFile.encode(one.u(), one.v()));
        }
      }
      return w.finish();
    }
  }

  @Test
  void rowsWrittenInAnyOrderReadBackBitForBit() throws IOException {
    PairData data = pairs();
    PairFile file = write(data, "rows.f32");
    assertEquals(ROWS, file.rows());
    assertEquals(3, file.uDim());
    assertEquals(5, file.vDim());
    assertEquals((long) ROWS * 8 * Float.BYTES, Files.size(file.path()));
    int[] all = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      all[i] = ROWS - 1 - i;
    }
    PairData back = file.select(all);
    PairData expected = data.select(all);
    assertArrayEquals(expected.u(), back.u());
    assertArrayEquals(expected.v(), back.v());
    assertArrayEquals(expected.sampleIds(), back.sampleIds());

    float[] u = new float[10 * 3];
    float[] v = new float[10 * 5];
    file.readRange(20, 30, u, v);
    float[] eu = new float[10 * 3];
    float[] ev = new float[10 * 5];
    data.readRange(20, 30, eu, ev);
    assertArrayEquals(eu, u);
    assertArrayEquals(ev, v);
    file.delete();
    assertFalse(Files.exists(file.path()));
  }

  @Test
  void aRowNeverWrittenOrWrittenTwiceIsRefusedAndAnUnfinishedFileIsRemoved() throws IOException {
    Path path = dir.resolve("partial.f32");
    PairFile.Writer w = PairFile.create(path, 3, 1, 2);
    w.put(0, 7, new float[] {1}, new float[] {2, 3});
    w.put(2, 9, new float[] {1}, new float[] {2, 3});
    assertThrows(IllegalStateException.class, () -> w.put(2, 9, new float[] {1}, new float[] {2, 3}));
    assertThrows(IllegalArgumentException.class, () -> w.put(1, 8, new float[] {1, 2}, new float[] {2, 3}));
    assertThrows(IllegalArgumentException.class, () -> w.put(1, 8, new byte[8]));
    IllegalStateException e = assertThrows(IllegalStateException.class, w::finish);
    assertTrue(e.getMessage().contains("row 1 of 3 was never written"), e.getMessage());
    w.close();
    assertFalse(Files.exists(path));
    assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> {
      Files.createFile(path);
      PairFile.create(path, 1, 1, 1);
    });
  }

  @Test
  void aSerialisedFileCarriesItsRowsToANewFile() throws Exception {
    PairData data = pairs();
    PairFile file = write(data, "sent.f32");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new PairBlock(file, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
          18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36}));
    }
    file.delete();
    PairBlock received;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      received = (PairBlock) in.readObject();
    }
    PairFile copy = (PairFile) received.pairs();
    assertNotEquals(file.path(), copy.path());
    int[] all = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      all[i] = i;
    }
    assertArrayEquals(data.u(), copy.select(all).u());
    assertArrayEquals(data.v(), copy.select(all).v());
    assertArrayEquals(data.sampleIds(), copy.select(all).sampleIds());
    copy.delete();
  }

  @Test
  void lossAndGradientSumsOverAFileEqualThoseOverMemoryBitForBit() throws IOException {
    PairData data = pairs();
    PairFile file = write(data, "loss.f32");
    MacroNetSpec spec = new MacroNetSpec(3, 5, 2, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.5, 3);
    MacroNetLoss loss = LossSpec.fit(spec, data, 1.0, 0.05).loss();
    MacroNet net = loss.net();
    float[] p = new float[net.parameterCount()];
    net.flowU().initialise(p, net.baseU(), new SplittableRandom(1));
    net.flowV().initialise(p, net.baseV(), new SplittableRandom(2));
    int[] rows = {5, 0, 36, 5, 17, 22, 9};
    LossAggregator fromMemory = new LossAggregator(p.length);
    LossAggregator fromFile = new LossAggregator(p.length);
    loss.newEvaluator(4).accumulate(p, data, rows, 0, rows.length, true, 11, fromMemory);
    loss.newEvaluator(4).accumulate(p, file, rows, 0, rows.length, true, 11, fromFile);
    assertEquals(fromMemory.meanTerms(), fromFile.meanTerms());
    assertArrayEquals(fromMemory.gradientSum(), fromFile.gradientSum());
    file.delete();
  }
}
