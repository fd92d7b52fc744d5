package org.macronet.systems.predatorprey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** The ensemble plugin's rows: schema, determinism, the two discretisations, the noise. */
class PredatorPreySystemTest {

  private static PredatorPreySystem system(PredatorPreySettings s) {
    return new PredatorPreySystem(new Prior(PredatorPreySystem.defaultPrior()), s);
  }

  private static List<Object[]> rows(EnsembleSystem system, long seed) {
    List<Object[]> rows = new ArrayList<>();
    try (EnsembleSystem.Simulator sim = system.openSimulator()) {
      sim.simulate(seed, rows::add);
    }
    return rows;
  }

  private static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i), "row " + i); // deep: float[] compared bit for bit
    }
  }

  private static PredatorPreySettings withDiscretisation(PredatorPreySettings s, Discretisation d, int cells,
                                                         int referenceCells) {
    return new PredatorPreySettings(cells, s.steps(), s.dt(), s.snapshotEvery(), s.noise(), s.du(), s.dv(), d,
        referenceCells);
  }

  @Test
  void atTheReferenceResolutionBothDiscretisationsGiveIdenticalRows() {
    // Given the defaults (noise on), at cells = reference-cells = 100, and again at 64 = 64
    PredatorPreySettings base = PredatorPreySettings.defaults();
    for (int cells : new int[] {100, 64}) {
      EnsembleSystem reference = system(withDiscretisation(base, Discretisation.REFERENCE, cells, cells));
      EnsembleSystem consistent = system(withDiscretisation(base, Discretisation.CONSISTENT, cells, cells));
      for (long seed : new long[] {1L, -8_000_000_000L}) {
        // Then
        assertSameRows(rows(reference, seed), rows(consistent, seed));
      }
    }
  }

  @Test
  void awayFromTheReferenceResolutionTheDiscretisationsDiffer() {
    PredatorPreySettings base = PredatorPreySettings.defaults();
    List<Object[]> reference = rows(system(withDiscretisation(base, Discretisation.REFERENCE, 200, 100)), 5L);
    List<Object[]> consistent = rows(system(withDiscretisation(base, Discretisation.CONSISTENT, 200, 100)), 5L);
    assertFalse(Arrays.equals((float[]) reference.get(10)[7], (float[]) consistent.get(10)[7]));
  }

  @Test
  void rowsFollowTheDeclaredSchema() {
    // Given the defaults: 3,000 steps, a snapshot every 30
    PredatorPreySystem system = system(PredatorPreySettings.defaults());
    List<Field> fields = system.fields();
    // When
    List<Object[]> rows = rows(system, 42L);
    // Then
    assertEquals(List.of("m", "k", "step", "time", "u_mean", "v_mean", "u", "v"), fields.stream().map(Field::name).toList());
    assertEquals(List.of("u_mean", "v_mean"), system.observables());
    assertEquals(101, system.snapshotsPerSample());
    assertEquals(101, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Object[] row = rows.get(i);
      assertEquals(fields.size(), row.length);
      for (int f = 0; f < fields.size(); f++) {
        assertTrue(fields.get(f).accepts(row[f]), "row " + i + " column " + fields.get(f) + ": " + row[f]);
      }
      assertEquals(30 * i, row[2], "step of row " + i);
      assertEquals(30 * i * 0.01, (Double) row[3], 1e-12, "time of row " + i);
      assertEquals(rows.get(0)[0], row[0], "m is the sample's, on every row");
      assertEquals(rows.get(0)[1], row[1], "k is the sample's, on every row");
      assertEquals(mean((float[]) row[6]), (Double) row[4], 1e-6, "u_mean of row " + i);
      assertEquals(mean((float[]) row[7]), (Double) row[5], 1e-6, "v_mean of row " + i);
    }
    double m = (Double) rows.get(0)[0];
    double k = (Double) rows.get(0)[1];
    assertTrue(m >= 0.45 && m < 0.55, "m from the prior: " + m);
    assertTrue(k >= 0.05 && k < 0.15, "k from the prior: " + k);
    assertEquals(m, (Double) rows.get(0)[4], 1e-12, "the initial u_mean is m (the cosine averages out)");
  }

  private static double mean(float[] x) {
    double sum = 0;
    for (float value : x) {
      sum += value;
    }
    return sum / x.length;
  }

  @Test
  void rowsDependOnTheSeedAlone() {
    PredatorPreySystem system = system(PredatorPreySettings.defaults());
    List<Object[]> first = rows(system, 11L);
    // Same seed, a fresh simulator and one reused after another seed: the same rows
    assertSameRows(first, rows(system, 11L));
    try (EnsembleSystem.Simulator sim = system.openSimulator()) {
      sim.simulate(12L, row -> { });
      List<Object[]> again = new ArrayList<>();
      sim.simulate(11L, again::add);
      assertSameRows(first, again);
    }
    // A different seed: different parameters and trajectory
    List<Object[]> other = rows(system, 12L);
    assertFalse(first.get(0)[0].equals(other.get(0)[0]));
    assertFalse(Arrays.equals((float[]) first.get(100)[6], (float[]) other.get(100)[6]));
  }

  @Test
  void theOneStepNoiseVarianceIsNoiseSquaredTimesDtScaledByTheDiscretisation() {
    // Given 200 cells started at the uniform equilibrium (m, k) = (0.4, 0): drift and diffusion vanish,
    // so the first step's increments are pure noise
    Map<String, PriorEntry> atEquilibrium = new LinkedHashMap<>();
    atEquilibrium.put("m", new PriorEntry.Fixed(0.4));
    atEquilibrium.put("k", new PriorEntry.Fixed(0.0));
    double noise = 0.02;
    double dt = 0.01;
    double[] variance = new double[2];
    for (Discretisation d : Discretisation.values()) {
      PredatorPreySettings s = new PredatorPreySettings(200, 1, dt, 1, noise, 0.0, 1.0, d, 100);
      PredatorPreySystem system = new PredatorPreySystem(new Prior(atEquilibrium), s);
      // When 300 seeds take one step (120,000 increments)
      double sum = 0;
      double sumSquares = 0;
      long count = 0;
      try (EnsembleSystem.Simulator sim = system.openSimulator()) {
        for (long seed = 0; seed < 300; seed++) {
          List<Object[]> rows = new ArrayList<>();
          sim.simulate(seed, rows::add);
          float[] u = (float[]) rows.get(1)[6];
          float[] v = (float[]) rows.get(1)[7];
          for (int j = 0; j < 200; j++) {
            double du = u[j] - 0.4;
            double dv = v[j] - 0.6;
            sum += du + dv;
            sumSquares += du * du + dv * dv;
            count += 2;
          }
        }
      }
      double mean = sum / count;
      variance[d.ordinal()] = sumSquares / count - mean * mean;
      // Then: reference noise^2 dt; consistent noise^2 dt (200 / 100). The estimate's relative
      // standard error is sqrt(2 / 120,000) = 0.4 %; allow 2 %.
      double expected = noise * noise * dt * (d == Discretisation.CONSISTENT ? 2.0 : 1.0);
      assertEquals(expected, variance[d.ordinal()], 0.02 * expected, d + " variance");
      assertEquals(0.0, mean, 5 * Math.sqrt(expected / count), d + " mean");
    }
  }
}
