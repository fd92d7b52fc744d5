package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class ClosureEncodingTest {
  private static final int SIDE = 16;
  private static final int P = 8;
  private static final int SITES = SIDE * SIDE;

  private static byte[] randomSpins(SplittableRandom r, int count) {
    byte[] s = new byte[count];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextBoolean() ? (byte) 1 : (byte) -1;
    }
    return s;
  }

  /** L = 16, p = 8 (K = 4), c = 3, parameters moved off their initial values and buffers updated a few times. */
  private record Trained(ClosureAutoencoder model, float[] params, float[] buffers) {}

  private static ClosureEncoding encoding(long seed) {
    Trained t = trained(seed);
    return new ClosureEncoding(t.model(), t.params(), t.buffers());
  }

  private static Trained trained(long seed) {
    ClosureAutoencoder model = new ClosureAutoencoder(SIDE, P, 3, new int[] {4, 6, 8}, 2);
    SplittableRandom r = new SplittableRandom(seed);
    float[] params = model.initialParameters(r);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.1 * r.nextGaussian());
    }
    float[] buffers = model.initialBuffers();
    ClosureAutoencoder.Scratch s = model.newScratch(4);
    for (int k = 0; k < 3; k++) {
      model.loss(params, randomSpins(r, 4 * SITES), FlowChecks.gaussian(r, 8, 0.5), 4, s, null);
      model.updateBuffers(buffers, s);
    }
    return new Trained(model, params, buffers);
  }

  @Test
  void aStatesClosureDoesNotDependOnHowTheStatesAreGrouped() {
    ClosureEncoding encoding = encoding(1);
    int n = 37;
    byte[] spins = randomSpins(new SplittableRandom(2), n * SITES);
    float[] all = encoding.stateClosure(spins, n);
    assertEquals(n * 3, all.length);
    float[] one = new float[n * 3];
    for (int i = 0; i < n; i++) {
      System.arraycopy(encoding.stateClosure(Arrays.copyOfRange(spins, i * SITES, (i + 1) * SITES), 1), 0, one,
          i * 3, 3);
    }
    assertArrayEquals(all, one, "one by one");
    int[] cuts = {0, 5, 6, 22, 23, 37};
    float[] groups = new float[n * 3];
    for (int g = 0; g + 1 < cuts.length; g++) {
      float[] part = encoding.stateClosure(Arrays.copyOfRange(spins, cuts[g] * SITES, cuts[g + 1] * SITES),
          cuts[g + 1] - cuts[g]);
      System.arraycopy(part, 0, groups, cuts[g] * 3, part.length);
    }
    assertArrayEquals(all, groups, "in groups of 5, 1, 16, 1 and 14");
    // a second instance gives the same bits, and the states' closures differ
    assertArrayEquals(all, encoding(1).stateClosure(spins, n), "a second instance");
    assertTrue(Math.abs(all[0] - all[3]) > 1e-4, "two states encoded alike");
    // and they are the autoencoder's own inference-mode closures, to float rounding
    Trained t = trained(1);
    float[] direct = new float[n * 3];
    t.model().encode(t.params(), t.buffers(), spins, n, false, t.model().newScratch(n), direct);
    for (int q = 0; q < all.length; q++) {
      assertEquals(direct[q], all[q], 1e-5 * (1 + Math.abs(direct[q])), "closure value " + q);
    }
  }

  @Test
  void aPatchsClosureIsItsEncodingWhateverTheGrouping() {
    ClosureEncoding encoding = encoding(3);
    int n = 37;
    int area = P * P;
    byte[] patches = randomSpins(new SplittableRandom(4), n * area);
    float[] all = encoding.patchClosure(patches, n);
    float[] one = new float[n * 3];
    for (int i = 0; i < n; i++) {
      System.arraycopy(encoding.patchClosure(Arrays.copyOfRange(patches, i * area, (i + 1) * area), 1), 0, one,
          i * 3, 3);
    }
    assertArrayEquals(all, one, "one by one");
    float[] pair = new float[n * 3];
    for (int i = 0; i < n; i += 2) {
      int m = Math.min(2, n - i);
      System.arraycopy(encoding.patchClosure(Arrays.copyOfRange(patches, i * area, (i + m) * area), m), 0, pair,
          i * 3, m * 3);
    }
    assertArrayEquals(all, pair, "in pairs");
  }

  /** State i's patch (ty, tx) as p^2 spins. */
  private static byte[] patchOf(byte[] spins, int i, int ty, int tx) {
    byte[] out = new byte[P * P];
    for (int y = 0; y < P; y++) {
      System.arraycopy(spins, i * SITES + (ty * P + y) * SIDE + tx * P, out, y * P, P);
    }
    return out;
  }

  @Test
  void anIncrementMatchesEncodingTheChangedStateAgain() {
    // Given 6 states and, in each, one patch replaced by another
    ClosureEncoding encoding = encoding(5);
    SplittableRandom r = new SplittableRandom(6);
    int n = 6;
    byte[] x0 = randomSpins(r, n * SITES);
    byte[] x1 = x0.clone();
    byte[] before = new byte[n * P * P];
    byte[] after = randomSpins(r, n * P * P);
    for (int i = 0; i < n; i++) {
      int ty = i % 2;
      int tx = i / 2 % 2;
      System.arraycopy(patchOf(x0, i, ty, tx), 0, before, i * P * P, P * P);
      for (int y = 0; y < P; y++) {
        System.arraycopy(after, i * P * P + y * P, x1, i * SITES + (ty * P + y) * SIDE + tx * P, P);
      }
      assertArrayEquals(Arrays.copyOfRange(after, i * P * P, (i + 1) * P * P), patchOf(x1, i, ty, tx));
    }
    float[] z0 = encoding.stateClosure(x0, n);
    float[] z1 = encoding.stateClosure(x1, n);

    // When the closures are moved by the patches' encodings
    float[] moved = encoding.increment(z0, before, after, 4);

    // Then they are the new states' closures to float rounding, and the move is no rounding
    double largestMove = 0;
    for (int q = 0; q < z1.length; q++) {
      assertEquals(z1[q], moved[q], 1e-5 * (1 + Math.abs(z1[q])), "closure value " + q);
      largestMove = Math.max(largestMove, Math.abs(z1[q] - z0[q]));
    }
    assertTrue(largestMove > 1e-3, "the closures hardly moved: " + largestMove);
    // and a state's closure is the mean of its patches' closures
    float[] parts = new float[4 * 3];
    for (int k = 0; k < 4; k++) {
      System.arraycopy(encoding.patchClosure(patchOf(x0, 0, k / 2, k % 2), 1), 0, parts, 3 * k, 3);
    }
    for (int j = 0; j < 3; j++) {
      double mean = (parts[j] + parts[3 + j] + parts[6 + j] + parts[9 + j]) / 4.0;
      assertEquals(mean, z0[j], 1e-5 * (1 + Math.abs(mean)), "closure " + j + " of state 0");
    }
  }

  @Test
  void refusesMismatchedInputs() {
    ClosureEncoding encoding = encoding(7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoding.stateClosure(new byte[SITES], 2));
    assertEquals("256 spins for 2 states of 256", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> encoding.increment(new float[6], new byte[64], new byte[128], 4));
    assertEquals("64 and 128 patch spins for 2 closures, 64 each", e.getMessage());
    byte[] zeros = new byte[64];
    e = assertThrows(IllegalArgumentException.class, () -> encoding.patchClosure(zeros, 1));
    assertEquals("spins must be +1 or -1, found 0 in patch 0", e.getMessage());
    assertEquals(0, encoding.stateClosure(new byte[0], 0).length);
  }
}
