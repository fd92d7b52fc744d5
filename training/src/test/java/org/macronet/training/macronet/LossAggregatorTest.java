package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LossAggregatorTest {
  private static final int N = 10_000;

  @Test
  void floatGradientSumsTravelAsFloatsWithTheSameBits() throws Exception {
    SplittableRandom r = new SplittableRandom(3);
    float[] g = new float[N];
    for (int i = 0; i < N; i++) {
      g[i] = (float) r.nextGaussian();
    }
    g[8] = Float.MAX_VALUE;
    LossAggregator a = new LossAggregator(N).add(16, -3.25, 0.125, -1.5, -40.75, g);
    a.gradientSum()[7] = -0.0;
    byte[] bytes = serialise(a);
    LossAggregator back = deserialise(bytes);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.gradientSum()[7]));
    assertSame(a, back);
    assertTrue(bytes.length < 4 * N + 1024, "floats: " + bytes.length + " bytes for " + N + " components");
  }

  @Test
  void sumsThatNeedDoublesTravelAsDoubles() throws Exception {
    SplittableRandom r = new SplittableRandom(4);
    LossAggregator a = new LossAggregator(N);
    for (int chunk = 0; chunk < 3; chunk++) {
      float[] g = new float[N];
      for (int i = 0; i < N; i++) {
        g[i] = (float) r.nextGaussian();
      }
      a.add(8, r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble(), g);
    }
    // the last component alone needs a double: the whole sum must still come back exactly
    a.gradientSum()[N - 1] = 1.0 + 1e-12;
    byte[] bytes = serialise(a);
    LossAggregator back = deserialise(bytes);
    assertSame(a, back);
    assertTrue(bytes.length >= 8 * N, "doubles: " + bytes.length + " bytes for " + N + " components");
  }

  @Test
  void nonFiniteSumsStayNonFinite() throws Exception {
    float[] g = new float[N];
    g[3] = Float.NaN;
    g[4] = Float.POSITIVE_INFINITY;
    LossAggregator back = deserialise(serialise(new LossAggregator(N).add(1, 0, 0, 0, 0, g)));
    assertTrue(Double.isNaN(back.gradientSum()[3]));
    assertEquals(Double.POSITIVE_INFINITY, back.gradientSum()[4]);
    assertTrue(!back.isFinite());
  }

  private static void assertSame(LossAggregator a, LossAggregator b) {
    assertArrayEquals(a.gradientSum(), b.gradientSum());
    assertEquals(a.weightSum(), b.weightSum());
    assertEquals(a.meanTerms(), b.meanTerms());
    // the round trip keeps merging exact
    assertArrayEquals(a.merge(new LossAggregator(N)).gradientSum(), b.merge(new LossAggregator(N)).gradientSum());
  }

  private static byte[] serialise(Object o) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  private static LossAggregator deserialise(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (LossAggregator) in.readObject();
    }
  }
}
