package org.macronet.systems.curieweiss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.PartialEvolution;
import org.macronet.simulation.lattice.PatchBoundary;
import org.macronet.simulation.lattice.SpinLattice;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;

/** Partial evolution of a mean-field system: the halo is the whole lattice's mean field. */
class CurieWeissPatchTest {
  static final CurieWeissSystem CW = new CurieWeissSystem(new Prior(CurieWeissSystem.defaultPrior()),
      new SpinRunSettings(CurieWeissSystem.PREFIX, 32, 10, 1));

  @Test
  void inTheHaloAPatchFeelsTheWholeLatticesMeanField() {
    // the lattice all up but for one down patch, at T = 0.8 (ordered), h = 0
    double halo = 0;
    double periodic = 0;
    int n = 100;
    for (long seed = 0; seed < n; seed++) {
      byte[] x = new byte[32 * 32];
      Arrays.fill(x, (byte) 1);
      SampleRandom rng = new SampleRandom(seed);
      int index = new SampleRandom(seed).nextInt(16); // the patch the evolution will pick
      int px = (index % 4) * 8;
      int py = (index / 4) * 8;
      for (int y = py; y < py + 8; y++) {
        Arrays.fill(x, y * 32 + px, y * 32 + px + 8, (byte) -1);
      }
      PartialEvolution.Pair h = new PartialEvolution(CW, 32, 8, PatchBoundary.HALO, 256).evolve(x, 0.8, 0.0, rng);
      PartialEvolution.Pair p = new PartialEvolution(CW, 32, 8, PatchBoundary.PERIODIC, 256)
          .evolve(x, 0.8, 0.0, new SampleRandom(seed));
      assertEquals(-1.0, h.patch0()[0], 0.0);
      assertEquals(1, h.z0().length, "Curie-Weiss observes m only");
      halo += h.patch1()[0];
      periodic += p.patch1()[0];
      assertEquals(SpinLattice.magnetisation(h.x1()) - h.z0()[0], (h.z1()[0] - h.z0()[0]) / 16, 1e-12);
    }
    assertTrue(halo / n > 0.5, "a down patch in an up mean field turns up: " + halo / n);
    assertTrue(periodic / n < -0.5, "an isolated ordered down patch stays down: " + periodic / n);
  }
}
