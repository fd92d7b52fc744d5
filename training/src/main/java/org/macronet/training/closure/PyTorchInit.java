package org.macronet.training.closure;

import java.util.SplittableRandom;

/**
 * PyTorch's default initialisation of convolutions and linear layers: {@code kaiming_uniform_}
 * with a = sqrt(5) gives weights Uniform(-b, b), b = 1 / sqrt(fan_in), and the bias is drawn from
 * the same interval ({@code torch.nn.Linear.reset_parameters}).
 */
final class PyTorchInit {
  private PyTorchInit() {}

  /** {@code count} values at {@code offset} from Uniform(-bound, bound). */
  static void uniform(float[] params, int offset, int count, double bound, SplittableRandom random) {
    for (int i = 0; i < count; i++) {
      params[offset + i] = (float) ((2 * random.nextDouble() - 1) * bound);
    }
  }
}
