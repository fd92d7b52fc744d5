package org.macronet.simulation.prior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.macronet.common.config.ConfigException;
import org.macronet.common.random.SampleRandom;

class PriorTest {

  @Test
  void gridAxesFormTheCartesianProductFirstAxisSlowest() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("F", new PriorEntry.Grid(0.01, 0.03, 3));
    m.put("Da", new PriorEntry.Fixed(0.16));
    m.put("k", new PriorEntry.Grid(0.05, 0.06, 2));
    Prior prior = new Prior(m);
    assertEquals(6, prior.gridPoints());
    Set<List<Double>> seen = new HashSet<>();
    double[] out = new double[3];
    for (int g = 0; g < 6; g++) {
      prior.draw(new SampleRandom(g), g, out);
      assertEquals(0.16, out[1]);
      seen.add(List.of(out[0], out[2]));
    }
    assertEquals(6, seen.size());
    prior.draw(new SampleRandom(0), 1, out);
    assertEquals(0.01, out[0], 1e-15);
    assertEquals(0.06, out[2], 1e-15);
    prior.draw(new SampleRandom(0), 4, out);
    assertEquals(0.03, out[0], 1e-15);
    assertEquals(0.05, out[2], 1e-15);
  }

  @Test
  void fixingOneParameterLeavesTheOthersDrawsUnchanged() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("a", new PriorEntry.Uniform(0, 1));
    m.put("b", new PriorEntry.Uniform(0, 1));
    double[] free = new double[2];
    new Prior(m).draw(new SampleRandom(5), 0, free);
    m.put("a", new PriorEntry.Fixed(0.5));
    double[] fixed = new double[2];
    new Prior(m).draw(new SampleRandom(5), 0, fixed);
    assertEquals(0.5, fixed[0]);
    assertEquals(free[1], fixed[1]);
  }

  @Test
  void badEntriesAreRefusedWithTheValueFound() {
    var e = assertThrows(IllegalArgumentException.class, () -> new PriorEntry.Uniform(0.06, 0.01));
    assertTrue(e.getMessage().contains("[0.06, 0.01]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PriorEntry.Grid(0, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new PriorEntry.Fixed(Double.NaN));
  }

  @Test
  void missingAndUnknownParametersNameTheKey() {
    Map<String, PriorEntry> m = new LinkedHashMap<>();
    m.put("Da", new PriorEntry.Fixed(0.1));
    var missing = assertThrows(ConfigException.class, () -> Prior.of(List.of("Da", "Db"), m));
    assertEquals("prior.Db", missing.key());
    m.put("Db", new PriorEntry.Fixed(0.1));
    m.put("Dc", new PriorEntry.Fixed(0.1));
    var unknown = assertThrows(ConfigException.class, () -> Prior.of(List.of("Da", "Db"), m));
    assertEquals("prior.Dc", unknown.key());
  }
}
