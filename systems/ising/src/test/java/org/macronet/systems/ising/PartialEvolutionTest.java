package org.macronet.systems.ising;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.simulation.lattice.PartialEvolution;
import org.macronet.simulation.lattice.PatchBoundary;
import org.macronet.simulation.lattice.SpinLattice;
import org.macronet.simulation.lattice.SpinRunSettings;
import org.macronet.simulation.prior.Prior;

class PartialEvolutionTest {
  static final IsingSystem ISING = new IsingSystem(new Prior(IsingSystem.defaultPrior()),
      new SpinRunSettings(IsingSystem.PREFIX, 32, 10, 1));

  private static byte[] state(int side, long seed) {
    return SpinLattice.withMagnetisation(side * side, 0.1, new SampleRandom(seed));
  }

  @Test
  void onlyTheChosenPatchChanges() {
    for (PatchBoundary b : PatchBoundary.values()) {
      PartialEvolution pe = new PartialEvolution(ISING, 32, 8, b, 64);
      assertEquals(16, pe.patches());
      Set<Integer> chosen = new HashSet<>();
      for (long seed = 0; seed < 60; seed++) {
        byte[] x0 = state(32, seed);
        byte[] copy = x0.clone();
        PartialEvolution.Pair pair = pe.evolve(x0, 2.5, 0.1, new SampleRandom(1000 + seed));
        assertArrayEquals(copy, x0, "x0 itself is not changed");
        chosen.add(pair.patchIndex());
        int px = (pair.patchIndex() % 4) * 8;
        int py = (pair.patchIndex() / 4) * 8;
        boolean changed = false;
        for (int i = 0; i < x0.length; i++) {
          int x = i % 32;
          int y = i / 32;
          boolean inside = x >= px && x < px + 8 && y >= py && y < py + 8;
          if (!inside) {
            assertEquals(x0[i], pair.x1()[i], b + ": site (" + x + ", " + y + ") outside patch " + pair.patchIndex());
          } else {
            assertEquals(pair.before()[(y - py) * 8 + x - px], x0[i]);
            assertEquals(pair.after()[(y - py) * 8 + x - px], pair.x1()[i]);
            changed |= x0[i] != pair.x1()[i];
          }
        }
        assertTrue(changed, b + ": 64 events at T = 2.5 leave the patch unchanged");
      }
      assertTrue(chosen.size() >= 14, "patches are chosen all over the lattice: " + chosen);
    }
  }

  @Test
  void dtIsTheSummedWaitingTimesOfThePatchsEvents() {
    byte[] x0 = state(32, 4);
    PartialEvolution.Pair pair = new PartialEvolution(ISING, 32, 8, PatchBoundary.PERIODIC, 64)
        .evolve(x0, 2.5, 0.1, new SampleRandom(77));
    // the same draws by hand: the patch index, then 64 events on the patch as its own torus
    SampleRandom rng = new SampleRandom(77);
    int index = rng.nextInt(16);
    assertEquals(index, pair.patchIndex());
    byte[] patch = pair.before().clone();
    NFoldWay kmc = new NFoldWay(patch, SpinLattice.torus(8, 8), null, new GlauberRates(2.5, 0.1), rng);
    double sum = 0;
    for (int k = 0; k < 64; k++) {
      sum += kmc.step();
    }
    assertEquals(sum, pair.dt(), 0.0);
    assertArrayEquals(patch, pair.after());
  }

  @Test
  void aFixedTimeRunsTheEventsThatFallWithinIt() {
    byte[] x0 = state(32, 5);
    double time = 0.37;
    PartialEvolution.Pair pair = new PartialEvolution(ISING, 32, 8, PatchBoundary.PERIODIC, 64, time)
        .evolve(x0, 2.5, 0.1, new SampleRandom(78));
    assertEquals(time, pair.dt(), 0.0, "dt is the fixed time, not the events' summed waiting times");
    // by hand: the patch index, then events while their summed waiting time stays within the time
    SampleRandom rng = new SampleRandom(78);
    assertEquals(rng.nextInt(16), pair.patchIndex());
    byte[] patch = pair.before().clone();
    NFoldWay kmc = new NFoldWay(patch, SpinLattice.torus(8, 8), null, new GlauberRates(2.5, 0.1), rng);
    long events = kmc.runFor(time);
    assertTrue(events > 5 && events < 64, "0.37 of time on 64 sites at T = 2.5 is some tens of events: " + events);
    assertArrayEquals(patch, pair.after());
    // halo patches too; and the events-based constructor is unchanged by the new one
    PartialEvolution.Pair halo = new PartialEvolution(ISING, 32, 8, PatchBoundary.HALO, 64, time)
        .evolve(x0, 2.5, 0.1, new SampleRandom(78));
    assertEquals(time, halo.dt(), 0.0);
    PartialEvolution.Pair byEvents = new PartialEvolution(ISING, 32, 8, PatchBoundary.PERIODIC, 64, 0)
        .evolve(x0, 2.5, 0.1, new SampleRandom(78));
    PartialEvolution.Pair reference = new PartialEvolution(ISING, 32, 8, PatchBoundary.PERIODIC, 64)
        .evolve(x0, 2.5, 0.1, new SampleRandom(78));
    assertEquals(reference.dt(), byEvents.dt(), 0.0);
    assertArrayEquals(reference.after(), byEvents.after());
  }

