package org.macronet.analysis.dynamics;

/**
 * The turning sense of planar motion: of a trajectory, and of the linear flow
 * {@code dx/dt = M x} that produced it (the linear-dynamics system, docs/systems.md).
 *
 * <p>A trajectory's turning is {@code S = sum_t x_t × x_{t+1}} with the planar cross product
 * {@code a × b = a_1 b_2 - a_2 b_1}: each term is twice the signed area swept about the origin
 * from one point to the next, positive when the step turns anticlockwise. Trajectories are
 * packed {@code x_1, y_1, .., x_n, y_n}, the layout of the dataset's {@code traj} column.
 *
 * <p>For a step {@code x_{t+1} = x_t + M x_t dt}, {@code x_t × x_{t+1} = dt q(x_t)} with the
 * quadratic form {@code q(x) = m21 x_1^2 + (m22 - m11) x_1 x_2 - m12 x_2^2}. It is definite, so
 * every step turns the same way, exactly when its discriminant
 * {@code (m11 - m22)^2 + 4 m12 m21} is negative, i.e. when M has complex eigenvalues; its sign
 * is then that of {@code m21 - m12}. That is what {@link #ofMatrix} reports.
 */
public final class Rotation {

  /** The way a trajectory or a flow turns about the origin. */
  public enum Sense {
    ANTICLOCKWISE,
    CLOCKWISE,
    /** No consistent turning: a straight or balanced path, or a matrix with real eigenvalues. */
    NONE
  }

  /**
   * Default relative tolerance of the {@code sense} methods: a turning
   * {@code |S| <= 1e-9 sum_t |x_t| |x_{t+1}|} counts as none.
   */
  public static final double DEFAULT_TOLERANCE = 1e-9;

  private Rotation() {}

  /**
   * The turning {@code S = sum_{t=0}^{n-1} x_t × x_{t+1}} of the path from the start
   * {@code x_0 = (x0, y0)} through the packed points {@code x_1 .. x_n}; positive = anticlockwise.
   */
  public static double signedTurning(double x0, double y0, float[] traj) {
    checkStart(x0, y0);
    int n = points(traj, 1);
    double sum = x0 * traj[1] - y0 * traj[0];
    return sum + signedTurningFrom(traj, n);
  }

  /**
   * The turning {@code S = sum_{t=1}^{n-1} x_t × x_{t+1}} of the packed points alone, for a
   * trajectory with no recorded start (a designed one); needs n >= 2 points.
   */
  public static double signedTurning(float[] traj) {
    return signedTurningFrom(traj, points(traj, 2));
  }

  /**
   * The angle in radians the path from {@code x_0 = (x0, y0)} through the packed points
   * {@code x_1 .. x_n} sweeps about the origin: {@code sum_t atan2(x_t × x_{t+1}, x_t · x_{t+1})},
   * positive = anticlockwise. Unlike {@link #signedTurning} it does not grow with the
   * trajectory's size, so it ranks how clearly examples of different scales turn.
   */
  public static double turningAngle(double x0, double y0, float[] traj) {
    checkStart(x0, y0);
    int n = points(traj, 1);
    double sum = Math.atan2(x0 * traj[1] - y0 * traj[0], x0 * traj[0] + y0 * traj[1]);
    for (int t = 0; t < n - 1; t++) {
      double ax = traj[2 * t];
      double ay = traj[2 * t + 1];
      double bx = traj[2 * t + 2];
      double by = traj[2 * t + 3];
      sum += Math.atan2(ax * by - ay * bx, ax * bx + ay * by);
    }
    return sum;
  }

  /** The sense of {@link #signedTurning(double, double, float[])} at the default tolerance. */
  public static Sense sense(double x0, double y0, float[] traj) {
    return sense(x0, y0, traj, DEFAULT_TOLERANCE);
  }

