package org.macronet.systems.grayscott;

import org.macronet.common.random.SampleRandom;

/**
 * The initial fields of one sample: a = 1, b = 0 everywhere, then {@code discs} discs
 * (periodic distance, centres uniform on the grid) set to (a, b) = (0.5, 0.25), then every
 * cell multiplied by (1 + noise * w) with w uniform on [-1, 1), independently for a and b.
 * All draws come from the sample's own stream, in this order.
 */
public final class GrayScottInitialState {
  private GrayScottInitialState() {}

  /** Writes grid {@code g} of {@code batch} from {@code rng}. */
  public static void fill(GrayScottBatch batch, int g, GrayScottSettings settings, SampleRandom rng) {
    int n = batch.size;
    int base = g * n * n;
    float[] a = batch.a;
    float[] b = batch.b;
    java.util.Arrays.fill(a, base, base + n * n, 1f);
    java.util.Arrays.fill(b, base, base + n * n, 0f);
    double r2 = settings.discRadius() * settings.discRadius();
    int reach = (int) Math.ceil(settings.discRadius());
    for (int d = 0; d < settings.discs(); d++) {
      int cx = rng.nextInt(n);
      int cy = rng.nextInt(n);
      for (int dy = -reach; dy <= reach; dy++) {
        for (int dx = -reach; dx <= reach; dx++) {
          if (dx * dx + dy * dy <= r2) {
            int i = base + Math.floorMod(cy + dy, n) * n + Math.floorMod(cx + dx, n);
            a[i] = 0.5f;
            b[i] = 0.25f;
          }
        }
      }
    }
    double noise = settings.noise();
    if (noise > 0) {
      for (int i = base; i < base + n * n; i++) {
        a[i] = (float) (a[i] * (1 + noise * (2 * rng.nextDouble() - 1)));
        b[i] = (float) (b[i] * (1 + noise * (2 * rng.nextDouble() - 1)));
      }
    }
  }
}
