package org.macronet.systems.predatorprey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** The stepper against an independent forward-Euler loop, its noise and its initial state. */
class PredatorPreyTest {

  /**
   * Forward Euler for the deterministic model, written without the production code: ghost cells
   * padded explicitly, and the consistent Laplacian as D_phys (u_{j-1} - 2 u_j + u_{j+1}) / dx^2
   * with D_phys = dv / 100^2.
   */
  private static double[][] forwardEuler(int n, double m, double k, int steps, double dt, double du, double dv,
                                         boolean consistent) {
    double[] u = new double[n];
    double[] v = new double[n];
    for (int j = 0; j < n; j++) {
      double x = (j + 0.5) / n;
      u[j] = m + k * Math.cos(10 * Math.PI * x);
      v[j] = 1 - m - k * Math.cos(10 * Math.PI * x);
    }
    double dx = 1.0 / n;
    double scale = consistent ? 1.0 / (100.0 * 100.0) / (dx * dx) : 1.0;
    for (int s = 0; s < steps; s++) {
      double[] pu = new double[n + 2];
      double[] pv = new double[n + 2];
      System.arraycopy(u, 0, pu, 1, n);
      System.arraycopy(v, 0, pv, 1, n);
      pu[0] = u[0];
      pu[n + 1] = u[n - 1];
      pv[0] = v[0];
      pv[n + 1] = v[n - 1];
      double[] nu = new double[n];
      double[] nv = new double[n];
      for (int j = 0; j < n; j++) {
        double lapU = scale * (pu[j] - 2 * pu[j + 1] + pu[j + 2]);
        double lapV = scale * (pv[j] - 2 * pv[j + 1] + pv[j + 2]);
        nu[j] = u[j] + dt * (u[j] * (1 - u[j] - v[j]) + du * lapU);
        nv[j] = v[j] + dt * (3 * v[j] * (u[j] - 0.4) + dv * lapV);
      }
      u = nu;
      v = nv;
    }
    return new double[][] {u, v};
  }

