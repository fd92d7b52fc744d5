package org.macronet.training.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class ConvNetTest {
  private static final int H = 5;
  private static final int W = 4;

  private static float[] random(SplittableRandom r, int count) {
    float[] a = new float[count];
    for (int i = 0; i < count; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  /** out[o][y][x] = b[o] + sum_{c, ky, kx} w[o][c][ky][kx] in[c][(y + ky - k/2) mod H][(x + kx - k/2) mod W]. */
  private static double[] naiveConv(double[] in, int cIn, int cOut, int k, float[] params, int wOff, int bOff) {
    return naiveConv(in, cIn, cOut, k, params, wOff, bOff, H, W);
  }

  private static double[] naiveConv(double[] in, int cIn, int cOut, int k, float[] params, int wOff, int bOff, int H,
      int W) {
    double[] out = new double[cOut * H * W];
    int r = k / 2;
    for (int o = 0; o < cOut; o++) {
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          double s = params[bOff + o];
          for (int c = 0; c < cIn; c++) {
            for (int ky = 0; ky < k; ky++) {
              for (int kx = 0; kx < k; kx++) {
                int yy = Math.floorMod(y + ky - r, H);
                int xx = Math.floorMod(x + kx - r, W);
                s += params[wOff + ((o * cIn + c) * k + ky) * k + kx] * in[(c * H + yy) * W + xx];
              }
            }
          }
          out[(o * H + y) * W + x] = s;
        }
      }
    }
    return out;
  }

  @Test
  void forwardIsAPeriodicConvolution() {
    // Given a 3x3 (tanh) then 1x1 then 3x3 net on a 5 x 4 torus, reading rows with a leading dimension
    ConvNet net = new ConvNet(new int[] {2, 3, 3, 2}, new int[] {3, 1, 3}, H, W, Activation.TANH);
    SplittableRandom r = new SplittableRandom(1);
    float[] params = random(r, net.parameterCount());
    int ldx = 2 * H * W + 7;
    float[] x = random(r, 3 * ldx);
    Subnet.Buffers s = net.newScratch(3);
    net.forward(params, 0, x, 0, ldx, 3, s);
    for (int i = 0; i < 3; i++) {
      double[] h = new double[2 * H * W];
      for (int p = 0; p < h.length; p++) {
        h[p] = x[i * ldx + p];
      }
      int[] ch = {2, 3, 3, 2};
      int[] ks = {3, 1, 3};
      for (int l = 0; l < 3; l++) {
        int wOff = 0;
        for (Subnet.Tensor t : net.tensors()) {
          if (t.name().equals(l + ".weight")) {
            wOff = t.offset();
          }
        }
        int bOff = wOff + ch[l + 1] * ch[l] * ks[l] * ks[l];
        h = naiveConv(h, ch[l], ch[l + 1], ks[l], params, wOff, bOff);
        if (l < 2) {
          for (int p = 0; p < h.length; p++) {
            h[p] = Math.tanh(h[p]);
          }
        }
      }
      for (int p = 0; p < h.length; p++) {
        assertEquals(h[p], s.output()[i * h.length + p], 1e-4, "sample " + i + " output " + p);
      }
    }
  }

  @Test
  void gradientsMatchCentralDifferences() {
    for (Activation act : Activation.values()) {
      ConvNet net = new ConvNet(new int[] {2, 3, 3, 4}, new int[] {3, 1, 3}, H, W, act);
      SplittableRandom r = new SplittableRandom(2);
      float[] params = random(r, net.parameterCount());
      int n = 2;
      int ldx = 2 * H * W + 3;
      float[] x = random(r, n * ldx);
      float[] weights = random(r, n * net.outputWidth());
      Subnet.Buffers s = net.newScratch(n);
      net.forward(params, 0, x, 0, ldx, n, s);
      float[] grad = new float[params.length];
      float[] dx = new float[x.length];
      net.backward(params, 0, x, 0, ldx, n, s, weights.clone(), dx, 0, grad, 0);
      java.util.function.DoubleSupplier loss = () -> {
        Subnet.Buffers b = net.newScratch(n);
        net.forward(params, 0, x, 0, ldx, n, b);
        double l = 0;
        for (int p = 0; p < weights.length; p++) {
          l += (double) weights[p] * b.output()[p];
        }
        return l;
      };
      for (int p = 0; p < params.length; p++) {
        FlowChecks.assertClose(FlowChecks.centralDifference(params, p, loss), grad[p], act + " dL/dparam[" + p + "]");
      }
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < ldx; p++) {
          int k = i * ldx + p;
          double expected = p < net.inputWidth() ? FlowChecks.centralDifference(x, k, loss) : 0;
          FlowChecks.assertClose(expected, dx[k], act + " dL/dx[" + k + "]");
        }
      }
    }
  }

  @Test
  void kernelsWiderThanTheGridWrapAroundIt() {
    // 5 x 5 kernels on a 3 x 2 torus: shifts of two columns wrap a two-column grid completely
    int h = 3;
    int w = 2;
    ConvNet net = new ConvNet(new int[] {2, 3}, new int[] {5}, h, w, Activation.RELU);
    SplittableRandom r = new SplittableRandom(3);
    float[] params = random(r, net.parameterCount());
    float[] x = random(r, 2 * h * w);
    Subnet.Buffers s = net.newScratch(1);
    net.forward(params, 0, x, 0, 2 * h * w, 1, s);
    double[] in = new double[x.length];
    for (int p = 0; p < x.length; p++) {
      in[p] = x[p];
    }
    double[] expected = naiveConv(in, 2, 3, 5, params, 0, 3 * 2 * 25, h, w);
    for (int p = 0; p < expected.length; p++) {
      assertEquals(expected[p], s.output()[p], 1e-4, "output " + p);
    }
    // and the adjoint: dL/dx against central differences of L = sum weights .* output
    float[] weights = random(r, expected.length);
    float[] grad = new float[params.length];
    float[] dx = new float[x.length];
    net.backward(params, 0, x, 0, x.length, 1, s, weights.clone(), dx, 0, grad, 0);
    java.util.function.DoubleSupplier loss = () -> {
      Subnet.Buffers b = net.newScratch(1);
      net.forward(params, 0, x, 0, x.length, 1, b);
      double l = 0;
      for (int p = 0; p < weights.length; p++) {
        l += (double) weights[p] * b.output()[p];
      }
      return l;
    };
    for (int p = 0; p < x.length; p++) {
      FlowChecks.assertClose(FlowChecks.centralDifference(x, p, loss), dx[p], "dL/dx[" + p + "]");
    }
  }

  @Test
  void rejectsEvenKernels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConvNet(new int[] {1, 2}, new int[] {2}, 4, 4, Activation.RELU));
    assertEquals("kernels must be odd, found [2]", e.getMessage());
  }
}
