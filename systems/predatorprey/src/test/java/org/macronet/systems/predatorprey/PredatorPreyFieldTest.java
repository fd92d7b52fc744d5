package org.macronet.systems.predatorprey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.simulation.ensemble.Field;
import org.macronet.simulation.lattice.PatchBoundary;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/**
 * The predator-prey system as the learned-SDE method uses it: resampling onto more cells, one
 * patch advanced alone, and direct runs from fixed parameters.
 */
class PredatorPreyFieldTest {
  private static final PredatorPreySettings NOISELESS = new PredatorPreySettings(20, 30, 0.01, 10, 0.0, 0.3, 1.0,
      Discretisation.REFERENCE, 20);

  private static PredatorPreySystem system(PredatorPreySettings s) {
    return new PredatorPreySystem(new Prior(PredatorPreySystem.defaultPrior()), s);
  }

  private static double[][] randomState(int cells, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[2][cells];
    for (int j = 0; j < cells; j++) {
      x[0][j] = 0.3 + 0.3 * r.nextDouble();
      x[1][j] = 0.4 + 0.3 * r.nextDouble();
    }
    return x;
  }

  @Test
  void aHaloPatchStepIsTheWholeLineStepRestrictedToThePatch() {
    // noise 0: one step of cells [from, to) alone equals the whole line's step there, for inner
    // patches and for those that touch either end (the zero-flux boundary), and leaves the rest
    PredatorPrey model = PredatorPrey.of(NOISELESS);
    for (int[] patch : new int[][] {{0, 5}, {5, 10}, {15, 20}, {0, 20}}) {
      double[][] x = randomState(20, 7);
      double[][] whole = {x[0].clone(), x[1].clone()};
      model.step(whole[0], whole[1], new SampleRandom(1));
      double[][] part = {x[0].clone(), x[1].clone()};
      system(NOISELESS).evolvePatch(part, patch[0], patch[1], PatchBoundary.HALO, 1, new SampleRandom(1));
      for (int s = 0; s < 2; s++) {
        for (int j = 0; j < 20; j++) {
          double expected = j >= patch[0] && j < patch[1] ? whole[s][j] : x[s][j];
          assertEquals(expected, part[s][j], 0.0, "species " + s + ", cell " + j + " of patch " + patch[0]);
        }
      }
    }
  }

  @Test
  void aPeriodicPatchIsARingOfItsOwnByHand() {
    // prey only diffuse here (predators 0, no reaction from them): D_u = 0.3, dt = 0.01, no noise;
    // u = (1, 0, 0, 0) on patch [4, 8): cell 4's neighbours on the ring are cells 7 and 5
    PredatorPreySettings s = new PredatorPreySettings(8, 10, 0.01, 10, 0.0, 0.3, 0.0, Discretisation.REFERENCE, 8);
    double[][] x = new double[2][8];
    x[0][4] = 1;
    x[0][0] = 5; // outside the patch: no effect on a ring
    system(s).evolvePatch(x, 4, 8, PatchBoundary.PERIODIC, 1, new SampleRandom(1));
    // u' = u + dt (u (1 - u - v) + D lap u): cell 4: 1 + 0.01 (0 + 0.3 (-2)); cells 5 and 7: 0.01 * 0.3
    assertEquals(1 + 0.01 * (-0.6), x[0][4], 1e-15);
    assertEquals(0.003, x[0][5], 1e-15);
    assertEquals(0.0, x[0][6], 1e-15);
    assertEquals(0.003, x[0][7], 1e-15);
    assertEquals(5.0, x[0][0], 0.0);
  }

