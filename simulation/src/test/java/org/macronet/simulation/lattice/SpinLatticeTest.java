package org.macronet.simulation.lattice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;

class SpinLatticeTest {

  @Test
  void initialStatesHaveExactlyTheRoundedUpSpinCount() {
    for (double m0 : new double[] {-1, -0.75, -0.3, 0, 0.123, 0.5, 1}) {
      byte[] s = SpinLattice.withMagnetisation(256, m0, new SampleRandom(4));
      long up = 0;
      for (byte b : s) {
        up += b == 1 ? 1 : 0;
      }
      assertEquals(Math.round((1 + m0) * 128), up, "m0 = " + m0);
    }
    assertThrows(IllegalArgumentException.class, () -> SpinLattice.withMagnetisation(16, 1.5, new SampleRandom(1)));
  }

  @Test
  void initialStatesAreSpreadUniformly() {
    // every site is up with probability 1/2 at m0 = 0: count over many draws
    int[] ups = new int[16];
    int draws = 20_000;
    for (int d = 0; d < draws; d++) {
      byte[] s = SpinLattice.withMagnetisation(16, 0.0, new SampleRandom(d));
      for (int i = 0; i < 16; i++) {
        ups[i] += s[i] == 1 ? 1 : 0;
      }
    }
    for (int i = 0; i < 16; i++) {
      assertEquals(0.5, ups[i] / (double) draws, 4 * Math.sqrt(0.25 / draws), "site " + i);
    }
  }

  @Test
  void observablesOfKnownConfigurations() {
    byte[] up = new byte[16];
    java.util.Arrays.fill(up, (byte) 1);
    assertEquals(1.0, SpinLattice.magnetisation(up));
    assertEquals(0.0, SpinLattice.brokenBondFraction(up, 4));
    byte[] checker = new byte[16];
    for (int i = 0; i < 16; i++) {
      checker[i] = (byte) (((i % 4) + (i / 4)) % 2 == 0 ? 1 : -1);
    }
    assertEquals(0.0, SpinLattice.magnetisation(checker));
    assertEquals(1.0, SpinLattice.brokenBondFraction(checker, 4));
    byte[] stripes = new byte[16]; // two up rows, two down rows: 8 broken vertical bonds of 32
    for (int i = 0; i < 16; i++) {
      stripes[i] = (byte) (i / 4 < 2 ? 1 : -1);
    }
    assertEquals(8.0 / 32, SpinLattice.brokenBondFraction(stripes, 4));
    assertEquals(4, SpinLattice.side(stripes));
    assertThrows(IllegalArgumentException.class, () -> SpinLattice.side(new byte[15]));
  }

  @Test
  void brokenBondsOfRandomStatesMatchTheirDefinition() {
    for (int side : new int[] {2, 3, 8, 17}) {
      byte[] s = SpinLattice.withMagnetisation(side * side, 0.1, new SampleRandom(side));
      long direct = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          byte v = s[y * side + x];
          direct += v != s[y * side + (x + 1) % side] ? 1 : 0;
          direct += v != s[((y + 1) % side) * side + x] ? 1 : 0;
        }
      }
      assertEquals(direct, SpinLattice.brokenBonds(s, side), "side " + side);
    }
  }

  @Test
  void torusNeighboursWrapAround() {
    int[] nb = SpinLattice.torus(3, 2);
    // site 0 = (0, 0): right (1, 0) = 1, left (2, 0) = 2, down (0, 1) = 3, up (0, 1) = 3
    assertArrayEquals(new int[] {1, 2, 3, 3}, java.util.Arrays.copyOfRange(nb, 0, 4));
    // site 5 = (2, 1): right (0, 1) = 3, left (1, 1) = 4, down (2, 0) = 2, up (2, 0) = 2
    assertArrayEquals(new int[] {3, 4, 2, 2}, java.util.Arrays.copyOfRange(nb, 20, 24));
  }
}
