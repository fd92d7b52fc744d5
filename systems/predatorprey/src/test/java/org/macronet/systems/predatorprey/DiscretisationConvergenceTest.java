package org.macronet.systems.predatorprey;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;

/**
 * Why the consistent discretisation exists: refined, it converges at second order in dx to the
 * model it is at 100 cells, while the reference, refined, leaves that model for another one
 * (uncoupled cells: its effective diffusion constant dv dx^2 vanishes).
 * Noise off, the default model (du = 0, dv = 1, dt = 0.01), 1,000 steps, m = 0.5, k = 0.1.
 */
class DiscretisationConvergenceTest {
  private static final int STEPS = 1000;

  private static double[][] solve(int cells, Discretisation d, double dv) {
    PredatorPreySettings s = new PredatorPreySettings(cells, STEPS, 0.01, STEPS, 0.0, 0.0, dv, d, 100);
    PredatorPrey model = PredatorPrey.of(s);
    double[] u = new double[cells];
    double[] v = new double[cells];
    model.initialise(0.5, 0.1, u, v);
    model.run(u, v, STEPS, new SampleRandom(1));
    return new double[][] {u, v};
  }

  /** Averages each group of fine cells that make up one of {@code cells} coarse cells. */
  private static double[][] restrict(double[][] fine, int cells) {
    int group = fine[0].length / cells;
    double[][] out = new double[2][cells];
    for (int species = 0; species < 2; species++) {
      for (int j = 0; j < cells; j++) {
        double sum = 0;
        for (int i = 0; i < group; i++) {
          sum += fine[species][j * group + i];
        }
        out[species][j] = sum / group;
      }
    }
    return out;
  }

  /** Root mean square difference over both species. */
  private static double rms(double[][] a, double[][] b) {
    double sum = 0;
    int n = a[0].length;
    for (int species = 0; species < 2; species++) {
      for (int j = 0; j < n; j++) {
        double d = a[species][j] - b[species][j];
        sum += d * d;
      }
    }
    return Math.sqrt(sum / (2 * n));
  }

  /** Differences between successive resolutions 50 -> 100 -> 200 -> 400, the finer restricted onto the coarser. */
  private static double[] successiveDifferences(Discretisation d) {
    int[] cells = {50, 100, 200, 400};
    double[] out = new double[cells.length - 1];
    double[][] coarse = solve(cells[0], d, 1.0);
    for (int i = 1; i < cells.length; i++) {
      double[][] fine = solve(cells[i], d, 1.0);
      out[i - 1] = rms(coarse, restrict(fine, cells[i - 1]));
      coarse = fine;
    }
    return out;
  }

  @Test
  void theConsistentDiscretisationConvergesAtSecondOrder() {
    // When dx halves three times
    double[] diff = successiveDifferences(Discretisation.CONSISTENT);
    // Then each difference is about a quarter of the one before (second order: 4; assert > 3)
    for (int i = 1; i < diff.length; i++) {
      double ratio = diff[i - 1] / diff[i];
      assertTrue(ratio > 3, "consistent: difference ratio " + ratio + " at refinement " + i + " of " + Arrays.toString(diff));
    }
  }

  @Test
  void theReferenceDiscretisationChangesFarMoreUnderRefinement() {
    // When dx halves three times
    double[] reference = successiveDifferences(Discretisation.REFERENCE);
    double[] consistent = successiveDifferences(Discretisation.CONSISTENT);
    // Then each of the reference's differences is over 20 times the consistent one (about 30, 70
    // and 90 times): each resolution of the reference is a different model. Its differences do
    // shrink eventually, but towards uncoupled cells (next test), not towards the 100-cell model.
    for (int i = 0; i < reference.length; i++) {
      assertTrue(reference[i] > 20 * consistent[i], "refinement " + i + ": reference " + Arrays.toString(reference)
          + " vs consistent " + Arrays.toString(consistent));
    }
  }

  @Test
  void refinedTheReferenceTendsToUncoupledCellsNotToItselfAtOneHundredCells() {
    // Given the reference at its own resolution
    double[][] atReference = solve(100, Discretisation.REFERENCE, 1.0);
    double previousToReference = 0;
    double previousToUncoupled = Double.POSITIVE_INFINITY;
    for (int cells : new int[] {200, 400, 800}) {
      // When refined
      double[][] refined = solve(cells, Discretisation.REFERENCE, 1.0);
      double toReference = rms(restrict(refined, 100), atReference);
      double toUncoupled = rms(refined, solve(cells, Discretisation.REFERENCE, 0.0));
      // Then it moves away from the 100-cell solution and towards the diffusion-free one (the
      // effective diffusion constant dv dx^2 vanishes at second order)
      assertTrue(toReference > previousToReference, cells + " cells: distance to 100 cells " + toReference);
      assertTrue(toUncoupled < previousToUncoupled / 3, cells + " cells: distance to dv = 0 " + toUncoupled);
      previousToReference = toReference;
      previousToUncoupled = toUncoupled;
    }
  }

  @Test
  void refinedTheConsistentDiscretisationStaysWithTheReferenceModel() {
    // Given both at 100 cells (where they coincide) and the consistent one refined to 400
    double[][] atReference = solve(100, Discretisation.CONSISTENT, 1.0);
    double[][] refined = solve(400, Discretisation.CONSISTENT, 1.0);
    double[][] uncoupled = solve(400, Discretisation.CONSISTENT, 0.0);
    // Then the refined solution stays close to the 100-cell one (discretisation error only) and
    // diffusion still matters as much as at 100 cells
    double toReference = rms(restrict(refined, 100), atReference);
    double toUncoupled = rms(refined, uncoupled);
    assertTrue(toReference < toUncoupled / 20, "to 100 cells " + toReference + ", to dv = 0 " + toUncoupled);
  }
}
