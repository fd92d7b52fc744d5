package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BinaryCrossEntropyTest {

  @Test
  void matchesHandComputedValues() {
    // -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x))
    assertEquals(Math.log(2), BinaryCrossEntropy.loss(0, 1), 1e-15);
    assertEquals(Math.log(2), BinaryCrossEntropy.loss(0, 0), 1e-15);
    assertEquals(0.1269280110429725, BinaryCrossEntropy.loss(2, 1), 1e-15); // log(1 + e^-2)
    assertEquals(2.1269280110429727, BinaryCrossEntropy.loss(2, 0), 1e-15); // log(1 + e^2)
    assertEquals(3.048587351573742, BinaryCrossEntropy.loss(-3, 1), 1e-15); // log(1 + e^3)
    assertEquals(0.5 * Math.log(1 + Math.exp(-1.5)) + 0.5 * Math.log(1 + Math.exp(1.5)),
        BinaryCrossEntropy.loss(1.5, 0.5), 1e-15);
    assertEquals(0.8807970779778823, BinaryCrossEntropy.sigmoid(2), 1e-15);
    assertEquals(0.11920292202211755, BinaryCrossEntropy.sigmoid(-2), 1e-15);
  }

  @Test
  void staysFiniteAndAccurateAtLargeLogits() {
    // right with confidence: exp(-100) = 3.72e-44, kept rather than rounded to 0 or NaN
    assertEquals(Math.exp(-100), BinaryCrossEntropy.loss(100, 1), 1e-58);
    assertEquals(Math.exp(-100), BinaryCrossEntropy.loss(-100, 0), 1e-58);
    // wrong with confidence: the logit itself
    assertEquals(100, BinaryCrossEntropy.loss(100, 0), 1e-12);
    assertEquals(100, BinaryCrossEntropy.loss(-100, 1), 1e-12);
    assertEquals(1.0, BinaryCrossEntropy.sigmoid(100), 0);
    assertEquals(Math.exp(-100), BinaryCrossEntropy.sigmoid(-100), 1e-58);
    assertEquals(0.0, BinaryCrossEntropy.sigmoid(-1000), 0);
    assertEquals(1.0, BinaryCrossEntropy.sigmoid(1000), 0);
  }

  @Test
  void sumOverSpinsUsesTargetsHalfOfSPlusOneAndScalesTheGradient() {
    float[] logits = {0f, 2f, -3f, 100f};
    byte[] spins = {9, 1, -1, 1, -1}; // from offset 1
    float[] d = new float[4];
    double sum = BinaryCrossEntropy.sumOverSpins(logits, 0, spins, 1, 4, d, 0.25);
    assertEquals(Math.log(2) + 2.1269280110429727 + 3.048587351573742 + 100, sum, 1e-12);
    // d = 0.25 (sigmoid(x) - t)
    assertEquals(0.25 * (0.5 - 1), d[0], 1e-7);
    assertEquals(0.25 * 0.8807970779778823, d[1], 1e-7);
    assertEquals(0.25 * (0.04742587317756678 - 1), d[2], 1e-7);
    assertEquals(0.25, d[3], 1e-7);
  }

  @Test
  void refusesSpinsOtherThanPlusOrMinusOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BinaryCrossEntropy.target((byte) 0));
    assertEquals("spins must be +1 or -1, found 0", e.getMessage());
  }
}
