package org.macronet.systems.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.simulation.prior.Prior;

class LinearDynamicsTest {

  /** x_t = (I + dt M)^t x_0, by repeated 2x2 matrix products. */
  private static double[] closedForm(double[] m, double x, double y, int t) {
    double[] a = {1 + m[0] / 8, m[1] / 8, m[2] / 8, 1 + m[3] / 8};
    double[] p = {1, 0, 0, 1};
    for (int s = 0; s < t; s++) {
      p = new double[] {
        p[0] * a[0] + p[1] * a[2], p[0] * a[1] + p[1] * a[3],
        p[2] * a[0] + p[3] * a[2], p[2] * a[1] + p[3] * a[3]
      };
    }
    return new double[] {p[0] * x + p[1] * y, p[2] * x + p[3] * y};
  }

  @Test
  void trajectoryEqualsTheMatrixPowerClosedForm() {
    LinearDynamics system = new LinearDynamics(new Prior(LinearDynamics.defaultPrior()));
    SampleBlock block = system.openSimulator().simulate(new PairSystem.Sampling(3, 1), 0, 200);
    for (int r = 0; r < block.size(); r++) {
      double[] m = {block.scalars()[0][r], block.scalars()[1][r], block.scalars()[2][r], block.scalars()[3][r]};
      double x0 = block.scalars()[4][r];
      double y0 = block.scalars()[5][r];
      for (int t = 1; t <= 8; t++) {
        double[] expected = closedForm(m, x0, y0, t);
        assertEquals(expected[0], block.arrays()[r][2 * (t - 1)], 1e-6, "x_" + t + " of row " + r);
        assertEquals(expected[1], block.arrays()[r][2 * (t - 1) + 1], 1e-6, "y_" + t + " of row " + r);
      }
    }
  }

  @Test
  void rotationGeneratorTurnsAnticlockwise() {
    // M = [[0, -1], [1, 0]] rotates anticlockwise: the cross product x_t x x_{t+1} is positive
    float[] traj = new float[16];
    LinearDynamics.trajectory(0, -1, 1, 0, 1, 0, traj);
    for (int t = 0; t < 7; t++) {
      double cross = traj[2 * t] * traj[2 * t + 3] - traj[2 * t + 1] * traj[2 * t + 2];
      assertEquals(1, Math.signum(cross));
    }
  }
}