  private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], actual[j], tolerance, what + "[" + j + "]");
    }
  }

  @Test
  void withoutNoiseTheStepperIsForwardEulerForBothDiscretisations() {
    // Given 64 cells (not the reference 100, so the two discretisations differ) and diffusion in both species
    int n = 64;
    int steps = 3000;
    for (Discretisation d : Discretisation.values()) {
      PredatorPreySettings s = new PredatorPreySettings(n, steps, 0.01, 30, 0.0, 0.3, 1.0, d, 100);
      PredatorPrey model = PredatorPrey.of(s);
      double[] u = new double[n];
      double[] v = new double[n];
      // When
      model.initialise(0.52, 0.13, u, v);
      model.run(u, v, steps, new SampleRandom(7));
      // Then
      double[][] expected = forwardEuler(n, 0.52, 0.13, steps, 0.01, 0.3, 1.0, d == Discretisation.CONSISTENT);
      assertClose(expected[0], u, 1e-12, d + " u");
      assertClose(expected[1], v, 1e-12, d + " v");
    }
  }

  @Test
  void withoutNoiseEverySnapshotRowIsForwardEuler() {
    // Given the plugin's simulator at 64 cells, noise off, parameters drawn from the default prior
    int n = 64;
    for (Discretisation d : Discretisation.values()) {
      PredatorPreySettings s = new PredatorPreySettings(n, 600, 0.01, 150, 0.0, 0.0, 1.0, d, 100);
      PredatorPreySystem system = new PredatorPreySystem(new Prior(PredatorPreySystem.defaultPrior()), s);
      List<Object[]> rows = new ArrayList<>();
      // When
      try (EnsembleSystem.Simulator sim = system.openSimulator()) {
        sim.simulate(123L, rows::add);
      }
      // Then each snapshot matches the loop run for that many steps from the drawn (m, k)
      assertEquals(5, rows.size());
      double m = (Double) rows.get(0)[0];
      double k = (Double) rows.get(0)[1];
      for (Object[] row : rows) {
        int step = (Integer) row[2];
        double[][] expected = forwardEuler(n, m, k, step, 0.01, 0.0, 1.0, d == Discretisation.CONSISTENT);
        assertEquals(mean(expected[0]), (Double) row[4], 1e-12, d + " u_mean at step " + step);
        assertEquals(mean(expected[1]), (Double) row[5], 1e-12, d + " v_mean at step " + step);
        assertFloatsOf(expected[0], (float[]) row[6], d + " u at step " + step);
        assertFloatsOf(expected[1], (float[]) row[7], d + " v at step " + step);
      }
    }
  }

  /** Stored float32 values equal the double state to within one float ulp. */
  private static void assertFloatsOf(double[] expected, float[] stored, String what) {
    assertEquals(expected.length, stored.length, what + " length");
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], stored[j], Math.ulp((float) expected[j]), what + "[" + j + "]");
    }
  }

  private static double mean(double[] x) {
    double sum = 0;
    for (double value : x) {
      sum += value;
    }
    return sum / x.length;
  }

  @Test
  void theInitialStateIsTheCosineProfileAtCellCentres() {
    // Given 20 cells, so x_j = (j + 0.5) / 20 and cos(10 pi x) runs through five periods
    PredatorPrey model = new PredatorPrey(20, 0.01, 0.0, 1.0, 0.02);
    double[] u = new double[20];
    double[] v = new double[20];
    // When
    model.initialise(0.5, 0.1, u, v);
    // Then 10 pi x_j = (2 j + 1) pi / 4: cos is +-sqrt(1/2) with the signs + - - + repeating
    double h = 0.1 * Math.sqrt(0.5);
    assertArrayEquals(new double[] {0.5 + h, 0.5 - h, 0.5 - h, 0.5 + h, 0.5 + h}, java.util.Arrays.copyOf(u, 5), 1e-15);
    for (int j = 0; j < 20; j++) {
      assertEquals(1.0, u[j] + v[j], 1e-15, "u + v = 1 at cell " + j);
    }
  }

  @Test
  void atTheUniformEquilibriumAStepAddsExactlyTheDrawnNoiseInOrder() {
    // Given (u, v) = (0.4, 0.6): both reaction terms and the Laplacian vanish there
    int n = 5;
    double sigma = 0.02;
    double dt = 0.01;
    PredatorPrey model = new PredatorPrey(n, dt, 0.7, 1.0, sigma);
    double[] u = new double[n];
    double[] v = new double[n];
    java.util.Arrays.fill(u, 0.4);
    java.util.Arrays.fill(v, 0.6);
    // When
    model.step(u, v, new SampleRandom(99));
    // Then the increments are sigma sqrt(dt) times the Gaussians: u's cells 0..n-1, then v's
    SampleRandom replay = new SampleRandom(99);
    for (int j = 0; j < n; j++) {
      assertEquals(sigma * Math.sqrt(dt) * replay.nextStrictGaussian(), u[j] - 0.4, 1e-16, "u increment at " + j);
    }
    for (int j = 0; j < n; j++) {
      assertEquals(sigma * Math.sqrt(dt) * replay.nextStrictGaussian(), v[j] - 0.6, 1e-16, "v increment at " + j);
    }
  }

  @Test
  void theBoundaryIsZeroFlux() {
    // Given a step profile in v, prey absent (u = 0 keeps v's reaction a pure decay -1.2 v) and no noise
    PredatorPrey model = new PredatorPrey(4, 0.1, 0.0, 1.0, 0.0);
    double[] u = new double[4];
    double[] v = {1.0, 0.0, 0.0, 2.0};
    // When
    model.step(u, v, new SampleRandom(1));
    // Then the edge cells see their ghost = themselves: lap_0 = v_1 - v_0, lap_3 = v_2 - v_3
    double decay = 1 - 0.1 * 3 * 0.4;
    assertArrayEquals(new double[] {1.0 * decay + 0.1 * (0.0 - 1.0), 0.1 * 1.0, 0.1 * 2.0, 2.0 * decay + 0.1 * (0.0 - 2.0)},
        v, 1e-15);
  }

  @Test
  void theStateMustHaveOneValuePerCell() {
    PredatorPrey model = new PredatorPrey(4, 0.01, 0.0, 1.0, 0.02);
    assertThrows(IllegalArgumentException.class, () -> model.step(new double[3], new double[4], new SampleRandom(1)));
  }

  @Test
  void defaultPriorIsThePapers() {
    Map<String, PriorEntry> prior = PredatorPreySystem.defaultPrior();
    assertEquals(List.of("m", "k"), List.copyOf(prior.keySet()));
    assertEquals(new PriorEntry.Uniform(0.45, 0.55), prior.get("m"));
    assertEquals(new PriorEntry.Uniform(0.05, 0.15), prior.get("k"));
  }
}
