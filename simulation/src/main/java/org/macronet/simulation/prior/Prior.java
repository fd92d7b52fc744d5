package org.macronet.simulation.prior;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;

/**
 * The joint prior of a system's parameters, in the system's parameter order.
 *
 * <p>Grid entries form a Cartesian sweep: the sweep has {@link #gridPoints()} points and
 * grid point {@code g} decodes into one index per grid axis in mixed radix, the first grid
 * axis varying slowest. Sample {@code i} of a run with {@code r} seeds per point sits at
 * grid point {@code i / r}; without grid axes every sample is at point 0.
 */
public final class Prior implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final PriorEntry[] entries;
  private final long gridPoints;

  /** @param entries one entry per parameter, in the system's order; the map's keys are the parameter names */
  public Prior(Map<String, PriorEntry> entries) {
    this.names = List.copyOf(entries.keySet());
    this.entries = entries.values().toArray(new PriorEntry[0]);
    long points = 1;
    for (int j = 0; j < this.entries.length; j++) {
      points = Math.multiplyExact(points, this.entries[j].gridCount());
    }
    this.gridPoints = points;
  }

  public List<String> names() {
    return names;
  }

  public PriorEntry entry(String name) {
    int j = names.indexOf(name);
    if (j < 0) {
      throw new IllegalArgumentException("no parameter named " + name + " in " + names);
    }
    return entries[j];
  }

  /** Number of points of the Cartesian sweep over all grid axes (1 when there are none). */
  public long gridPoints() {
    return gridPoints;
  }

  public boolean hasGrid() {
    return java.util.Arrays.stream(entries).anyMatch(e -> e instanceof PriorEntry.Grid);
  }

  /**
   * Draws the parameters of one sample into {@code out}, consuming exactly one uniform
   * per parameter from {@code rng}. Without grid axes every sample is at the one point and
   * {@code gridPoint} is ignored.
   */
  public void draw(SampleRandom rng, long gridPoint, double[] out) {
    if (gridPoints == 1) {
      gridPoint = 0;
    } else if (gridPoint < 0 || gridPoint >= gridPoints) {
      throw new IllegalArgumentException("grid point " + gridPoint + " outside [0, " + gridPoints + ")");
    }
    long rest = gridPoint;
    long stride = gridPoints;
    for (int j = 0; j < entries.length; j++) {
      double u = rng.nextDouble();
      int count = entries[j].gridCount();
      stride /= count;
      int index = (int) (rest / stride);
      rest -= index * stride;
      out[j] = entries[j].value(u, index);
    }
  }

  /** Configuration-style rendering, one {@code prior.<name> = <entry>} per parameter. */
  public Map<String, String> render() {
    Map<String, String> out = new LinkedHashMap<>();
    for (int j = 0; j < entries.length; j++) {
      out.put(names.get(j), entries[j].render());
    }
    return Collections.unmodifiableMap(out);
  }

  /** Checks that every parameter named by {@code names} is present, naming the missing key otherwise. */
  public static Prior of(List<String> parameterNames, Map<String, PriorEntry> given) {
    Map<String, PriorEntry> ordered = new LinkedHashMap<>();
    for (String name : parameterNames) {
      PriorEntry e = given.get(name);
      ConfigException.require(e != null, "prior." + name, "missing; give a number or a [lo, hi] range");
      ordered.put(name, e);
    }
    List<String> extra = new ArrayList<>(given.keySet());
    extra.removeAll(parameterNames);
    if (!extra.isEmpty()) {
      throw new ConfigException("prior." + extra.get(0), "unknown parameter; this system's parameters are " + parameterNames);
    }
    return new Prior(ordered);
  }
}
