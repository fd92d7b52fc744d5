package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;

class LinearTest {

  @Test
  void forwardIsXWTransposedPlusBias() {
    Linear layer = new Linear(3, 2);
    // W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -1]
    float[] params = {1, 2, 3, 4, 5, 6, 0.5f, -1};
    float[] x = {1, 0, -1, 2, 1, 0};
    float[] y = new float[4];
    layer.forward(params, 0, x, 2, y);
    assertArrayEquals(new float[] {1 - 3 + 0.5f, 4 - 6 - 1, 2 + 2 + 0.5f, 8 + 5 - 1}, y);
  }

  @Test
  void gradientsMatchCentralDifferences() {
    SplittableRandom r = new SplittableRandom(1);
    Linear layer = new Linear(5, 3);
    int offset = 4;
    int n = 4;
    float[] params = LayerChecks.gaussian(r, offset + layer.parameterCount());
    float[] x = LayerChecks.gaussian(r, n * 5);
    float[] weights = LayerChecks.gaussian(r, n * 3);
    float[] grad = new float[params.length];
    float[] dx = new float[x.length];
    layer.backward(params, offset, x, n, weights, dx, grad, offset);
    java.util.function.DoubleSupplier loss = () -> {
      float[] y = new float[n * 3];
      layer.forward(params, offset, x, n, y);
      return LayerChecks.dot(weights, y, y.length);
    };
    LayerChecks.assertGradient(x, dx, x.length, loss, "dL/dx");
    for (int p = 0; p < params.length; p++) {
      double expected = p < offset ? 0 : FlowChecks.centralDifference(params, p, loss);
      FlowChecks.assertClose(expected, grad[p], "dL/dparam[" + p + "]");
    }
  }

  @Test
  void leakyReluScalesTheNegativesForwardAndBackward() {
    LeakyRelu act = new LeakyRelu(0.2);
    float[] x = {-2, -0f, 0, 3, -0.5f};
    act.forward(x, 0, x.length);
    assertArrayEquals(new float[] {-0.4f, -0f, 0f, 3, -0.1f}, x);
    float[] d = {1, 1, 1, 1, 1};
    act.backward(x, d, 0, d.length);
    // PyTorch's derivative: 1 where x > 0, the slope elsewhere (at 0 too)
    assertArrayEquals(new float[] {0.2f, 0.2f, 0.2f, 1, 0.2f}, d);
    assertEquals(0.2, act.slope(), 1e-7);
  }
}