  @Test
  void theIncrementIsThePatchsOwnChangeNotDividedByK() {
    for (PatchBoundary b : PatchBoundary.values()) {
      PartialEvolution pe = new PartialEvolution(ISING, 32, 8, b, 64);
      for (long seed = 0; seed < 20; seed++) {
        byte[] x0 = state(32, seed);
        PartialEvolution.Pair pair = pe.evolve(x0, 2.5, 0.1, new SampleRandom(seed));
        assertArrayEquals(new double[] {SpinLattice.magnetisation(x0), SpinLattice.brokenBondFraction(x0, 32)},
            pair.z0(), 0.0);
        assertArrayEquals(new double[] {SpinLattice.magnetisation(pair.before()),
            SpinLattice.brokenBondFraction(pair.before(), 8)}, pair.patch0(), 0.0);
        assertArrayEquals(new double[] {SpinLattice.magnetisation(pair.after()),
            SpinLattice.brokenBondFraction(pair.after(), 8)}, pair.patch1(), 0.0);
        // m: the patch's own change, which is K times the whole lattice's
        double wholeDm = SpinLattice.magnetisation(pair.x1()) - pair.z0()[0];
        assertEquals(pair.patch1()[0] - pair.patch0()[0], pair.z1()[0] - pair.z0()[0], 1e-15, b + ": m");
        assertEquals(16 * wholeDm, pair.z1()[0] - pair.z0()[0], 1e-12, b + ": m");
        double rhoChange = pair.z1()[1] - pair.z0()[1];
        if (b == PatchBoundary.PERIODIC) {
          assertEquals(pair.patch1()[1] - pair.patch0()[1], rhoChange, 1e-15, "periodic: the torus patch's rho");
        } else {
          double wholeDrho = SpinLattice.brokenBondFraction(pair.x1(), 32) - pair.z0()[1];
          assertEquals(16 * wholeDrho, rhoChange, 1e-12, "halo: K times the lattice's change, edge bonds included");
        }
      }
    }
  }

  @Test
  void theBoundaryModesDifferInWhatThePatchFeels() {
    // at T = 1.5 every 8 x 8 patch is down and its neighbouring patches up: inside the halo the
    // patch is invaded from its edges; as an isolated torus it stays down
    byte[] x = new byte[32 * 32];
    for (int y = 0; y < 32; y++) {
      for (int xx = 0; xx < 32; xx++) {
        x[y * 32 + xx] = (byte) ((xx / 8 + y / 8) % 2 == 0 ? -1 : 1);
      }
    }
    double halo = 0;
    double periodic = 0;
    int n = 200;
    for (long seed = 0; seed < n; seed++) {
      PartialEvolution.Pair h = new PartialEvolution(ISING, 32, 8, PatchBoundary.HALO, 256)
          .evolve(x, 1.5, 0.0, new SampleRandom(seed));
      PartialEvolution.Pair p = new PartialEvolution(ISING, 32, 8, PatchBoundary.PERIODIC, 256)
          .evolve(x, 1.5, 0.0, new SampleRandom(seed));
      double sign = -h.patch0()[0]; // towards the neighbours' spin
      halo += sign * (h.patch1()[0] - h.patch0()[0]);
      periodic += sign * (p.patch1()[0] - p.patch0()[0]);
    }
    System.out.println("halo " + halo / n + " periodic " + periodic / n);
    assertTrue(halo / n > 0.1, "inside the halo the patch turns towards its neighbours: " + halo / n);
    assertTrue(periodic / n < 0.05, "an isolated ordered torus keeps its sign: " + periodic / n);
  }
}
