package org.macronet.training.sde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IncrementLossTest {

  @Test
  void oneDimensionByHand() {
    // S = lambda dt sigma^2 + eps; loss = x^2 / S + log S
    IncrementLoss loss = new IncrementLoss(1, 16, 1e-4);
    double s = 16 * 0.05 * 0.3 * 0.3 + 1e-4;
    assertEquals(0.2 * 0.2 / s + Math.log(s), loss.loss(new double[] {0.2}, new double[] {0.3}, 0.05, null, null),
        1e-14);
  }

  @Test
  void diagonalCaseSeparatesIntoOneDimensionalTerms() {
    IncrementLoss loss = new IncrementLoss(3, 4, 0);
    double[] x = {0.1, -0.3, 0.2};
    double[] sigma = {0.5, 0, 0, 0, 1.5, 0, 0, 0, 0.2};
    double expected = 0;
    for (int i = 0; i < 3; i++) {
      double s = 4 * 0.1 * sigma[i * 3 + i] * sigma[i * 3 + i];
      expected += x[i] * x[i] / s + Math.log(s);
    }
    assertEquals(expected, loss.loss(x, sigma, 0.1, null, null), 1e-12);
  }

  @Test
  void gradientsMatchCentralDifferences() {
    int d = 4;
    SplittableRandom r = new SplittableRandom(3);
    IncrementLoss loss = new IncrementLoss(d, 16, 1e-4);
    for (int trial = 0; trial < 5; trial++) {
      double[] x = new double[d];
      double[] sigma = new double[d * d];
      for (int i = 0; i < d; i++) {
        x[i] = 0.3 * r.nextGaussian();
      }
      for (int k = 0; k < d * d; k++) {
        sigma[k] = 0.4 * r.nextGaussian() + (k % (d + 1) == 0 ? 0.5 : 0);
      }
      double dt = 0.02 + 0.1 * r.nextDouble();
      double[] dx = new double[d];
      double[] dSigma = new double[d * d];
      loss.loss(x, sigma, dt, dx, dSigma);
      double h = 1e-6;
      for (int i = 0; i < d; i++) {
        double keep = x[i];
        x[i] = keep + h;
        double up = loss.loss(x, sigma, dt, null, null);
        x[i] = keep - h;
        double down = loss.loss(x, sigma, dt, null, null);
        x[i] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, dx[i], 1e-6 * Math.max(1, Math.abs(fd)), "dloss/dx[" + i + "], trial " + trial);
      }
      for (int k = 0; k < d * d; k++) {
        double keep = sigma[k];
        sigma[k] = keep + h;
        double up = loss.loss(x, sigma, dt, null, null);
        sigma[k] = keep - h;
        double down = loss.loss(x, sigma, dt, null, null);
        sigma[k] = keep;
        double fd = (up - down) / (2 * h);
        assertEquals(fd, dSigma[k], 1e-5 * Math.max(1, Math.abs(fd)), "dloss/dsigma[" + k + "], trial " + trial);
      }
    }
  }
}
