package org.macronet.systems.predatorprey;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.SystemRegistry;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** The {@code simulation.predator-prey.*} keys: defaults, round trip, and refusals that name the key. */
class PredatorPreySettingsTest {
  private static final String P = PredatorPreySettings.PREFIX;

  private static ConfigException refused(Object... overrides) {
    return assertThrows(ConfigException.class, () -> PredatorPreySettings.from(MapSettings.defaultsWith(overrides)));
  }

  @Test
  void anUnstableTimeStepIsRefusedNamingDt() {
    // Reference: dv dt = 1 x 0.6 > 1/2
    ConfigException e = refused(P + "dt", 0.6);
    assertEquals(P + "dt", e.key());
    assertTrue(e.getMessage().contains("0.6") && e.getMessage().contains("dv"), e.getMessage());
  }

  @Test
  void theConsistentDiscretisationNeedsSmallerStepsOnFinerGrids() {
    // dt = 0.04 at 400 cells: the reference's coefficient is 0.04, the consistent one's 0.04 x (400 / 100)^2 = 0.64
    assertDoesNotThrow(() -> PredatorPreySettings.from(MapSettings.defaultsWith(P + "cells", 400, P + "dt", 0.04)));
    ConfigException e = refused(P + "cells", 400, P + "dt", 0.04, P + "discretisation", "consistent");
    assertEquals(P + "dt", e.key());
    assertTrue(e.getMessage().contains("(400 / 100)^2 = 16.0"), e.getMessage());
    // and the bound is inclusive: 1 x 0.03125 x 16 = 0.5 is stable
    assertDoesNotThrow(() -> PredatorPreySettings.from(MapSettings.defaultsWith(
        P + "cells", 400, P + "dt", 0.03125, P + "discretisation", "consistent", P + "steps", 3200, P + "snapshot-every", 32)));
  }

  @Test
  void anUnstablePreyDiffusionIsRefusedNamingIt() {
    ConfigException e = refused(P + "du", 60.0);
    assertEquals(P + "dt", e.key());
    assertTrue(e.getMessage().contains("du * dt") && e.getMessage().contains(P + "du"), e.getMessage());
  }

  @Test
  void anUnknownDiscretisationIsRefusedNamingTheKey() {
    ConfigException e = refused(P + "discretisation", "spectral");
    assertEquals(P + "discretisation", e.key());
    assertTrue(e.getMessage().contains("'spectral'") && e.getMessage().contains("reference, consistent"), e.getMessage());
    assertEquals(Discretisation.CONSISTENT, Discretisation.parse("k", " Consistent "));
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheirKey() {
    Map<String, Object[]> cases = new LinkedHashMap<>();
    cases.put(P + "cells", new Object[] {P + "cells", 0});
    cases.put(P + "steps", new Object[] {P + "steps", -5});
    cases.put(P + "dt", new Object[] {P + "dt", 0.0});
    cases.put(P + "snapshot-every", new Object[] {P + "snapshot-every", 0});
    cases.put(P + "noise", new Object[] {P + "noise", -0.02});
    cases.put(P + "du", new Object[] {P + "du", -1.0});
    cases.put(P + "dv", new Object[] {P + "dv", Double.NaN});
    cases.put(P + "reference-cells", new Object[] {P + "reference-cells", 0});
    cases.forEach((key, override) -> {
      ConfigException e = refused(override);
      assertEquals(key, e.key(), e.getMessage());
      assertTrue(e.getMessage().contains("found " + override[1]), e.getMessage());
    });
  }

  @Test
  void snapshotEveryMustDivideSteps() {
    ConfigException e = refused(P + "snapshot-every", 7);
    assertEquals(P + "snapshot-every", e.key());
    assertTrue(e.getMessage().contains("3000") && e.getMessage().contains("found 7"), e.getMessage());
  }

  @Test
  void aGridPriorIsRefusedNamingTheParameter() {
    Map<String, PriorEntry> entries = PredatorPreySystem.defaultPrior();
    entries.put("k", new PriorEntry.Grid(0.05, 0.15, 3));
    ConfigException e = assertThrows(ConfigException.class,
        () -> new PredatorPreySystem(new Prior(entries), PredatorPreySettings.defaults()));
    assertEquals("prior.k", e.key());
  }

  @Test
  void theSettingsRoundTripThroughTheirKeys() {
    PredatorPreySettings s = new PredatorPreySettings(64, 1200, 0.005, 40, 0.03, 0.1, 0.8, Discretisation.CONSISTENT, 50);
    assertEquals(s, PredatorPreySettings.from(new MapSettings(s.toConfig())));
  }

  @Test
  void theProviderIsRegisteredAndDescribesTheResolvedKeys() {
    // Given the plugin found by name, as the jobs find it
    SystemProvider provider = SystemRegistry.provider("predator-prey");
    assertInstanceOf(PredatorPreyProvider.class, provider);
    // When
    PredatorPreySystem system = (PredatorPreySystem) provider.create(new Prior(provider.defaultPrior()),
        MapSettings.defaultsWith(P + "discretisation", "consistent", P + "cells", 50));
    Map<String, Object> described = provider.describe(system);
    // Then
    assertEquals("consistent", described.get(P + "discretisation"));
    assertEquals(50, described.get(P + "cells"));
    assertEquals(PredatorPreySettings.defaults().toConfig().keySet(), described.keySet());
    assertEquals(system.settings(), PredatorPreySettings.from(new MapSettings(described)));
  }

  @Test
  void theDefaultsFileHoldsExactlyTheDefaultSettings() throws IOException {
    // Given the resource the configuration loader reads
    String text;
    try (InputStream in = PredatorPreyProvider.class.getResourceAsStream(new PredatorPreyProvider().defaultsResource())) {
      assertNotNull(in, "defaults resource");
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(text.contains("simulation.predator-prey {"), "the keys sit under simulation.predator-prey");
    // When its key = value lines are read
    Map<String, String> found = new LinkedHashMap<>();
    Matcher line = Pattern.compile("(?m)^\\s+([a-z-]+)\\s*=\\s*(\\S+)\\s*$").matcher(text);
    while (line.find()) {
      found.put(P + line.group(1), line.group(2));
    }
    // Then they are the record's defaults, key for key
    Map<String, Object> expected = PredatorPreySettings.defaults().toConfig();
    assertEquals(expected.keySet(), found.keySet());
    expected.forEach((key, value) -> {
      if (value instanceof Number n) {
        assertEquals(n.doubleValue(), Double.parseDouble(found.get(key)), key);
      } else {
        assertEquals(value, found.get(key), key);
      }
    });
  }
}