  @Test
  void patchNoiseHasTheModelsVarianceAndComesFromTheSeed() {
    PredatorPreySettings s = new PredatorPreySettings(40, 10, 0.01, 10, 0.02, 0.0, 1.0, Discretisation.REFERENCE, 40);
    PredatorPreySystem sys = system(s);
    double[][] a = randomState(40, 3);
    double[][] b = randomState(40, 3);
    sys.evolvePatch(a, 10, 20, PatchBoundary.HALO, 3, new SampleRandom(42));
    sys.evolvePatch(b, 10, 20, PatchBoundary.HALO, 3, new SampleRandom(42));
    assertArrayEquals(a[0], b[0], 0.0);
    assertArrayEquals(a[1], b[1], 0.0);
    // constant state u = 0.4, v = 0.6 is a fixed point of the reaction (3 v (u - 0.4) = 0, u (1 - u - v) = 0):
    // one step moves each cell by noise sqrt(dt) N(0, 1) alone, sd 0.002
    double sum2 = 0;
    int n = 0;
    for (int rep = 0; rep < 200; rep++) {
      double[][] x = new double[2][40];
      java.util.Arrays.fill(x[0], 0.4);
      java.util.Arrays.fill(x[1], 0.6);
      sys.evolvePatch(x, 0, 40, PatchBoundary.HALO, 1, new SampleRandom(rep));
      for (int j = 0; j < 40; j++) {
        sum2 += (x[0][j] - 0.4) * (x[0][j] - 0.4);
        n++;
      }
    }
    assertEquals(0.002, Math.sqrt(sum2 / n), 0.0001);
  }

  @Test
  void resamplingInterpolatesBetweenCellCentresByHand() {
    // centres 0.25, 0.75 -> 0.125, 0.375, 0.625, 0.875: the ends keep the edge value
    assertArrayEquals(new double[] {0, 0.25, 0.75, 1}, PredatorPreySystem.interpolate(new double[] {0, 1}, 4), 1e-15);
    double[] x = {0.3, 0.1, 0.7, 0.2};
    assertArrayEquals(x, PredatorPreySystem.interpolate(x, 4), 1e-15);
    // a linear profile stays linear between the outermost centres
    double[] line = new double[10];
    for (int j = 0; j < 10; j++) {
      line[j] = 2 + (j + 0.5) / 10;
    }
    double[] fine = PredatorPreySystem.interpolate(line, 20);
    for (int j = 1; j < 19; j++) {
      assertEquals(2 + (j + 0.5) / 20, fine[j], 1e-12, "cell " + j);
    }
    double[][] state = system(NOISELESS).resample(new double[][] {{0, 1}, {1, 0}}, 4);
    assertArrayEquals(new double[] {1, 0.75, 0.25, 0}, state[1], 1e-15);
    assertArrayEquals(new double[] {0.5, 0.5}, system(NOISELESS).observe(state), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> PredatorPreySystem.interpolate(x, 0));
  }

  @Test
  void directRunsStartFromTheFixedParametersOnTheirOwnGrid() {
    PredatorPreySystem sys = system(PredatorPreySettings.defaults());
    Map<String, PriorEntry> fixed = new LinkedHashMap<>();
    fixed.put("m", new PriorEntry.Fixed(0.5));
    fixed.put("k", new PriorEntry.Fixed(0.1));
    List<Object[]> rows = new ArrayList<>();
    try (EnsembleSystem.Simulator sim = sys.openSimulator(200, 60, 20, new Prior(fixed))) {
      sim.simulate(9, rows::add);
    }
    assertEquals(4, rows.size());
    List<Field> fields = sys.fields(200);
    assertEquals(200, fields.get(fields.size() - 1).length());
    for (int i = 0; i < 4; i++) {
      assertEquals(0.5, rows.get(i)[0]);
      assertEquals(0.1, rows.get(i)[1]);
      assertEquals(20 * i, rows.get(i)[2]);
      assertEquals(200, ((float[]) rows.get(i)[6]).length);
    }
    // u0 = m + k cos(10 pi x) has mean m over whole wavelengths
    assertEquals(0.5, (double) rows.get(0)[4], 1e-12);
    assertTrue(sys.species().equals(List.of("u", "v")) && sys.indexColumn().equals("step"));
  }
}
