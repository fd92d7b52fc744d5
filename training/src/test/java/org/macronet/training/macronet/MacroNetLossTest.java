package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowChecks;
import org.macronet.training.flow.Standardization;
import org.macronet.training.flow.image.ImageAugmentation;
import org.macronet.training.flow.image.ImageShape;
import org.macronet.training.nn.Activation;

class MacroNetLossTest {

  @Test
  void lossOfIdentityFlowsIsComputedByHand() {
    // Given flows that are the identity (standardisation with mean 0, std 1) and d = 1,
    Flow fu = new Flow(List.of(new Standardization(new float[] {0, 0}, new float[] {1, 1})));
    Flow fv = new Flow(List.of(new Standardization(new float[] {0, 0, 0}, new float[] {1, 1, 1})));
    MacroNet net = new MacroNet(fu, fv, false, 1);
    MacroNetLoss loss = new MacroNetLoss(net, 2.0, 0.0, new float[2], new float[3]);
    PairData data = new PairData(new float[] {1, 2}, 2, new float[] {3, 5, 1}, 3, new long[] {7});
    // when the loss of the one pair is evaluated,
    LossAggregator agg = new LossAggregator(0);
    loss.newEvaluator(4).accumulate(new float[0], data, new int[] {0}, 0, 1, false, 0, agg);
    // then L_P = (1 - 3)^2 = 4, NLL_u = 0.5 * 5 = 2.5, NLL_v = 0.5 * 35 = 17.5 and
    // L = 4 + 2 * (2.5 / 2 + 17.5 / 3).
    LossAggregator.LossTerms t = agg.meanTerms();
    assertEquals(4.0, t.predictive(), 1e-9);
    assertEquals(2.5, t.nllU(), 1e-9);
    assertEquals(17.5, t.nllV(), 1e-9);
    assertEquals(4 + 2 * (2.5 / 2 + 17.5 / 3), t.loss(), 1e-6);
  }

  @Test
  void gradientOfSeparateFlowsMatchesCentralDifferences() {
    checkGradient(false, 3, 5, 2);
  }

  @Test
  void gradientOfSharedFlowMatchesCentralDifferences() {
    checkGradient(true, 2, 2, 1);
  }

