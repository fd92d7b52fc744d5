package org.macronet.training.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.nn.Activation;

class FlowBlocksTest {
  private static final int N = 6;

  private static float[] initialised(Flow flow, long seed) {
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(seed));
    return params;
  }

  /** Perturbs every parameter so that no block sits at its (near-identity) initial point. */
  private static void jitter(float[] params, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (r.nextGaussian() * scale);
    }
  }

  private static void checkAll(Flow flow, float[] params, long seed) {
    float[] x = FlowChecks.gaussian(new SplittableRandom(seed), N * flow.dim(), 1.0);
    FlowChecks.assertInverse(flow, params, x, N);
    FlowChecks.assertLogdet(flow, params, x, N);
    FlowChecks.assertGradients(flow, params, x, N, seed + 1);
  }

  @Test
  void affineCouplingWithTanhSubnetOddWidth() {
    Flow flow = new Flow(List.of(new AffineCoupling(5, new int[] {7, 6}, Activation.TANH, 2.0, 1.0)));
    float[] params = initialised(flow, 1);
    jitter(params, 2, 0.3);
    checkAll(flow, params, 3);
  }

  @Test
  void affineCouplingWithReluSubnet() {
    Flow flow = new Flow(List.of(new AffineCoupling(4, new int[] {8}, Activation.RELU, 1.5, 1.0)));
    float[] params = initialised(flow, 4);
    jitter(params, 5, 0.3);
    checkAll(flow, params, 6);
  }

  @Test
  void softClampBoundsTheLogScale() {
    // A huge last layer drives s_raw far beyond c; the log-det per coupling stays within d2 * c.
    AffineCoupling coupling = new AffineCoupling(2, new int[] {4}, Activation.TANH, 0.5, 1.0);
    Flow flow = new Flow(List.of(coupling));
    float[] params = initialised(flow, 7);
    for (int i = 0; i < params.length; i++) {
      params[i] *= 100;
    }
    double[] logdet = new double[N];
    flow.transform(params, 0, FlowChecks.gaussian(new SplittableRandom(8), 2 * N, 3.0), N, logdet);
    for (double ld : logdet) {
      assertTrue(Math.abs(ld) <= 0.5 + 1e-6, "log-det " + ld + " beyond the clamp 0.5");
    }
  }

  @Test
  void actNormGradientsAndDataInitialisation() {
    Flow flow = new Flow(List.of(new ActNorm(3)));
    float[] params = initialised(flow, 9);
    float[] x = FlowChecks.gaussian(new SplittableRandom(10), 200 * 3, 1.0);
    for (int i = 0; i < 200; i++) {
      x[i * 3] = x[i * 3] * 5 + 7; // column 0: mean 7, std 5
    }
    flow.initialiseFromData(params, 0, x, 200);
    float[] z = flow.transform(params, 0, x, 200, null);
    for (int j = 0; j < 3; j++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < 200; i++) {
        s += z[i * 3 + j];
        ss += z[i * 3 + j] * z[i * 3 + j];
      }
      assertEquals(0, s / 200, 1e-4, "column " + j + " mean after data init");
      assertEquals(1, ss / 200, 1e-3, "column " + j + " variance after data init");
    }
    jitter(params, 11, 0.2);
    checkAll(flow, params, 12);
  }

  @Test
  void permutationIsExactAndVolumePreserving() {
    Permutation p = new Permutation(new int[] {2, 0, 1});
    Flow flow = new Flow(List.of(p));
    float[] x = {1, 2, 3, 4, 5, 6};
    double[] logdet = new double[2];
    float[] y = flow.transform(new float[0], 0, x, 2, logdet);
    assertArrayEquals(new float[] {3, 1, 2, 6, 4, 5}, y);
    assertArrayEquals(new double[] {0, 0}, logdet);
    checkAll(flow, new float[0], 13);
    assertThrows(IllegalArgumentException.class, () -> new Permutation(new int[] {0, 0, 1}));
  }

  @Test
  void randomPermutationIsNeverTheIdentity() {
    SplittableRandom r = new SplittableRandom(14);
    for (int t = 0; t < 50; t++) {
      int[] p = Permutation.random(2, r).permutation();
      assertArrayEquals(new int[] {1, 0}, p);
    }
  }

  @Test
  void standardizationUsesTrainingStatistics() {
    float[] x = {1, 10, 3, 30, 5, 50};
    Standardization s = Standardization.fit(x, 3, 2);
    assertArrayEquals(new float[] {3, 30}, s.mean(), 1e-6f);
    assertArrayEquals(new float[] {(float) Math.sqrt(8.0 / 3), (float) Math.sqrt(800.0 / 3)}, s.std(), 1e-4f);
    Flow flow = new Flow(List.of(s));
    double[] logdet = new double[3];
    float[] z = flow.transform(new float[0], 0, x, 3, logdet);
    assertEquals(-Math.log(Math.sqrt(8.0 / 3)) - Math.log(Math.sqrt(800.0 / 3)), logdet[0], 1e-5);
    assertEquals(0, z[2], 1e-6);
    checkAll(flow, new float[0], 15);
    assertThrows(IllegalArgumentException.class, () -> new Standardization(new float[] {0}, new float[] {0}));
  }

  @Test
  void boxLogitByHandAndAgainstCentralDifferences() {
    // column 0 on (-1, 3), column 1 unbounded, column 2 on (0, 0.5)
    BoxLogit.Bounds box = new BoxLogit.Bounds(new double[] {-1, Double.NEGATIVE_INFINITY, 0},
        new double[] {3, Double.POSITIVE_INFINITY, 0.5});
    Flow flow = new Flow(List.of(new BoxLogit(box)));
    // x = (0, 7, 0.4): p = 0.25 and 0.8, y = log(1/3), 7, log 4;
    // log-det = -log(0.25 0.75 4) - log(0.8 0.2 0.5) = -log(0.75) - log(0.08)
    double[] logdet = new double[1];
    float[] y = flow.transform(new float[0], 0, new float[] {0, 7, 0.4f}, 1, logdet);
    assertEquals(Math.log(1.0 / 3), y[0], 1e-6);
    assertEquals(7, y[1]);
    assertEquals(Math.log(4), y[2], 1e-5);
    assertEquals(-Math.log(0.75) - Math.log(0.08), logdet[0], 1e-5);
    // inside the box: inverse round trips, log-det and gradients against central differences
    SplittableRandom r = new SplittableRandom(21);
    float[] x = new float[N * 3];
    for (int i = 0; i < N; i++) {
      x[3 * i] = (float) (-1 + 4 * (0.1 + 0.8 * r.nextDouble()));
      x[3 * i + 1] = (float) (3 * r.nextGaussian());
      x[3 * i + 2] = (float) (0.5 * (0.1 + 0.8 * r.nextDouble()));
    }
    FlowChecks.assertInverse(flow, new float[0], x, N);
    FlowChecks.assertLogdet(flow, new float[0], x, N);
    FlowChecks.assertGradients(flow, new float[0], x, N, 22);
    // every latent point, however far out, maps back inside the box (the edges reached only in float rounding)
    float[] back = flow.inverse(new float[0], 0, new float[] {-80, 1e6f, 80}, 1);
    assertTrue(back[0] >= -1 && back[0] < -0.999, "far below: " + back[0]);
    assertEquals(1e6f, back[1]);
    assertTrue(back[2] <= 0.5 && back[2] > 0.499, "far above: " + back[2]);
    // the edge itself has no image
    assertTrue(Float.isInfinite(flow.transform(new float[0], 0, new float[] {-1, 0, 0.25f}, 1, null)[0]));
    assertThrows(IllegalArgumentException.class, () -> new BoxLogit.Bounds(new double[] {1}, new double[] {1}));
    assertThrows(IllegalArgumentException.class,
        () -> new BoxLogit.Bounds(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}));
  }

  @Test
  void aRealNvpOnABoxMapsItsRawBoundsThroughTheStandardisation() {
    RealNvp spec = new RealNvp(2, 2, new int[] {8}, Activation.TANH, 2.0, true, 1.0, 23);
    SplittableRandom r = new SplittableRandom(24);
    float[] data = new float[200 * 2];
    for (int i = 0; i < 200; i++) {
      data[2 * i] = (float) (-2 + 5 * r.nextDouble());
      data[2 * i + 1] = (float) (100 + 20 * r.nextDouble());
    }
    BoxLogit.Bounds box = new BoxLogit.Bounds(new double[] {-2, 100}, new double[] {3, 120});
    Standardization standardization = Standardization.fit(data, 200, 2);
    Flow flow = spec.build(standardization, box);
    float[] params = initialised(flow, 25);
    flow.initialiseFromData(params, 0, data, 200);
    jitter(params, 26, 0.1);
    FlowChecks.assertInverse(flow, params, java.util.Arrays.copyOf(data, N * 2), N);
    FlowChecks.assertGradients(flow, params, java.util.Arrays.copyOf(data, N * 2), N, 27);
    // samples of the flow's inverse stay in the raw box, even from far out in the latent space
    float[] z = FlowChecks.gaussian(new SplittableRandom(28), 500 * 2, 4.0);
    float[] u = flow.inverse(params, 0, z, 500);
    for (int i = 0; i < 500; i++) {
      assertTrue(u[2 * i] >= -2f && u[2 * i] <= 3f, "column 0 of sample " + i + ": " + u[2 * i]);
      assertTrue(u[2 * i + 1] >= 100f && u[2 * i + 1] <= 120f, "column 1 of sample " + i + ": " + u[2 * i + 1]);
    }
  }

  @Test
  void wholeRealNvpFlowWithStandardizationAndActNorm() {
    RealNvp spec = new RealNvp(4, 3, new int[] {8, 8}, Activation.TANH, 2.0, true, 1.0, 16);
    float[] data = FlowChecks.gaussian(new SplittableRandom(17), 100 * 4, 2.0);
    Flow flow = spec.build(Standardization.fit(data, 100, 4));
    float[] params = initialised(flow, 18);
    flow.initialiseFromData(params, 0, data, 100);
    jitter(params, 19, 0.1);
    checkAll(flow, params, 20);
  }

  @Test
  void gradientsAccumulateAcrossBackwardPasses() {
    Flow flow = new RealNvp(3, 2, new int[] {5}, Activation.TANH, 2.0, false, 1.0, 21).build(null);
    float[] params = initialised(flow, 22);
    float[] x = FlowChecks.gaussian(new SplittableRandom(23), 4 * 3, 1.0);
    float[] dz = FlowChecks.gaussian(new SplittableRandom(24), 4 * 3, 1.0);
    float[] dl = FlowChecks.gaussian(new SplittableRandom(25), 4, 1.0);
    Flow.Workspace ws = flow.newWorkspace(4);
    flow.forward(params, 0, x, 4, ws);
    float[] once = new float[params.length];
    flow.backward(params, 0, dz, dl, 4, ws, once, 0, null);
    float[] twice = new float[params.length];
    flow.backward(params, 0, dz, dl, 4, ws, twice, 0, null);
    flow.backward(params, 0, dz, dl, 4, ws, twice, 0, null);
    for (int i = 0; i < once.length; i++) {
      assertEquals(2 * once[i], twice[i], 1e-5 * Math.max(1, Math.abs(once[i])), "param " + i);
    }
  }
}
