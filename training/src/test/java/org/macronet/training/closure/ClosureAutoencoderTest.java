package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.macronet.training.flow.FlowChecks;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;
import org.macronet.training.optim.Adam;

class ClosureAutoencoderTest {
  /** L = 16, p = 8 (K = 4), c = 2, channels 4/4/4, observables (m, rho); decoder 4 -> 2 -> 1. */
  private static ClosureAutoencoder tiny() {
    return new ClosureAutoencoder(16, 8, 2, new int[] {4, 4, 4}, 2);
  }

  private static byte[] randomSpins(SplittableRandom r, int n, int side) {
    byte[] s = new byte[n * side * side];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextBoolean() ? (byte) 1 : (byte) -1;
    }
    return s;
  }

  /** Initial parameters with every value moved a little, batch norms' gamma and beta included. */
  private static float[] perturbedParameters(ClosureAutoencoder model, SplittableRandom r) {
    float[] p = model.initialParameters(r);
    for (int i = 0; i < p.length; i++) {
      p[i] += (float) (0.1 * r.nextGaussian());
    }
    return p;
  }

  private static SafeTensors.Tensor tensor(ClosureAutoencoder model, float[] params, float[] buffers, String name) {
    return model.tensors(params, buffers).stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void gradientOfEveryParameterTensorMatchesCentralDifferences() {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(1);
    int n = 3;
    float[] params = perturbedParameters(model, r);
    byte[] spins = randomSpins(r, n, 16);
    float[] obs = FlowChecks.gaussian(r, n * 2, 0.5);
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    float[] grad = new float[params.length];
    double loss = model.loss(params, spins, obs, n, s, grad);
    assertTrue(loss > 0.3 && loss < 3, "a BCE of random logits, found " + loss);
    // The loss is a mean over n L^2 = 768 sites, its gradients about 1e-3: the sum's (768 times
    // the mean) are checked. A LeakyReLU kink or a max-pool switch within the step of a point
    // spoils one central difference; an entry passes if the step 1e-3 or 2e-4 agrees.
    double scale = n * 16 * 16;
    java.util.function.DoubleSupplier sum = () -> scale * model.loss(params, spins, obs, n, s, null);
    int checked = 0;
    for (SafeTensors.Tensor t : model.tensors(params, model.initialBuffers())) {
      if (t.name().contains("running")) {
        continue;
      }
      for (int q = t.offset(); q < t.offset() + t.size(); q++) {
        double analytic = scale * grad[q];
        double fd = centralDifference(params, q, 1e-3f, sum);
        if (!close(fd, analytic)) {
          fd = centralDifference(params, q, 2e-4f, sum);
        }
        FlowChecks.assertClose(fd, analytic, t.name() + "[" + (q - t.offset()) + "]");
        checked++;
      }
    }
    assertEquals(model.parameterCount(), checked, "every parameter checked");
  }

  private static boolean close(double fd, double analytic) {
    return Math.abs(fd - analytic) <= 5e-3 + 1e-2 * Math.max(Math.abs(fd), Math.abs(analytic));
  }

  /** (L(a_i + h) - L(a_i - h)) / (the step actually taken in float), restoring a_i. */
  private static double centralDifference(float[] a, int i, float h, java.util.function.DoubleSupplier loss) {
    float keep = a[i];
    a[i] = keep + h;
    double up = loss.getAsDouble();
    float right = a[i];
    a[i] = keep - h;
    double down = loss.getAsDouble();
    float left = a[i];
    a[i] = keep;
    return (up - down) / ((double) right - left);
  }

  /** The K patches of state i as +-1 floats, patch (ty, tx) at ty L/p + tx. */
  private static float[] patchesOf(byte[] spins, int i, int side, int p) {
    int tiles = side / p;
    float[] out = new float[tiles * tiles * p * p];
    for (int ty = 0; ty < tiles; ty++) {
      for (int tx = 0; tx < tiles; tx++) {
        for (int y = 0; y < p; y++) {
          for (int x = 0; x < p; x++) {
            out[((ty * tiles + tx) * p + y) * p + x] = spins[i * side * side + (ty * p + y) * side + tx * p + x];
          }
        }
      }
    }
    return out;
  }

  /** Buffers moved off their initial values by a few training-mode passes. */
  private static float[] trainedBuffers(ClosureAutoencoder model, float[] params, SplittableRandom r) {
    float[] buffers = model.initialBuffers();
    ClosureAutoencoder.Scratch s = model.newScratch(4);
    for (int k = 0; k < 3; k++) {
      model.loss(params, randomSpins(r, 4, model.latticeSide()), FlowChecks.gaussian(r, 8, 0.5), 4, s, null);
      model.updateBuffers(buffers, s);
    }
    return buffers;
  }

  @Test
  void closureIsTheMeanOfThePatchesEncodedOneByOne() {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(2);
    float[] params = perturbedParameters(model, r);
    float[] buffers = trainedBuffers(model, params, r);
    int n = 3;
    byte[] spins = randomSpins(r, n, 16);
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    float[] closure = new float[n * 2];
    model.encode(params, buffers, spins, n, false, s, closure);
    ClosureAutoencoder.Scratch one = model.newScratch(1);
    for (int i = 0; i < n; i++) {
      float[] patches = patchesOf(spins, i, 16, 8);
      double[] mean = new double[2];
      for (int k = 0; k < 4; k++) {
        float[] z = new float[2];
        model.encodePatches(params, buffers, java.util.Arrays.copyOfRange(patches, k * 64, k * 64 + 64), 1, one, z);
        mean[0] += z[0] / 4.0;
        mean[1] += z[1] / 4.0;
      }
      assertEquals(mean[0], closure[2 * i], 1e-5, "state " + i + " closure 0");
      assertEquals(mean[1], closure[2 * i + 1], 1e-5, "state " + i + " closure 1");
    }
    // and the patches' encodings differ, so the mean is not trivially any one of them
    float[] all = new float[4 * 2];
    model.encodePatches(params, buffers, patchesOf(spins, 0, 16, 8), 4, one, all);
    assertTrue(Math.abs(all[0] - all[2]) > 1e-4, "two patches encoded alike");
  }

  @Test
  void decodingTheEncodedClosureGivesTheInferenceLoss() {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(3);
    float[] params = perturbedParameters(model, r);
    float[] buffers = trainedBuffers(model, params, r);
    int n = 2;
    byte[] spins = randomSpins(r, n, 16);
    float[] obs = FlowChecks.gaussian(r, n * 2, 0.5);
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    float[] closure = new float[n * 2];
    model.encode(params, buffers, spins, n, false, s, closure);
    float[] logits = new float[n * 256];
    model.decode(params, buffers, obs, closure, n, s, logits);
    double bce = 0;
    for (int q = 0; q < logits.length; q++) {
      bce += BinaryCrossEntropy.loss(logits[q], (spins[q] + 1) / 2) / logits.length;
    }
    assertEquals(bce, model.evaluate(params, buffers, spins, obs, n, s), 1e-9);
    // training mode (batch statistics) is another function of the same parameters
    double train = model.loss(params, spins, obs, n, s, null);
    assertTrue(Math.abs(train - bce) > 1e-6, "train " + train + ", inference " + bce);
  }

  @Test
  void runningStatisticsFollowPyTorchsUpdate() {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(4);
    float[] params = perturbedParameters(model, r);
    float[] buffers = trainedBuffers(model, params, r);
    float[] before = buffers.clone();
    int n = 3;
    byte[] spins = randomSpins(r, n, 16);
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    assertThrows(IllegalStateException.class, () -> model.updateBuffers(buffers, s), "no loss yet");
    model.loss(params, spins, FlowChecks.gaussian(r, n * 2, 0.5), n, s, null);
    float[] stats = s.batchStatistics();
    model.updateBuffers(buffers, s);
    for (int q = 0; q < buffers.length; q++) {
      assertEquals(0.9 * before[q] + 0.1 * stats[q], buffers[q], 1e-6, "buffer " + q);
    }
    // the first batch norm's statistics by hand: the first convolution of the n K = 12 patches,
    // then per channel the mean and the unbiased variance over the 12 x 8 x 8 values
    float[] patches = new float[n * 4 * 64];
    for (int i = 0; i < n; i++) {
      System.arraycopy(patchesOf(spins, i, 16, 8), 0, patches, i * 256, 256);
    }
    int conv0 = tensor(model, params, buffers, "encoder.0.weight").offset();
    float[] convParams = java.util.Arrays.copyOfRange(params, conv0, conv0 + 4 * 9 + 4);
    double[] y = Conv2dTest.naive(patches, n * 4, 1, 4, 3, 8, 8, convParams);
    int count = n * 4 * 64;
    int mean = tensor(model, params, buffers, "encoder.1.running_mean").offset();
    int var = tensor(model, params, buffers, "encoder.1.running_var").offset();
    for (int c = 0; c < 4; c++) {
      double sum = 0;
      for (int m = 0; m < n * 4; m++) {
        for (int q = 0; q < 64; q++) {
          sum += y[(m * 4 + c) * 64 + q];
        }
      }
      double mu = sum / count;
      double squares = 0;
      for (int m = 0; m < n * 4; m++) {
        for (int q = 0; q < 64; q++) {
          double e = y[(m * 4 + c) * 64 + q] - mu;
          squares += e * e;
        }
      }
      assertEquals(mu, stats[mean + c], 1e-5, "channel " + c + " mean");
      assertEquals(squares / (count - 1), stats[var + c], 1e-5 * (1 + squares / count), "channel " + c + " variance");
      assertEquals(0.9 * before[mean + c] + 0.1 * mu, buffers[mean + c], 1e-5, "channel " + c + " running mean");
    }
    // another call (encode) leaves no statistics to update from
    model.encode(params, buffers, spins, n, true, s, new float[n * 2]);
    assertThrows(IllegalStateException.class, () -> model.updateBuffers(buffers, s));
  }

  /**
   * 48 structured 16 x 16 states: vertical or horizontal stripes of width 1, 2, 4 or 8, and
   * blocks of +1 covering a varying fraction of the lattice, with their magnetisation and
   * nearest-neighbour correlation as the observables.
   */
  private static byte[] structuredStates(int n, float[] obs) {
    int side = 16;
    byte[] spins = new byte[n * side * side];
    for (int i = 0; i < n; i++) {
      int kind = i % 3;
      int width = 1 << (i / 3 % 4);
      int fill = 1 + i / 12; // 1 .. 4 quarters
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          boolean up = switch (kind) {
            case 0 -> (x / width) % 2 == 0;
            case 1 -> (y / width) % 2 == 0;
            default -> y < fill * side / 4 && x < side - width;
          };
          spins[i * side * side + y * side + x] = up ? (byte) 1 : (byte) -1;
        }
      }
      double m = 0;
      double rho = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int s = spins[i * side * side + y * side + x];
          m += s;
          rho += s * (spins[i * side * side + y * side + (x + 1) % side] + spins[i * side * side + ((y + 1) % side) * side + x]);
        }
      }
      obs[2 * i] = (float) (m / (side * side));
      obs[2 * i + 1] = (float) (rho / (2 * side * side));
    }
    return spins;
  }

  @Test
  void adamLowersTheReconstructionLossOfStructuredStates() {
    ClosureAutoencoder model = new ClosureAutoencoder(16, 8, 2, new int[] {8, 8, 8}, 2);
    int n = 48;
    float[] obs = new float[n * 2];
    byte[] spins = structuredStates(n, obs);
    float[] params = model.initialParameters(new SplittableRandom(5));
    float[] buffers = model.initialBuffers();
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    Adam adam = new Adam(params.length);
    float[] grad = new float[params.length];
    double first = model.loss(params, spins, obs, n, s, null);
    double last = first;
    for (int step = 0; step < 300; step++) {
      java.util.Arrays.fill(grad, 0f);
      last = model.loss(params, spins, obs, n, s, grad);
      model.updateBuffers(buffers, s);
      adam.step(params, grad, 1e-2);
    }
    // a coin's 0.69 at the start; the states are learnt far below it
    assertTrue(first > 0.6, "initial BCE " + first);
    double inference = model.evaluate(params, buffers, spins, obs, n, s);
    assertTrue(last < 0.25 * first, "the BCE falls: " + first + " -> " + last);
    // and with the running statistics in place of the batch's
    assertTrue(inference < 0.25 * first, "the inference-mode BCE falls: " + first + " -> " + inference);
  }

  @Test
  void tensorsRoundTripThroughSafetensorsByName() throws Exception {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(6);
    float[] params = perturbedParameters(model, r);
    float[] buffers = trainedBuffers(model, params, r);
    byte[] bytes = SafeTensors.toBytes(model.tensors(params, buffers), Map.of("format", "pt"));
    SafeTensorsFile file = SafeTensors.fromBytes(bytes);
    ClosureAutoencoder again = ClosureAutoencoder.fromDescription(model.describe());
    assertArrayEquals(params, again.parameters(file));
    assertArrayEquals(buffers, again.buffers(file));
    assertEquals(List.of(
        "encoder.0.weight", "encoder.0.bias",
        "encoder.1.weight", "encoder.1.bias", "encoder.1.running_mean", "encoder.1.running_var",
        "encoder.4.weight", "encoder.4.bias",
        "encoder.5.weight", "encoder.5.bias", "encoder.5.running_mean", "encoder.5.running_var",
        "encoder.8.weight", "encoder.8.bias",
        "encoder.9.weight", "encoder.9.bias", "encoder.9.running_mean", "encoder.9.running_var",
        "encoder.13.weight", "encoder.13.bias",
        "decoder.0.weight", "decoder.0.bias",
        "decoder.2.weight", "decoder.2.bias",
        "decoder.3.weight", "decoder.3.bias", "decoder.3.running_mean", "decoder.3.running_var",
        "decoder.5.weight", "decoder.5.bias"), file.names());
    assertArrayEquals(new int[] {4, 1, 3, 3}, file.tensor("encoder.0.weight").shape());
    assertArrayEquals(new int[] {2, 4}, file.tensor("encoder.13.weight").shape());
    assertArrayEquals(new int[] {64, 4}, file.tensor("decoder.0.weight").shape());
    assertArrayEquals(new int[] {4, 2, 4, 4}, file.tensor("decoder.2.weight").shape());
    assertArrayEquals(new int[] {2, 1, 4, 4}, file.tensor("decoder.5.weight").shape());

    // a model of another closure dimension is refused, naming the tensor
    ClosureAutoencoder wider = new ClosureAutoencoder(16, 8, 3, new int[] {4, 4, 4}, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wider.parameters(file));
    assertEquals("tensor 'encoder.13.weight' has shape [2, 4], the model needs [3, 4]", e.getMessage());
    // and a missing tensor is named
    List<SafeTensors.Tensor> some = new ArrayList<>(model.tensors(params, buffers));
    some.removeIf(t -> t.name().equals("decoder.3.running_var"));
    SafeTensorsFile partial = SafeTensors.fromBytes(SafeTensors.toBytes(some, Map.of()));
    assertArrayEquals(params, model.parameters(partial));
    e = assertThrows(IllegalArgumentException.class, () -> model.buffers(partial));
    assertTrue(e.getMessage().startsWith("tensor 'decoder.3.running_var' missing"), e.getMessage());
  }

  @Test
  void theDefaultArchitectureHasTheReferenceShapes() {
    // L = 64, p = 16: encoder 1 -> 32 -> 64 -> 128 on 16 x 16 patches, 128 x 2 x 2 -> 2; decoder
    // (m, rho, z1, z2) -> 128 x 4 x 4 -> 64 -> 32 -> 16 -> 1 at 64 x 64
    ClosureAutoencoder model = new ClosureAutoencoder(64, 16);
    assertEquals(16, model.patchCount());
    assertEquals(4, model.decoderInputWidth());
    Map<String, Object> arch = model.describe();
    assertArrayEquals(new int[] {32, 64, 128}, (int[]) arch.get("channels"));
    assertArrayEquals(new int[] {128, 64, 32, 16, 1}, (int[]) arch.get("decoderChannels"));
    float[] params = model.initialParameters(new SplittableRandom(7));
    float[] buffers = model.initialBuffers();
    List<String> names = new ArrayList<>();
    long total = 0;
    for (SafeTensors.Tensor t : model.tensors(params, buffers)) {
      names.add(t.name() + java.util.Arrays.toString(t.shape()));
      total += t.name().contains("running") ? 0 : t.size();
    }
    assertEquals(model.parameterCount(), total);
    assertTrue(names.contains("encoder.13.weight[2, 512]"), names.toString());
    assertTrue(names.contains("decoder.0.weight[2048, 4]"), names.toString());
    assertTrue(names.contains("decoder.2.weight[128, 64, 4, 4]"), names.toString());
    assertTrue(names.contains("decoder.9.running_var[16]"), names.toString());
    assertTrue(names.contains("decoder.11.weight[16, 1, 4, 4]"), names.toString());
    // PyTorch's default bounds: encoder.0 is Uniform(-1/3, 1/3), decoder.2 Uniform(-1/32, 1/32)
    SafeTensors.Tensor conv = tensor(model, params, buffers, "encoder.0.weight");
    SafeTensors.Tensor up = tensor(model, params, buffers, "decoder.2.weight");
    double maxConv = 0;
    for (float v : conv.toArray()) {
      maxConv = Math.max(maxConv, Math.abs(v));
    }
    double maxUp = 0;
    for (float v : up.toArray()) {
      maxUp = Math.max(maxUp, Math.abs(v));
    }
    assertTrue(maxConv <= 1.0 / 3 && maxConv > 0.3, "encoder.0 bound " + maxConv);
    assertTrue(maxUp <= 1.0 / 32 && maxUp > 0.03, "decoder.2 bound " + maxUp);
    assertArrayEquals(new float[] {1, 1, 1, 1}, java.util.Arrays.copyOf(
        tensor(model, params, buffers, "encoder.1.weight").toArray(), 4));
  }

  @Test
  void constructorRefusesInconsistentSizes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClosureAutoencoder(64, 12));
    assertEquals("the patch side must divide the lattice side 64 and be divisible by 8 for 3 pooling stages, found 12",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClosureAutoencoder(48, 16));
    assertEquals("the lattice side must be a power of two, at least 8, found 48", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClosureAutoencoder(16, 8, 0, new int[] {4, 4, 4}, 2));
    assertEquals("the closure dimension must be positive, found 0", e.getMessage());
  }
}