  private static void checkGradient(boolean shared, int nu, int nv, int d) {
    MacroNetSpec spec = new MacroNetSpec(nu, nv, d, shared, 2, new int[] {6}, Activation.TANH, 2.0, true, 1.0, 3);
    SplittableRandom r = new SplittableRandom(4);
    int n = 5;
    float[] u = gaussian(r, n * nu);
    float[] v = gaussian(r, n * nv);
    MacroNet net = spec.build(Standardization.fit(u, n, nu), shared ? null : Standardization.fit(v, n, nv));
    float[] params = new float[net.parameterCount()];
    net.flowU().initialise(params, net.baseU(), new SplittableRandom(5));
    if (!shared) {
      net.flowV().initialise(params, net.baseV(), new SplittableRandom(6));
    }
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.2 * r.nextGaussian());
    }
    MacroNetLoss loss = new MacroNetLoss(net, 0.7, 0.0, new float[nu], new float[nv]);
    PairData data = new PairData(u, nu, v, nv, new long[] {0, 1, 2, 3, 4});
    int[] rows = {0, 1, 2, 3, 4};
    LossAggregator agg = new LossAggregator(params.length);
    loss.newEvaluator(n).accumulate(params, data, rows, 0, n, false, 0, agg);
    // evaluation (forward pass only) gives the same loss terms, bit for bit, in chunks of any size
    for (int chunk : new int[] {n, 2}) {
      LossAggregator losses = new LossAggregator(0);
      loss.newEvaluator(chunk).evaluate(params, data, rows, 0, n, losses);
      LossAggregator chunked = new LossAggregator(params.length);
      loss.newEvaluator(chunk).accumulate(params, data, rows, 0, n, false, 0, chunked);
      assertEquals(chunked.meanTerms(), losses.meanTerms());
      assertEquals(chunked.weightSum(), losses.weightSum());
    }
    assertThrows(IllegalArgumentException.class,
        () -> loss.newEvaluator(n).evaluate(params, data, rows, 0, n, new LossAggregator(params.length)));
    double[] grad = agg.gradientSum();
    for (int p = 0; p < params.length; p++) {
      FlowChecks.assertClose(FlowChecks.centralDifference(params, p, () -> lossSum(loss, params, data, rows)), grad[p],
          "dL/dparam[" + p + "]");
    }
  }

  private static double lossSum(MacroNetLoss loss, float[] params, PairData data, int[] rows) {
    LossAggregator agg = new LossAggregator(params.length);
    loss.newEvaluator(rows.length).accumulate(params, data, rows, 0, rows.length, false, 0, agg);
    return agg.lossSum();
  }

  @Test
  void finalEvaluationTakesEveryRowUpToItsLimitAndEvenlySpacedRowsBeyond() {
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, MacroNetTrainer.evaluationRows(5, 20_000));
    assertArrayEquals(new int[] {0, 2, 5, 7}, MacroNetTrainer.evaluationRows(10, 4));
    assertEquals(20_000, MacroNetTrainer.evaluationRows(900_000, 20_000).length);
    assertEquals(899_955, MacroNetTrainer.evaluationRows(900_000, 20_000)[19_999]);
    assertThrows(IllegalArgumentException.class, () -> MacroNetTrainer.evaluationRows(10, 0));
  }

  @Test
  void mergingWithAnEmptyAggregatorChangesNothing() {
    LossAggregator a = new LossAggregator(3).add(2, 5, 1, 2, 3, new float[] {1, -2, 0.5f});
    a.merge(new LossAggregator(3));
    assertEquals(2, a.weightSum());
    assertEquals(5, a.lossSum());
    assertEquals(0.5, a.meanGradient()[0]);
    assertEquals(-1, a.meanGradient()[1]);
  }

  @Test
  void anAugmentedTrainingRowIsTheRowTransformedByItsOwnDrawAndEvaluationSeesTheRowAsItIs() {
    // Given v a 2 x 4 x 4 image and a loss that augments it by the lattice, with training noise,
    ImageShape shape = new ImageShape(2, 4, 4);
    int nu = 3;
    int nv = shape.dim();
    int n = 6;
    SplittableRandom r = new SplittableRandom(11);
    float[] u = gaussian(r, n * nu);
    float[] v = gaussian(r, n * nv);
    MacroNetSpec spec = new MacroNetSpec(nu, nv, 2, false, 2, new int[] {8}, Activation.TANH, 2.0, true, 1.0, 3);
    MacroNet net = spec.build(Standardization.fit(u, n, nu), Standardization.fit(v, n, nv));
    float[] params = new float[net.parameterCount()];
    net.flowU().initialise(params, net.baseU(), new SplittableRandom(5));
    net.flowV().initialise(params, net.baseV(), new SplittableRandom(6));
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.2 * r.nextGaussian());
    }
    float[] scaleU = {0.5f, 1, 2};
    float[] scaleV = new float[nv];
    java.util.Arrays.fill(scaleV, 0.7f);
    ImageAugmentation lattice = new ImageAugmentation(shape, ImageAugmentation.Group.LATTICE);
    MacroNetLoss augmented = new MacroNetLoss(net, 0.7, 0.05, scaleU, scaleV, lattice);
    MacroNetLoss plain = new MacroNetLoss(net, 0.7, 0.05, scaleU, scaleV);
    long noiseSeed = 1234;
    long[] ids = {0, 1, 2, 3, 4, 5};
    PairData data = new PairData(u, nu, v, nv, ids);
    int[] rows = {4, 1, 5, 1, 0};
    // and the same rows with each v transformed beforehand by the draw keyed by (noise seed, row),
    float[] moved = v.clone();
    for (int row = 0; row < n; row++) {
      lattice.apply(v, row * nv, moved, row * nv, MacroNetLoss.augmentRandom(noiseSeed, row));
    }
    PairData transformed = new PairData(u, nu, moved, nv, ids);
    // when both are trained on (the same noise is added after the transformation),
    LossAggregator a = new LossAggregator(params.length);
    augmented.newEvaluator(2).accumulate(params, data, rows, 0, rows.length, true, noiseSeed, a);
    LossAggregator b = new LossAggregator(params.length);
    plain.newEvaluator(2).accumulate(params, transformed, rows, 0, rows.length, true, noiseSeed, b);
    // then the sums are the same bits,
    assertEquals(b.meanTerms(), a.meanTerms());
    assertArrayEquals(b.gradientSum(), a.gradientSum());
    // and differ from the rows untransformed,
    LossAggregator c = new LossAggregator(params.length);
    plain.newEvaluator(2).accumulate(params, data, rows, 0, rows.length, true, noiseSeed, c);
    assertNotEquals(c.lossSum(), a.lossSum());
    // while without training randomness (held-out evaluation) the augmented loss sees the rows as they are
    LossAggregator heldA = new LossAggregator(0);
    augmented.newEvaluator(2).evaluate(params, data, rows, 0, rows.length, heldA);
    LossAggregator heldC = new LossAggregator(0);
    plain.newEvaluator(2).evaluate(params, data, rows, 0, rows.length, heldC);
    assertEquals(heldC.meanTerms(), heldA.meanTerms());
    // and the gradient of the augmented training loss is that of the loss it sums
    LossAggregator noNoise = new LossAggregator(params.length);
    MacroNetLoss quiet = new MacroNetLoss(net, 0.7, 0.0, scaleU, scaleV, lattice);
    quiet.newEvaluator(5).accumulate(params, data, rows, 0, rows.length, true, noiseSeed, noNoise);
    double[] grad = noNoise.gradientSum();
    for (int p = 0; p < params.length; p += 7) {
      FlowChecks.assertClose(FlowChecks.centralDifference(params, p, () -> {
        LossAggregator s = new LossAggregator(params.length);
        quiet.newEvaluator(5).accumulate(params, data, rows, 0, rows.length, true, noiseSeed, s);
        return s.lossSum();
      }), grad[p], "dL/dparam[" + p + "]");
    }
    assertThrows(IllegalArgumentException.class, () -> new MacroNetLoss(net, 0.7, 0.0, scaleU, scaleV,
        new ImageAugmentation(new ImageShape(1, 4, 4), ImageAugmentation.Group.TRANSLATIONS)));
  }

  static float[] gaussian(SplittableRandom r, int count) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }
}
