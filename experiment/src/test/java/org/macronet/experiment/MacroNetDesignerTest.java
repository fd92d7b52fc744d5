package org.macronet.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.Standardization;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainedMacroNet;
import org.macronet.training.nn.Activation;

class MacroNetDesignerTest {
  private static final MacroNetSpec SPEC =
      new MacroNetSpec(3, 4, 2, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 0.5, 3);

  /** A network with random weights and standardisations that are not the identity. */
  private static TrainedMacroNet model() {
    MacroNet net = SPEC.build(new Standardization(new float[] {0.1f, -0.2f, 0.3f}, new float[] {1.5f, 0.5f, 2f}),
        new Standardization(new float[] {0, 1, 0, -1}, new float[] {1, 2, 3, 0.5f}));
    float[] params = new float[net.parameterCount()];
    SplittableRandom random = new SplittableRandom(11);
    net.flowU().initialise(params, net.baseU(), random);
    net.flowV().initialise(params, net.baseV(), random);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.1 * random.nextGaussian());
    }
    return TrainedMacroNet.of(SPEC, net, params);
  }

  @Test
  void everyDesignSharesTheTargetsMacrostate() {
    TrainedMacroNet model = model();
    Target target = new Target(5, 42L, "", null, new float[] {0.3f, -1.2f, 0.7f, 2.0f}, new double[0]);
    MacroNetDesigner.Designs d = new MacroNetDesigner(model, 9, 1.0, 16).design(target, true);
    MacroNet net = model.build();
    assertArrayEquals(net.macrostatesV(model.params(), target.v(), 1), d.alpha(), 0);
    // the inverse round trip: m_u(f_u^-1([alpha, eps])) = alpha, and likewise for v
    float[] mu = net.macrostatesU(model.params(), d.u(), 16);
    float[] mv = net.macrostatesV(model.params(), d.v(), 16);
    for (int s = 0; s < 16; s++) {
      for (int k = 0; k < 2; k++) {
        assertEquals(d.alpha()[k], mu[2 * s + k], 1e-4, "design " + s);
        assertEquals(d.alpha()[k], mv[2 * s + k], 1e-4, "design " + s);
      }
    }
    // the free latents differ between designs, so the designs do
    assertFalse(Arrays.equals(Arrays.copyOfRange(d.u(), 0, 3), Arrays.copyOfRange(d.u(), 3, 6)));
  }

  @Test
  void designsDependOnlyOnSeedTargetAndDesign() {
    Target target = new Target(3, null, "", null, new float[] {1, 0, 0, 1}, new double[0]);
    MacroNetDesigner.Designs a = new MacroNetDesigner(model(), 9, 0.5, 8).design(target, false);
    MacroNetDesigner.Designs b = new MacroNetDesigner(model(), 9, 0.5, 8).design(target, false);
    assertArrayEquals(a.u(), b.u(), 0);
    assertNull(a.v());
    // fewer designs: the same first ones
    MacroNetDesigner.Designs c = new MacroNetDesigner(model(), 9, 0.5, 3).design(target, false);
    assertArrayEquals(Arrays.copyOf(a.u(), 9), c.u(), 0);
    MacroNetDesigner.Designs other = new MacroNetDesigner(model(), 9, 0.5, 8).design(target.numbered(4, ""), false);
    assertFalse(Arrays.equals(a.u(), other.u()));
    // T = 0: every design is the same point
    MacroNetDesigner.Designs cold = new MacroNetDesigner(model(), 9, 0, 4).design(target, false);
    assertArrayEquals(Arrays.copyOfRange(cold.u(), 0, 3), Arrays.copyOfRange(cold.u(), 9, 12), 0);
  }

  @Test
  void quantileRanksSpanTheOrderedCandidates() {
    TargetChoice q = TargetChoice.quantiles(3, t -> new TargetChoice.Candidate("", 0));
    assertEquals(24, q.quantileRank(0, 100));
    assertEquals(49, q.quantileRank(1, 100));
    assertEquals(74, q.quantileRank(2, 100));
    assertEquals(0, q.quantileRank(2, 1));
  }
}
