package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.macronet.analysis.pattern.ConnectedComponents;
import org.macronet.common.random.SampleRandom;

/** The Java kernel against hand computations and Pearson's reference patterns. */
class GrayScottPhysicsTest {

  private static float[] run(double da, double db, double f, double k, long seed, int steps) {
    GrayScottBatch batch = new GrayScottBatch(1, 64, 1f);
    batch.setParameters(0, da, db, f, k);
    GrayScottInitialState.fill(batch, 0, GrayScottSettings.defaults(), new SampleRandom(seed));
    try (GrayScottKernel kernel = new JavaGrayScottKernel(1)) {
      kernel.advance(batch, steps);
    }
    return batch.b;
  }

  private static ConnectedComponents components(float[] b) {
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float x : b) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    return ConnectedComponents.of(b, 0, 64, 64, 0.5 * (lo + hi));
  }

  @Test
  void spotsParametersGiveManySmallIsolatedComponents() {
    for (long seed = 1; seed <= 2; seed++) {
      ConnectedComponents cc = components(run(0.16, 0.08, 0.035, 0.065, seed, 5000));
      assertTrue(cc.count() >= 10, "spots: expected >= 10 components, found " + cc.count());
      assertTrue(cc.largest() < 0.05 * 64 * 64, "spots: largest component should be small, found " + cc.largest());
    }
  }

  @Test
  void stripesParametersGiveFewLargeConnectedComponents() {
    for (long seed = 1; seed <= 2; seed++) {
      ConnectedComponents cc = components(run(0.16, 0.08, 0.035, 0.060, seed, 5000));
      assertTrue(cc.count() <= 5, "stripes: expected a few connected stripes, found " + cc.count() + " components");
      assertTrue(cc.largestFraction() >= 0.5, "stripes: largest component should hold most of the pattern, found "
          + cc.largestFraction());
      assertTrue(cc.largest() > 0.25 * 64 * 64, "stripes: largest component should span the grid, found " + cc.largest());
    }
  }

  @Test
  void uniformStateStaysUniformAndFollowsTheReactionOde() {
    GrayScottBatch batch = new GrayScottBatch(1, 16, 0.5f);
    batch.setParameters(0, 0.2, 0.1, 0.04, 0.06);
    java.util.Arrays.fill(batch.a, 0.6f);
    java.util.Arrays.fill(batch.b, 0.2f);
    new JavaGrayScottKernel(1).advance(batch, 50);
    double a = 0.6;
    double b = 0.2;
    for (int s = 0; s < 50; s++) {
      double abb = a * b * b;
      double na = a + 0.5 * (-abb + 0.04 * (1 - a));
      double nb = b + 0.5 * (abb - 0.1 * b);
      a = na;
      b = nb;
    }
    for (int i = 0; i < batch.a.length; i++) {
      assertEquals(batch.a[0], batch.a[i], 0f, "a must stay uniform");
      assertEquals(batch.b[0], batch.b[i], 0f, "b must stay uniform");
    }
    assertEquals(a, batch.a[0], 1e-5);
    assertEquals(b, batch.b[0], 1e-5);
  }

  @Test
  void oneStepMatchesAHandComputationAndBalancesMass() {
    // Given a 4x4 grid with a single perturbed cell at (1, 2)
    int n = 4;
    GrayScottBatch batch = new GrayScottBatch(1, n, 1f);
    double da = 0.2;
    double db = 0.1;
    double f = 0.03;
    double k = 0.06;
    batch.setParameters(0, da, db, f, k);
    java.util.Arrays.fill(batch.a, 1f);
    batch.a[1 * n + 2] = 0.5f;
    batch.b[1 * n + 2] = 0.25f;
    float[] a0 = batch.a.clone();
    float[] b0 = batch.b.clone();
    // When one step runs
    new JavaGrayScottKernel(1).advance(batch, 1);
    // Then the perturbed cell follows the formula by hand: lap(a) = 4 * 1 - 4 * 0.5 = 2, lap(b) = -4 * 0.25 = -1
    double abb = 0.5 * 0.25 * 0.25;
    assertEquals(0.5 + (da * 2 - abb + f * (1 - 0.5)), batch.a[1 * n + 2], 1e-6);
    assertEquals(0.25 + (db * -1 + abb - (f + k) * 0.25), batch.b[1 * n + 2], 1e-6);
    // its west neighbour (1, 1): lap(a) = 0.5 - 1 = -0.5, lap(b) = 0.25, no reaction (b = 0)
    assertEquals(1 + da * -0.5, batch.a[1 * n + 1], 1e-6);
    assertEquals(db * 0.25, batch.b[1 * n + 1], 1e-6);
    // and its east neighbour wraps nothing but (1, 3); the cell (1, 0) is two away and unchanged
    assertEquals(1f, batch.a[1 * n], 0f);
    // Mass balance: diffusion conserves the totals, so the change of sum(a + b) is the reaction's
    double before = 0;
    double after = 0;
    double source = 0;
    for (int i = 0; i < n * n; i++) {
      before += a0[i] + b0[i];
      after += batch.a[i] + batch.b[i];
      source += f * (1 - a0[i]) - (f + k) * b0[i];
    }
    assertEquals(before + source, after, 1e-5);
  }

  @Test
  void periodicBoundaryWrapsAtEveryEdge() {
    // A single seeded corner cell diffuses to the opposite edges' cells equally
    int n = 8;
    GrayScottBatch batch = new GrayScottBatch(1, n, 1f);
    batch.setParameters(0, 0.2, 0.1, 0, 0);
    batch.b[0] = 1f;
    new JavaGrayScottKernel(1).advance(batch, 1);
    float east = batch.b[1];
    float west = batch.b[n - 1];
    float south = batch.b[n];
    float north = batch.b[(n - 1) * n];
    assertEquals(0.1f, east, 1e-7f);
    assertEquals(east, west, 0f);
    assertEquals(east, south, 0f);
    assertEquals(east, north, 0f);
  }
}
