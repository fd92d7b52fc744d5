package org.macronet.analysis.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.analysis.dynamics.Rotation.Sense;

class RotationTest {

  @Test
  void quarterTurnsAnticlockwiseAndClockwise() {
    // (1,0) -> (0,1) -> (-1,0): cross products 1*1 - 0*0 = 1 and 0*0 - 1*(-1) = 1
    float[] up = {0, 1, -1, 0};
    assertEquals(2, Rotation.signedTurning(1, 0, up), 0);
    assertEquals(Sense.ANTICLOCKWISE, Rotation.sense(1, 0, up));
    // (1,0) -> (0,-1) -> (-1,0): cross products -1 and -1
    float[] down = {0, -1, -1, 0};
    assertEquals(-2, Rotation.signedTurning(1, 0, down), 0);
    assertEquals(Sense.CLOCKWISE, Rotation.sense(1, 0, down));
  }

  @Test
  void turningAngleSumsTheStepAnglesAndIgnoresScale() {
    // (1,0) -> (0,1) -> (-1,0) -> (0,-1): three quarter turns anticlockwise
    float[] ccw = {0, 1, -1, 0, 0, -1};
    assertEquals(1.5 * Math.PI, Rotation.turningAngle(1, 0, ccw), 1e-12);
    // a growing spiral turning 0.1 rad per step, clockwise: 8 steps give -0.8 whatever the growth
    float[] spiral = new float[16];
    for (int t = 1; t <= 8; t++) {
      double r = 3 * Math.pow(1.2, t);
      spiral[2 * t - 2] = (float) (r * Math.cos(-0.1 * t));
      spiral[2 * t - 1] = (float) (r * Math.sin(-0.1 * t));
    }
    assertEquals(-0.8, Rotation.turningAngle(3, 0, spiral), 1e-6);
    assertEquals(0, Rotation.turningAngle(0.5, 0.5, new float[] {1, 1, 2, 2}), 1e-12);
  }

  @Test
  void radialLineDoesNotTurn() {
    float[] traj = {1, 1, 2, 2, 3, 3};
    assertEquals(0, Rotation.signedTurning(0.5, 0.5, traj), 0);
    assertEquals(Sense.NONE, Rotation.sense(0.5, 0.5, traj));
    assertEquals(Sense.NONE, Rotation.ofTrajectoryFromOrigin(traj));
  }

  @Test
  void trajectoryAloneUsesOnlyItsOwnPoints() {
    // without a start the first step (x0 -> x1) is not counted: (1,0) -> (0,1) -> (-1,0) gives 2
    float[] traj = {1, 0, 0, 1, -1, 0};
    assertEquals(2, Rotation.signedTurning(traj), 0);
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofTrajectoryFromOrigin(traj));
    // a start (0,-5) adds the step (0,-5) -> (1,0): 0*0 - (-5)*1 = 5
    assertEquals(7, Rotation.signedTurning(0, -5, traj), 0);
  }

  @Test
  void senseDoesNotDependOnScale() {
    float[] traj = {1, 0, 0, 1, -1, 0};
    float[] tiny = new float[traj.length];
    for (int i = 0; i < traj.length; i++) {
      tiny[i] = traj[i] * 1e-6f;
    }
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofTrajectoryFromOrigin(tiny));
  }

  @Test
  void toleranceIsRelativeToTheStepLengths() {
    // (1,0) -> (2, 0.001): turning 0.001 against a scale |x_1||x_2| of about 2
    float[] traj = {1, 0, 2, 0.001f};
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofTrajectoryFromOrigin(traj));
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofTrajectoryFromOrigin(traj, 4e-4));
    assertEquals(Sense.NONE, Rotation.ofTrajectoryFromOrigin(traj, 6e-4));
  }

  @Test
  void rotationMatricesTurnTheWayOfTheirAngle() {
    // M = R(theta) has eigenvalues cos(theta) +- i sin(theta) and m21 - m12 = 2 sin(theta)
    for (double theta : new double[] {Math.PI / 3, Math.PI / 2, 2.5}) {
      double c = Math.cos(theta);
      double s = Math.sin(theta);
      assertEquals(Sense.ANTICLOCKWISE, Rotation.ofMatrix(c, -s, s, c), "theta " + theta);
      assertEquals(Sense.CLOCKWISE, Rotation.ofMatrix(c, s, -s, c), "theta " + -theta);
    }
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofMatrix(0, -1, 1, 0));
    assertEquals(Sense.CLOCKWISE, Rotation.ofMatrix(0, 1, -1, 0));
    assertEquals(Sense.ANTICLOCKWISE, Rotation.ofMatrix(-0.1, -2, 2, -0.1)); // a decaying spiral
  }

  @Test
  void realEigenvaluesDoNotRotate() {
    assertEquals(Sense.NONE, Rotation.ofMatrix(0.5, 0, 0, 0.5)); // pure scaling, discriminant 0
    assertEquals(Sense.NONE, Rotation.ofMatrix(2, 0, 0, -1)); // a saddle
    assertEquals(Sense.NONE, Rotation.ofMatrix(1, 2, 0, -1)); // discriminant 4 + 0 > 0
    assertEquals(Sense.NONE, Rotation.ofMatrix(0, -1, 0, 0)); // a shear
  }

  @Test
  void matrixSenseAgreesWithSimulatedTrajectories() {
    // x_{t+1} = x_t + M x_t / 8, t = 0..7, as the linear-dynamics simulator writes it
    SplittableRandom random = new SplittableRandom(20240611L);
    int rotating = 0;
    for (int trial = 0; trial < 500; trial++) {
      double m11 = random.nextDouble(-1, 1);
      double m12 = random.nextDouble(-1, 1);
      double m21 = random.nextDouble(-1, 1);
      double m22 = random.nextDouble(-1, 1);
      double x0 = random.nextDouble(-1, 1);
      double y0 = random.nextDouble(-1, 1);
      Sense expected = Rotation.ofMatrix(m11, m12, m21, m22);
      double discriminant = (m11 - m22) * (m11 - m22) + 4 * m12 * m21;
      if (expected == Sense.NONE || discriminant > -0.05) {
        continue; // near the boundary float rounding of the stored trajectory may flip tiny steps
      }
      rotating++;
      float[] traj = new float[16];
      double x = x0;
      double y = y0;
      for (int t = 0; t < 8; t++) {
        double nx = x + (m11 * x + m12 * y) / 8;
        double ny = y + (m21 * x + m22 * y) / 8;
        x = nx;
        y = ny;
        traj[2 * t] = (float) x;
        traj[2 * t + 1] = (float) y;
      }
      assertEquals(expected, Rotation.sense(x0, y0, traj), "trial " + trial);
      assertEquals(expected, Rotation.ofTrajectoryFromOrigin(traj), "trial " + trial);
    }
    assertTrue(rotating > 100, "enough rotating matrices were drawn, found " + rotating);
  }

  @Test
  void badTrajectoriesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Rotation.signedTurning(0, 0, new float[] {1, 2, 3}));
    assertTrue(e.getMessage().contains("length 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Rotation.sense(0, 0, new float[] {1, 2, 3, Float.NaN}));
    assertTrue(e.getMessage().contains("traj[3]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Rotation.ofTrajectoryFromOrigin(new float[] {1, 2}));
    e = assertThrows(IllegalArgumentException.class,
        () -> Rotation.ofTrajectoryFromOrigin(new float[] {1, 0, 0, 1}, -1));
    assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Rotation.ofMatrix(0, Double.NaN, 1, 0));
    assertTrue(e.getMessage().contains("m12"), e.getMessage());
  }
}
