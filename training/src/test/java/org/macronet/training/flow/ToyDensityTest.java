package org.macronet.training.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.data.MinibatchSchedule;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.Adam;
import org.macronet.training.optim.LearningRateSchedule;

/**
 * A RealNVP flow learns a 2-d density that no Gaussian fits: on two moons its held-out negative
 * log-likelihood, NLL(x) = 0.5 |f(x)|^2 - log|det df/dx| + log(2 pi), ends clearly below that of
 * the maximum-likelihood Gaussian (mean and covariance of the training data). This exercises
 * forward, backward and Adam together on a problem with a known answer's direction.
 */
class ToyDensityTest {
  private static final double LOG_2PI = Math.log(2 * Math.PI);

  /** Two interleaved half circles (as scikit-learn's make_moons) with Gaussian noise, n x 2. */
  static float[] twoMoons(int n, double noise, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double t = Math.PI * r.nextDouble();
      boolean outer = r.nextBoolean();
      double a = outer ? Math.cos(t) : 1 - Math.cos(t);
      double b = outer ? Math.sin(t) : 0.5 - Math.sin(t);
      x[2 * i] = (float) (a + noise * r.nextGaussian());
      x[2 * i + 1] = (float) (b + noise * r.nextGaussian());
    }
    return x;
  }

  /** Mean NLL on {@code test} of the Gaussian with the sample mean and (MLE) covariance of {@code train}. */
  static double gaussianNll(float[] train, float[] test) {
    int n = train.length / 2;
    double m0 = 0;
    double m1 = 0;
    for (int i = 0; i < n; i++) {
      m0 += train[2 * i];
      m1 += train[2 * i + 1];
    }
    m0 /= n;
    m1 /= n;
    double s00 = 0;
    double s01 = 0;
    double s11 = 0;
    for (int i = 0; i < n; i++) {
      double a = train[2 * i] - m0;
      double b = train[2 * i + 1] - m1;
      s00 += a * a;
      s01 += a * b;
      s11 += b * b;
    }
    s00 /= n;
    s01 /= n;
    s11 /= n;
    double det = s00 * s11 - s01 * s01;
    int k = test.length / 2;
    double sum = 0;
    for (int i = 0; i < k; i++) {
      double a = test[2 * i] - m0;
      double b = test[2 * i + 1] - m1;
      double mahalanobis = (s11 * a * a - 2 * s01 * a * b + s00 * b * b) / det;
      sum += LOG_2PI + 0.5 * Math.log(det) + 0.5 * mahalanobis;
    }
    return sum / k;
  }

  /** Mean NLL of the flow on n rows of x. */
  static double flowNll(Flow flow, float[] params, float[] x, int n) {
    double[] logdet = new double[n];
    float[] z = flow.transform(params, 0, x, n, logdet);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double a = z[2 * i];
      double b = z[2 * i + 1];
      sum += 0.5 * (a * a + b * b) - logdet[i] + LOG_2PI;
    }
    return sum / n;
  }

  @Test
  void realNvpBeatsTheBestGaussianOnTwoMoons() {
    // Given 3,000 training and 1,000 held-out points of two moons,
    int n = 3000;
    int held = 1000;
    float[] train = twoMoons(n, 0.08, 1);
    float[] test = twoMoons(held, 0.08, 2);
    // a RealNVP flow with the standardisation fitted on the training points,
    Standardization st = Standardization.fit(train, n, 2);
    Flow flow = new RealNvp(2, 6, new int[] {32, 32}, Activation.TANH, 2.0, true, 0.01, 3).build(st);
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(4));
    flow.initialiseFromData(params, 0, train, n);
    double before = flowNll(flow, params, test, held);
    // when it is trained with Adam on the mean NLL over minibatches,
    int batch = 256;
    int steps = Integer.getInteger("toy.steps", 1200);
    LearningRateSchedule lr = new LearningRateSchedule(5e-3, LearningRateSchedule.Kind.COSINE, 50, steps, 0.05);
    MinibatchSchedule schedule = new MinibatchSchedule(5, n, batch);
    Adam adam = new Adam(params.length);
    Flow.Workspace ws = flow.newWorkspace(batch);
    float[] x = new float[batch * 2];
    float[] dz = new float[batch * 2];
    float[] dLogdet = new float[batch];
    Arrays.fill(dLogdet, -1f / batch);
    float[] grad = new float[params.length];
    double[] meanGrad = new double[params.length];
    long t0 = System.nanoTime();
    for (int step = 0; step < steps; step++) {
      int[] rows = schedule.indices(step);
      for (int k = 0; k < batch; k++) {
        x[2 * k] = train[2 * rows[k]];
        x[2 * k + 1] = train[2 * rows[k] + 1];
      }
      flow.forward(params, 0, x, batch, ws);
      // d(mean NLL)/dz = z / B, d(mean NLL)/dlogdet = -1 / B.
      float[] z = ws.output();
      for (int j = 0; j < batch * 2; j++) {
        dz[j] = z[j] / batch;
      }
      Arrays.fill(grad, 0f);
      flow.backward(params, 0, dz, dLogdet, batch, ws, grad, 0, null);
      for (int i = 0; i < grad.length; i++) {
        meanGrad[i] = grad[i];
      }
      Adam.clipNorm(meanGrad, 10);
      adam.step(params, meanGrad, lr.at(step));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // then its held-out NLL is at least 0.3 nats per point below the best Gaussian's.
    double gaussian = gaussianNll(train, test);
    double trained = flowNll(flow, params, test, held);
    System.out.printf("two moons, held-out NLL per point: Gaussian %.4f, RealNVP %.4f (initial %.4f); "
        + "%d steps in %.1f s%n", gaussian, trained, before, steps, seconds);
    assertTrue(Double.isFinite(trained), "flow NLL " + trained);
    assertTrue(trained <= gaussian - 0.3, "flow NLL " + trained + " vs Gaussian " + gaussian);
  }
}
