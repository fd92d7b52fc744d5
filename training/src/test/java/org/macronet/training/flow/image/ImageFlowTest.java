package org.macronet.training.flow.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.AffineCoupling;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowBlock;
import org.macronet.training.flow.FlowChecks;
import org.macronet.training.nn.Activation;
import org.macronet.training.nn.ConvNet;

class ImageFlowTest {
  private static final int N = 3;

  private static float[] initialised(Flow flow, long seed, double jitter) {
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(seed));
    SplittableRandom r = new SplittableRandom(seed + 100);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (r.nextGaussian() * jitter);
    }
    return params;
  }

  private static void checkAll(Flow flow, float[] params, long seed) {
    float[] x = FlowChecks.gaussian(new SplittableRandom(seed), N * flow.dim(), 1.0);
    FlowChecks.assertInverse(flow, params, x, N);
    FlowChecks.assertLogdet(flow, params, x, N);
    FlowChecks.assertGradients(flow, params, x, N, seed + 1);
  }

  @Test
  void haarSqueezeOfOneBlock() {
    // Given one 2 x 2 block (a b / c d) = (1 2 / 3 4) in each of 2 channels (the second doubled)
    Flow flow = new Flow(List.of(new HaarSqueeze(new ImageShape(2, 2, 2))));
    float[] z = flow.transform(new float[0], 0, new float[] {1, 2, 3, 4, 2, 4, 6, 8}, 1, null);
    // Then averages come first for both channels, then the horizontal, vertical and diagonal details
    assertArrayEquals(new float[] {5, 10, -1, -2, -2, -4, 0, 0}, z);
  }

  @Test
  void haarSqueezeIsOrthonormal() {
    Flow flow = new Flow(List.of(new HaarSqueeze(new ImageShape(3, 4, 6))));
    float[] x = FlowChecks.gaussian(new SplittableRandom(1), N * flow.dim(), 1.0);
    double[] logdet = new double[N];
    float[] z = flow.transform(new float[0], 0, x, N, logdet);
    double nx = 0;
    double nz = 0;
    for (int i = 0; i < x.length; i++) {
      nx += x[i] * x[i];
      nz += z[i] * z[i];
    }
    assertEquals(nx, nz, 1e-4 * nx);
    assertArrayEquals(new double[N], logdet);
    checkAll(flow, new float[0], 2);
  }

  @Test
  void channelActNormChecks() {
    Flow flow = new Flow(List.of(new ChannelActNorm(new ImageShape(3, 2, 3))));
    checkAll(flow, initialised(flow, 3, 0.5), 4);
  }

  @Test
  void channelActNormStartsAtZeroMeanUnitVariancePerChannel() {
    ImageShape shape = new ImageShape(2, 3, 3);
    Flow flow = new Flow(List.of(new ChannelActNorm(shape)));
    float[] params = initialised(flow, 5, 0);
    int n = 50;
    float[] x = FlowChecks.gaussian(new SplittableRandom(6), n * shape.dim(), 1.0);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 9; p++) {
        x[i * 18 + 9 + p] = x[i * 18 + 9 + p] * 4 + 3; // channel 1: mean 3, std 4
      }
    }
    flow.initialiseFromData(params, 0, x, n);
    float[] z = flow.transform(params, 0, x, n, null);
    for (int c = 0; c < 2; c++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < 9; p++) {
          double v = z[i * 18 + c * 9 + p];
          s += v;
          ss += v * v;
        }
      }
      assertEquals(0, s / (n * 9), 1e-4, "mean of channel " + c);
      assertEquals(1, ss / (n * 9), 1e-3, "variance of channel " + c);
    }
  }

  @Test
  void channelMixingChecks() {
    Flow flow = new Flow(List.of(new ChannelMixing(new ImageShape(3, 2, 2))));
    // a random rotation jittered: log|det W| is no longer 0, so the W^-T gradient is exercised
    checkAll(flow, initialised(flow, 7, 0.3), 8);
  }

  @Test
  void convCouplingChecks() {
    ImageShape shape = new ImageShape(3, 3, 4);
    ConvNet net = new ConvNet(new int[] {1, 4, 4, 4}, new int[] {3, 1, 3}, 3, 4, Activation.RELU);
    Flow flow = new Flow(List.of(new AffineCoupling(shape.dim(), shape.pixels(), net, 2.0, 1.0)));
    checkAll(flow, initialised(flow, 9, 0.2), 10);
  }

  @Test
  void couplingRejectsASubnetOfTheWrongWidth() {
    ConvNet net = new ConvNet(new int[] {1, 4, 2}, new int[] {3, 3}, 4, 4, Activation.RELU);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AffineCoupling(48, 16, net, 2.0, 1.0));
    assertEquals("a coupling split 16 + 32 needs a subnet from 16 to 64 values, found 16 to 32", e.getMessage());
  }

  @Test
  void multiScalePassesTheFactoredOutHalfThrough() {
    ImageShape shape = new ImageShape(4, 2, 2);
    Flow inner = new Flow(List.of(new ChannelActNorm(shape.withChannels(2)), new ChannelMixing(shape.withChannels(2))));
    Flow flow = new Flow(List.of(new MultiScale(inner, shape.dim())));
    float[] params = initialised(flow, 11, 0.3);
    float[] x = FlowChecks.gaussian(new SplittableRandom(12), N * 16, 1.0);
    float[] z = flow.transform(params, 0, x, N, null);
    for (int i = 0; i < N; i++) {
      for (int p = 8; p < 16; p++) {
        assertEquals(x[i * 16 + p], z[i * 16 + p], "factored-out value " + p + " of row " + i);
      }
    }
    checkAll(flow, params, 13);
  }

  @Test
  void wholeImageFlowOnSmallImages() {
    // Given 2 x 8 x 8 images, 2 scales (8 x 4 x 4, then 16 x 2 x 2) and a dense head
    ImageFlow spec = new ImageFlow(new ImageShape(2, 8, 8), 2, 1, new int[] {3, 4}, 3, Activation.TANH, 2.0, 1.0, 1,
        new int[] {6}, 1);
    Flow flow = spec.build(null);
    assertEquals(128, flow.dim());
    assertEquals(new ImageShape(16, 2, 2), spec.deepest());
    checkAll(flow, initialised(flow, 14, 0.1), 15);
  }

  @Test
  void dataInitialisationReachesTheInnerScales() {
    ImageFlow spec = new ImageFlow(new ImageShape(2, 8, 8), 2, 1, new int[] {3, 4}, 3, Activation.RELU, 2.0, 1.0, 0,
        new int[0], 1);
    Flow flow = spec.build(null);
    float[] params = initialised(flow, 16, 0);
    float[] before = params.clone();
    int n = 80;
    float[] x = FlowChecks.gaussian(new SplittableRandom(17), n * flow.dim(), 2.0);
    flow.initialiseFromData(params, 0, x, n);
    MultiScale split = (MultiScale) flow.blocks().get(flow.blocks().size() - 1);
    int base = flow.offset(flow.blocks().size() - 1);
    Flow inner = split.inner();
    int changed = 0;
    for (int k = 0; k < inner.blocks().size(); k++) {
      FlowBlock b = inner.blocks().get(k);
      if (b instanceof ChannelActNorm a) {
        int off = base + inner.offset(k);
        for (int j = 0; j < a.channels(); j++) {
          if (params[off + j] != before[off + j]) {
            changed++;
          }
        }
      }
    }
    assertEquals(16, changed, "every log-scale of the inner scale's ActNorm is fitted");
  }

  @Test
  void rejectsSidesThatTheScalesCannotHalve() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageFlow(
        new ImageShape(2, 12, 12), 3, 1, new int[] {1, 1, 1}, 3, Activation.RELU, 2.0, 1.0, 0, new int[0], 1));
    assertEquals("3 scales need sides divisible by 8, found 2x12x12", e.getMessage());
  }
}