  /**
   * The sense of {@link #signedTurning(double, double, float[])}: NONE when
   * {@code |S| <= tolerance * sum_t |x_t| |x_{t+1}|}. The bound is relative (a weighted mean of
   * the sines of the step angles), so the answer does not depend on the trajectory's scale.
   */
  public static Sense sense(double x0, double y0, float[] traj, double tolerance) {
    checkTolerance(tolerance);
    double turning = signedTurning(x0, y0, traj);
    double scale = Math.hypot(x0, y0) * Math.hypot(traj[0], traj[1]) + scaleFrom(traj, traj.length / 2);
    return classify(turning, tolerance * scale);
  }

  /** The sense of {@link #signedTurning(float[])} at the default tolerance. */
  public static Sense ofTrajectoryFromOrigin(float[] traj) {
    return ofTrajectoryFromOrigin(traj, DEFAULT_TOLERANCE);
  }

  /**
   * The sense of {@link #signedTurning(float[])}: NONE when
   * {@code |S| <= tolerance * sum_t |x_t| |x_{t+1}|}.
   */
  public static Sense ofTrajectoryFromOrigin(float[] traj, double tolerance) {
    checkTolerance(tolerance);
    double turning = signedTurning(traj);
    return classify(turning, tolerance * scaleFrom(traj, traj.length / 2));
  }

  /**
   * The sense in which the linear flow {@code dx/dt = M x}, M = [[m11, m12], [m21, m22]], turns
   * every point: for complex eigenvalues ({@code (m11 - m22)^2 + 4 m12 m21 < 0}) the sign of
   * {@code m21 - m12}, positive = anticlockwise; NONE for real eigenvalues, where some directions
   * turn one way and others the other way (or not at all).
   */
  public static Sense ofMatrix(double m11, double m12, double m21, double m22) {
    checkFinite("m11", m11);
    checkFinite("m12", m12);
    checkFinite("m21", m21);
    checkFinite("m22", m22);
    double split = m11 - m22;
    double discriminant = split * split + 4 * m12 * m21;
    if (discriminant >= 0) {
      return Sense.NONE;
    }
    // discriminant < 0 forces m12 m21 < 0, so m21 - m12 is non-zero with the sign of m21
    return m21 - m12 > 0 ? Sense.ANTICLOCKWISE : Sense.CLOCKWISE;
  }

  private static Sense classify(double turning, double threshold) {
    if (Math.abs(turning) <= threshold) {
      return Sense.NONE;
    }
    return turning > 0 ? Sense.ANTICLOCKWISE : Sense.CLOCKWISE;
  }

  private static double signedTurningFrom(float[] traj, int n) {
    double sum = 0;
    for (int t = 0; t < n - 1; t++) {
      double ax = traj[2 * t];
      double ay = traj[2 * t + 1];
      double bx = traj[2 * t + 2];
      double by = traj[2 * t + 3];
      sum += ax * by - ay * bx;
    }
    return sum;
  }

  private static double scaleFrom(float[] traj, int n) {
    double sum = 0;
    for (int t = 0; t < n - 1; t++) {
      sum += Math.hypot(traj[2 * t], traj[2 * t + 1]) * Math.hypot(traj[2 * t + 2], traj[2 * t + 3]);
    }
    return sum;
  }

  /** Validates the packed trajectory and returns its number of points. */
  private static int points(float[] traj, int minPoints) {
    if (traj == null) {
      throw new IllegalArgumentException("traj must not be null");
    }
    if (traj.length % 2 != 0) {
      throw new IllegalArgumentException(
          "traj must hold x, y pairs (an even length), found length " + traj.length);
    }
    if (traj.length / 2 < minPoints) {
      throw new IllegalArgumentException(
          "traj must hold at least " + minPoints + " point(s), found " + traj.length / 2);
    }
    for (int i = 0; i < traj.length; i++) {
      if (!Float.isFinite(traj[i])) {
        throw new IllegalArgumentException("traj[" + i + "] must be finite, found " + traj[i]);
      }
    }
    return traj.length / 2;
  }

  private static void checkStart(double x0, double y0) {
    checkFinite("x0", x0);
    checkFinite("y0", y0);
  }

  private static void checkTolerance(double tolerance) {
    if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, found " + tolerance);
    }
  }

  private static void checkFinite(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, found " + value);
    }
  }
}
