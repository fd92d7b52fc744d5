package org.macronet.training.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class SdeModelTest {

  private static float[] gaussian(SplittableRandom r, int n, double scale) {
    return FlowChecks.gaussian(r, n, scale);
  }

  @Test
  void parameterGradientsMatchCentralDifferencesInEveryMode() {
    int d = 3;
    int n = 6;
    for (SigmaMode mode : SigmaMode.values()) {
      SdeModel model = new SdeModel(d, new int[] {8, 8}, mode);
      SplittableRandom r = new SplittableRandom(mode.ordinal() + 1);
      float[] params = model.initialParameters(r, 0.5, 0.6);
      for (int i = 0; i < params.length; i++) {
        params[i] += (float) (0.05 * r.nextGaussian()); // away from the initial symmetry
      }
      float[] z0 = gaussian(r, n * d, 0.5);
      float[] z1 = gaussian(r, n * d, 0.5);
      float[] dt = new float[n];
      for (int i = 0; i < n; i++) {
        dt[i] = (float) (0.05 + 0.1 * r.nextDouble());
      }
      IncrementLoss inc = new IncrementLoss(d, 4, 1e-4);
      SdeModel.Scratch s = model.newScratch(n);
      float[] grad = new float[params.length];
      model.loss(params, z0, z1, dt, n, inc, s, grad);
      for (int p = 0; p < params.length; p++) {
        double fd = FlowChecks.centralDifference(params, p, () -> model.loss(params, z0, z1, dt, n, inc, s, null));
        FlowChecks.assertClose(fd, grad[p], mode + ": dloss/dparam[" + p + "]");
      }
    }
  }

  /*
   * Increments of a 2-D Ornstein-Uhlenbeck process dz = -A z dt + B dW (one Euler-Maruyama step of
   * dt = 0.01 from uniform z0), and the model fitted to them recovers A z and B B^T.
   */
  @Test
  void fitsAnOrnsteinUhlenbeckProcess() {
    fitOrnsteinUhlenbeck(1, new SigmaMode[] {SigmaMode.CONSTANT, SigmaMode.FULL});
  }

  /**
   * Increments whose noise is K = 16 times the process's variance (as a patch's are) and a fit
   * with lambda = K: the model's sigma is the process's, not the patch's.
   */
  @Test
  void lambdaCorrectsAKFoldVariance() {
    fitOrnsteinUhlenbeck(16, new SigmaMode[] {SigmaMode.CONSTANT});
  }

  private static void fitOrnsteinUhlenbeck(double variance, SigmaMode[] modes) {
    int d = 2;
    double[][] a = {{1.0, 0.4}, {0.0, 0.6}};
    double[][] b = {{0.5, 0.0}, {0.2, 0.3}};
    int n = 8192;
    SplittableRandom r = new SplittableRandom(11);
    float[] z0 = new float[n * d];
    float[] z1 = new float[n * d];
    float[] dt = new float[n];
    for (int i = 0; i < n; i++) {
      double x = 2 * r.nextDouble() - 1;
      double y = 2 * r.nextDouble() - 1;
      double h = 0.01;
      double w0 = r.nextGaussian() * Math.sqrt(variance * h);
      double w1 = r.nextGaussian() * Math.sqrt(variance * h);
      z0[2 * i] = (float) x;
      z0[2 * i + 1] = (float) y;
      z1[2 * i] = (float) (x - (a[0][0] * x + a[0][1] * y) * h + b[0][0] * w0 + b[0][1] * w1);
      z1[2 * i + 1] = (float) (y - (a[1][0] * x + a[1][1] * y) * h + b[1][0] * w0 + b[1][1] * w1);
      dt[i] = (float) h;
    }
    for (SigmaMode mode : modes) {
      SdeModel model = new SdeModel(d, new int[] {32, 32}, mode);
      SdeTrainer trainer = new SdeTrainer(variance, 1e-6, 512, 3000, 3e-3, 5);
      float[] params = trainer.initialParameters(model, 0.3);
      double[] losses = trainer.fit(model, params, z0, z1, dt);
      double first = java.util.Arrays.stream(losses, 0, 50).average().orElseThrow();
      double last = java.util.Arrays.stream(losses, losses.length - 50, losses.length).average().orElseThrow();
      org.junit.jupiter.api.Assertions.assertTrue(last < first, mode + ": the loss falls, " + first + " -> " + last);
      float[] again = trainer.initialParameters(model, 0.3);
      if (mode == SigmaMode.CONSTANT && variance == 1) {
        trainer.fit(model, again, z0, z1, dt);
        org.junit.jupiter.api.Assertions.assertArrayEquals(params, again, "the same seed fits the same parameters");
      }
      // the drift at a few points, and the diffusion's covariance B B^T
      float[] probe = {0.5f, 0.5f, -0.5f, 0.3f, 0.2f, -0.6f};
      float[] f = new float[6];
      SdeModel.Scratch one = model.newScratch(3);
      model.drift(params, probe, 3, one, f);
      // (with K-fold noise the drift is K times harder to pin down from the same increments: only
      // sigma is checked then)
      for (int p = 0; p < (variance == 1 ? 3 : 0); p++) {
        for (int i = 0; i < d; i++) {
          double expected = -(a[i][0] * probe[2 * p] + a[i][1] * probe[2 * p + 1]);
          assertEquals(expected, f[2 * p + i], 0.2, mode + ": drift component " + i + " at probe " + p);
        }
      }
      // B B^T averaged over 200 states where the data lie (a network's value at any one point is
      // noisier than the fit as a whole; the constant mode has one value anyway)
      int m = 200;
      float[] states = new float[m * d];
      SplittableRandom where = new SplittableRandom(3);
      for (int i = 0; i < states.length; i++) {
        states[i] = (float) (2 * where.nextDouble() - 1);
      }
      double[] sigma = new double[m * d * d];
      model.sigma(params, states, m, model.newScratch(m), sigma);
      for (int i = 0; i < d; i++) {
        for (int j = 0; j < d; j++) {
          double learned = 0;
          double expected = 0;
          for (int k = 0; k < d; k++) {
            for (int p = 0; p < m; p++) {
              learned += sigma[p * 4 + i * d + k] * sigma[p * 4 + j * d + k] / m;
            }
            expected += b[i][k] * b[j][k];
          }
          assertEquals(expected, learned, 0.1 * 0.25 + 0.02, mode + ": (sigma sigma^T)[" + i + "][" + j + "]");
        }
      }
    }
  }

  @Test
  void rolloutsOfConstantDiffusionSpreadAsBrownianMotion() {
    // no drift (last layer zero), sigma = B: after time T the paths' covariance is B B^T T
    SdeModel model = new SdeModel(2, new int[] {8}, SigmaMode.CONSTANT);
    float[] params = model.initialParameters(new SplittableRandom(1), 0.0, 0.0);
    int sigmaAt = params.length - 4;
    float[] b = {0.5f, 0.0f, 0.2f, 0.3f};
    System.arraycopy(b, 0, params, sigmaAt, 4);
    int paths = 4000;
    double[][] starts = new double[paths][];
    for (int p = 0; p < paths; p++) {
      starts[p] = new double[] {0.3, -0.2};
    }
    double[][][] z = model.rollout(params, starts, 0.01, 200, 50,
        p -> new org.macronet.common.random.SampleRandom(org.macronet.common.random.SampleSeeds.sampleSeed(9, p)));
    assertEquals(5, z[0].length);
    assertEquals(0.3, z[0][0][0]);
    double t = 2.0;
    double[] mean = new double[2];
    for (double[][] path : z) {
      mean[0] += path[4][0] / paths;
      mean[1] += path[4][1] / paths;
    }
    assertEquals(0.3, mean[0], 4 * 0.5 * Math.sqrt(t / paths));
    assertEquals(-0.2, mean[1], 4 * Math.sqrt(0.13 * t / paths));
    double[][] cov = new double[2][2];
    for (double[][] path : z) {
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          cov[i][j] += (path[4][i] - mean[i]) * (path[4][j] - mean[j]) / (paths - 1);
        }
      }
    }
    double[][] expected = {{0.25 * t, 0.1 * t}, {0.1 * t, 0.13 * t}};
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(expected[i][j], cov[i][j], 0.06 * t * 0.25 + 0.01, "covariance " + i + ", " + j);
      }
    }
    // a path depends only on its own stream
    double[][][] alone = model.rollout(params, new double[][] {starts[7]}, 0.01, 200, 50,
        p -> new org.macronet.common.random.SampleRandom(org.macronet.common.random.SampleSeeds.sampleSeed(9, 7)));
    assertEquals(z[7][4][1], alone[0][4][1], 1e-12);
  }

  @Test
  void parametersRoundTripThroughSafetensorsByName() throws Exception {
    for (SigmaMode mode : SigmaMode.values()) {
      SdeModel model = new SdeModel(3, new int[] {5, 4}, mode);
      float[] params = model.initialParameters(new SplittableRandom(8), 0.5, 0.2);
      byte[] bytes = org.macronet.training.io.SafeTensors.toBytes(model.tensors(params), java.util.Map.of());
      org.macronet.training.io.SafeTensorsFile file = org.macronet.training.io.SafeTensors.fromBytes(bytes);
      java.util.Map<String, Object> arch = model.describe();
      SdeModel again = SdeModel.fromDescription((int) arch.get("dimension"), (int[]) arch.get("hidden"),
          (String) arch.get("sigma"));
      org.junit.jupiter.api.Assertions.assertArrayEquals(params, again.parameters(file), mode.toString());
      if (mode == SigmaMode.FULL) {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("drift.0.weight", "drift.0.bias",
            "drift.1.weight", "drift.1.bias", "drift.2.weight", "drift.2.bias", "sigma.0.weight", "sigma.0.bias",
            "sigma.1.weight", "sigma.1.bias", "sigma.2.weight", "sigma.2.bias"), file.names());
      }
      // a model of another shape is refused, naming the tensor
      SdeModel wider = new SdeModel(3, new int[] {6, 4}, mode);
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> wider.parameters(file));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("drift.0.weight"), e.getMessage());
    }
  }
}
