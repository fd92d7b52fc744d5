package org.macronet.analysis.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnsembleComparisonTest {

  @Test
  void interpolationOnACommonGridByHand() {
    double[][] on = TimeGrid.interpolate(new double[] {0, 1, 3}, new double[][] {{0, 10}, {2, 10}, {6, 4}},
        new double[] {-1, 0, 0.5, 2, 3, 4});
    assertArrayEquals(new double[] {0, 10}, on[0]); // before the first sample: the first value
    assertArrayEquals(new double[] {0, 10}, on[1]);
    assertArrayEquals(new double[] {1, 10}, on[2]);
    assertArrayEquals(new double[] {4, 7}, on[3]);
    assertArrayEquals(new double[] {6, 4}, on[4]);
    assertArrayEquals(new double[] {6, 4}, on[5]); // after the last: the last value
    assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2}, TimeGrid.uniform(2, 5));
    assertThrows(IllegalArgumentException.class,
        () -> TimeGrid.interpolate(new double[] {0, 2, 1}, new double[][] {{0}, {1}, {2}}, new double[] {0}));
  }

  @Test
  void relativeMseByHand() {
    // truth mean (1, 3) over two times, prediction mean (1, 2): mean sq. error 0.5, mean sq. truth 5
    double[][][] truth = {{{0}, {2}}, {{2}, {4}}};
    double[][][] predicted = {{{1}, {2}}};
    assertEquals(0.1, EnsembleComparison.relativeMse(predicted, truth), 1e-15);
    // two dimensions: the averages run over times and dimensions together
    double[][][] truth2 = {{{1, 2}, {3, 4}}};
    double[][][] pred2 = {{{1, 3}, {3, 3}}};
    assertEquals((0 + 1 + 0 + 1) / 4.0 / ((1 + 4 + 9 + 16) / 4.0), EnsembleComparison.relativeMse(pred2, truth2),
        1e-15);
    assertEquals(0.0, EnsembleComparison.relativeMse(truth, truth));
  }

  @Test
  void noiseFloorByHand() {
    // truth: two paths, one time, values 1 and 3 (mean 2, variance 2); prediction: values 2 and 2
    double[][][] truth = {{{1}}, {{3}}};
    double[][][] predicted = {{{2}}, {{2}}};
    assertEquals((0.0 / 2 + 2.0 / 2) / 4.0, EnsembleComparison.noiseFloor(predicted, truth), 1e-15);
  }

  @Test
  void wassersteinDistanceByHand() {
    assertEquals(0.5, EnsembleComparison.wasserstein1(new double[] {0, 1}, new double[] {0.5}), 1e-15);
    assertEquals(1.0 / 3, EnsembleComparison.wasserstein1(new double[] {2, 0, 1}, new double[] {0, 2}), 1e-15);
    assertEquals(0.0, EnsembleComparison.wasserstein1(new double[] {3, 1, 2}, new double[] {1, 2, 3}));
    // a shift by c moves every quantile by c
    SplittableRandom r = new SplittableRandom(1);
    double[] x = new double[101];
    double[] y = new double[101];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
      y[i] = x[i] + 0.25;
    }
    assertEquals(0.25, EnsembleComparison.wasserstein1(x, y), 1e-12);
    double[] perTime = EnsembleComparison.wasserstein1PerTime(new double[][][] {{{0}, {5}}, {{1}, {5}}},
        new double[][][] {{{0.5}, {6}}}, 0);
    assertArrayEquals(new double[] {0.5, 1.0}, perTime, 1e-15);
  }

  @Test
  void bootstrapIntervalIsReproducibleAndCoversTheEstimate() {
    SplittableRandom r = new SplittableRandom(4);
    double[][][] truth = new double[60][20][2];
    double[][][] predicted = new double[60][20][2];
    for (int p = 0; p < 60; p++) {
      for (int t = 0; t < 20; t++) {
        truth[p][t][0] = 1 + 0.05 * t + 0.2 * r.nextGaussian();
        truth[p][t][1] = 0.5 + 0.1 * r.nextGaussian();
        predicted[p][t][0] = 1.02 + 0.05 * t + 0.2 * r.nextGaussian();
        predicted[p][t][1] = 0.5 + 0.1 * r.nextGaussian();
      }
    }
    // the value the ensembles estimate: the generating means differ by 0.02 in the first component
    double err = 0;
    double norm = 0;
    for (int t = 0; t < 20; t++) {
      err += 0.02 * 0.02;
      norm += (1 + 0.05 * t) * (1 + 0.05 * t) + 0.25;
    }
    double theta = err / norm;
    double estimate = EnsembleComparison.relativeMse(predicted, truth);
    double floor = EnsembleComparison.noiseFloor(predicted, truth);
    double[] ci = EnsembleComparison.bootstrapInterval(predicted, truth, 400, 0.95, 7);
    assertArrayEquals(ci, EnsembleComparison.bootstrapInterval(predicted, truth, 400, 0.95, 7));
    String what = "theta " + theta + ", estimate " + estimate + ", floor " + floor + ", interval " + ci[0] + " .. "
        + ci[1];
    // 60 paths a side: the raw estimate is mostly the ensembles' own noise (its floor), which the
    // basic interval removes; it covers the true value, and so does the estimate less its floor
    assertTrue(estimate > 3 * theta && Math.abs(estimate - floor) < ci[1], what);
    assertTrue(ci[0] <= theta && theta <= ci[1], what);
    // identical paths leave nothing to resample
    double[][][] same = {{{1}, {2}}, {{1}, {2}}};
    double[][][] off = {{{1}, {3}}, {{1}, {3}}};
    double[] fixed = EnsembleComparison.bootstrapInterval(off, same, 50, 0.9, 1);
    assertEquals(EnsembleComparison.relativeMse(off, same), fixed[0], 1e-15);
    assertEquals(fixed[0], fixed[1], 1e-15);
  }

  @Test
  void mmdByHand() {
    // one point each, 0 and 1 on a line, bandwidth 1: k(0, 0) = k(1, 1) = 1, k(0, 1) = exp(-1/2)
    double[][] a = {{0}};
    double[][] b = {{1}};
    assertEquals(2 - 2 * Math.exp(-0.5), EnsembleComparison.mmd(a, b, new double[] {1}), 1e-15);
    // bandwidths 1 and 2 are averaged: the second has k(0, 1) = exp(-1/8)
    assertEquals((2 - 2 * Math.exp(-0.5) + 2 - 2 * Math.exp(-0.125)) / 2,
        EnsembleComparison.mmd(a, b, new double[] {1, 2}), 1e-15);
    // {0, 2} against {1}: mean_xx = (2 + 2 exp(-2)) / 4, mean_yy = 1, mean_xy = exp(-1/2)
    assertEquals((2 + 2 * Math.exp(-2)) / 4 + 1 - 2 * Math.exp(-0.5),
        EnsembleComparison.mmd(new double[][] {{0}, {2}}, b, new double[] {1}), 1e-15);
    // in 2-D the squared distance of (0, 0) and (1, 1) is 2
    assertEquals(2 - 2 * Math.exp(-1), EnsembleComparison.mmd(new double[][] {{0, 0}}, new double[][] {{1, 1}},
        new double[] {1}), 1e-15);
    // symmetric, 0 for identical samples
    double[][] x = {{0.1, 2}, {0.4, -1}, {3, 0}};
    double[][] y = {{1, 1}, {0, 0}};
    assertEquals(EnsembleComparison.mmd(x, y, EnsembleComparison.MMD_BANDWIDTHS),
        EnsembleComparison.mmd(y, x, EnsembleComparison.MMD_BANDWIDTHS), 1e-15);
    assertEquals(0, EnsembleComparison.mmd(x, x, EnsembleComparison.MMD_BANDWIDTHS), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> EnsembleComparison.mmd(new double[0][], y, new double[] {1}));
  }

  @Test
  void mmdPerTimeStandardisesEachComponentAlike() {
    SplittableRandom rng = new SplittableRandom(3);
    double[][][] pred = new double[20][2][2];
    double[][][] truth = new double[30][2][2];
    for (double[][][] e : new double[][][][] {pred, truth}) {
      for (double[][] path : e) {
        for (double[] z : path) {
          z[0] = 5 + 0.1 * rng.nextDouble();
          z[1] = -2 + 3 * rng.nextDouble();
        }
      }
    }
    double[] center = {5, -2};
    double[] scale = {0.1, 3};
    double[] perTime = EnsembleComparison.mmdPerTime(pred, truth, center, scale, EnsembleComparison.MMD_BANDWIDTHS);
    for (int t = 0; t < 2; t++) {
      double[][] a = new double[pred.length][];
      double[][] b = new double[truth.length][];
      for (int p = 0; p < a.length; p++) {
        a[p] = new double[] {(pred[p][t][0] - 5) / 0.1, (pred[p][t][1] + 2) / 3};
      }
      for (int p = 0; p < b.length; p++) {
        b[p] = new double[] {(truth[p][t][0] - 5) / 0.1, (truth[p][t][1] + 2) / 3};
      }
      assertEquals(EnsembleComparison.mmd(a, b, EnsembleComparison.MMD_BANDWIDTHS), perTime[t], 1e-15);
    }
    // two samples of one distribution are closer than samples of distributions one sd apart
    double[][] shifted = new double[30][1];
    double[][] same = new double[30][1];
    double[][] base = new double[30][1];
    for (int p = 0; p < 30; p++) {
      base[p][0] = rng.nextDouble();
      same[p][0] = rng.nextDouble();
      shifted[p][0] = 1 + rng.nextDouble();
    }
    assertTrue(EnsembleComparison.mmd(base, same, EnsembleComparison.MMD_BANDWIDTHS)
        < EnsembleComparison.mmd(base, shifted, EnsembleComparison.MMD_BANDWIDTHS) / 5);
  }
}
