package org.macronet.analysis.figure;

import java.awt.Color;
import java.util.Arrays;
import java.util.List;

/**
 * Planar trajectories drawn alike: each packed {@code x_1, y_1, .., x_n, y_n} (the dataset's
 * {@code traj} layout), optionally preceded by a common start point {@code (x_0, y_0)}. The
 * trajectory arrays are not copied.
 *
 * @param name the legend label
 * @param colour line colour
 * @param trajectories at least one, each of even length with at least one point, finite
 * @param start the common start {@code {x0, y0}}, or null when the trajectories have none
 *     (designed trajectories)
 * @param lineWidth line width in pixels, positive
 */
public record TrajectorySet(String name, Color colour, List<float[]> trajectories, double[] start, float lineWidth) {

  /** The colour of the example trajectory that the others are compared with. */
  public static final Color EXAMPLE_COLOUR = new Color(214, 39, 40);

  public TrajectorySet {
    if (name == null) {
      throw new IllegalArgumentException("trajectory set name must not be null");
    }
    if (colour == null) {
      throw new IllegalArgumentException("trajectory set '" + name + "': colour must not be null");
    }
    if (trajectories == null || trajectories.isEmpty()) {
      throw new IllegalArgumentException("trajectory set '" + name + "' must hold at least one trajectory, found 0");
    }
    for (int k = 0; k < trajectories.size(); k++) {
      float[] traj = trajectories.get(k);
      if (traj == null) {
        throw new IllegalArgumentException("trajectory set '" + name + "': trajectory " + k + " must not be null");
      }
      if (traj.length < 2 || traj.length % 2 != 0) {
        throw new IllegalArgumentException("trajectory set '" + name + "': trajectory " + k
            + " must hold x, y pairs (an even length >= 2), found length " + traj.length);
      }
      for (int i = 0; i < traj.length; i++) {
        if (!Float.isFinite(traj[i])) {
          throw new IllegalArgumentException("trajectory set '" + name + "': trajectory " + k + " value " + i
              + " must be finite, found " + traj[i]);
        }
      }
    }
    trajectories = List.copyOf(trajectories);
    if (start != null && (start.length != 2 || !Double.isFinite(start[0]) || !Double.isFinite(start[1]))) {
      throw new IllegalArgumentException("trajectory set '" + name + "': start must be 2 finite numbers {x0, y0}, found "
          + Arrays.toString(start));
    }
    if (!(lineWidth > 0) || Float.isInfinite(lineWidth)) {
      throw new IllegalArgumentException("trajectory set '" + name + "': lineWidth must be positive, found " + lineWidth);
    }
  }

  /** Trajectories with a common start, drawn 1 pixel wide. */
  public TrajectorySet(String name, Color colour, List<float[]> trajectories, double[] start) {
    this(name, colour, trajectories, start, 1f);
  }

  /** Trajectories without a start, drawn 1 pixel wide. */
  public TrajectorySet(String name, Color colour, List<float[]> trajectories) {
    this(name, colour, trajectories, null, 1f);
  }

  /** The example trajectory: red and drawn 3 pixels wide; put it last so it lies on top. */
  public static TrajectorySet example(String name, float[] trajectory, double[] start) {
    return new TrajectorySet(name, EXAMPLE_COLOUR, List.of(trajectory), start, 3f);
  }
}
