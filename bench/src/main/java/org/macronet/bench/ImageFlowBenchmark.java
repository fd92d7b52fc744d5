package org.macronet.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.image.ImageFlow;
import org.macronet.training.flow.image.ImageShape;
import org.macronet.training.linalg.Blas;
import org.macronet.training.nn.Activation;

/**
 * Forward + backward throughput of an image flow on Gray-Scott-sized rows (2 x 64 x 64): per step,
 * forward (x -> z, log-det) of a batch, the NLL 0.5 |z|^2 - logdet and the backward pass into the
 * parameter gradient, on one thread (the trainers run one such pass per thread). The data are
 * smooth random fields (a few periodic Fourier modes per channel plus noise), not white noise, so
 * that the activations look like patterns'. Matches {@code bench/image-flow/image_flow_bench.py}.
 */
public final class ImageFlowBenchmark {
  /** One measurement; {@link #line()} is the RESULT line. */
  public record Result(String net, ImageFlow spec, int batch, int params, double medianMs, double p10Ms, double p90Ms,
      double samplesPerSecond) {
    public String line() {
      return String.format(Locale.ROOT,
          "RESULT image-flow net=%s shape=%s scales=%d steps=%d hidden=%s head=%dx%s batch=%d params=%d median_ms=%.2f "
              + "p10_ms=%.2f p90_ms=%.2f samples_per_s_median=%.1f blas=%s",
          net, spec.shape(), spec.scales(), spec.steps(), Arrays.toString(spec.hidden()).replace(" ", ""),
          spec.headCouplings(), Arrays.toString(spec.headHidden()).replace(" ", ""), batch, params, medianMs, p10Ms,
          p90Ms, samplesPerSecond, Blas.implementation());
    }
  }

  private ImageFlowBenchmark() {}

  /** The default v-flow of conf/turing.conf. */
  public static ImageFlow turing(int scales, int steps, int[] hidden, int head, int headHidden) {
    return new ImageFlow(new ImageShape(2, 64, 64), scales, steps, hidden, 3, Activation.RELU, 2.0, 0.05, head,
        new int[] {headHidden}, 1);
  }

  public static Result run(String name, ImageFlow spec, int batch, int steps, int warmup) {
    Flow flow = spec.build(null);
    int dim = flow.dim();
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(0));
    float[] x = smoothFields(spec.shape(), batch, new SplittableRandom(1));
    flow.initialiseFromData(params, 0, x, batch);
    Flow.Workspace ws = flow.newWorkspace(batch);
    float[] grad = new float[params.length];
    float[] dz = new float[batch * dim];
    float[] dl = new float[batch];
    Arrays.fill(dl, -1f / batch);
    double[] times = new double[steps];
    for (int s = 0; s < warmup + steps; s++) {
      long t0 = System.nanoTime();
      flow.forward(params, 0, x, batch, ws);
      float[] z = ws.output();
      for (int i = 0; i < batch * dim; i++) {
        dz[i] = z[i] / batch;
      }
      Arrays.fill(grad, 0f);
      flow.backward(params, 0, dz, dl, batch, ws, grad, 0, null);
      if (s >= warmup) {
        times[s - warmup] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(times);
    double median = times[steps / 2];
    return new Result(name, spec, batch, params.length, median, times[steps / 10], times[(9 * steps) / 10],
        batch / (median / 1e3));
  }

  /** Rows of smooth periodic fields: 4 random Fourier modes per channel plus 5% noise. */
  static float[] smoothFields(ImageShape shape, int n, SplittableRandom r) {
    int h = shape.height();
    int w = shape.width();
    float[] x = new float[n * shape.dim()];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < shape.channels(); c++) {
        int base = i * shape.dim() + c * h * w;
        for (int m = 0; m < 4; m++) {
          int ky = r.nextInt(1, 9);
          int kx = r.nextInt(1, 9);
          double phase = 2 * Math.PI * r.nextDouble();
          for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
              x[base + y * w + xx] += (float) (0.5 * Math.cos(2 * Math.PI * (ky * y / (double) h + kx * xx
                  / (double) w) + phase));
            }
          }
        }
        for (int p = 0; p < h * w; p++) {
          x[base + p] += (float) (0.05 * r.nextGaussian());
        }
      }
    }
    return x;
  }

  /** Arguments: steps (default 20), warmup (5), batch (32). */
  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    runNetworks(steps, warmup, batch, System.out);
  }

  /** Measures I1 and I2 and prints each one's RESULT line as soon as it is done. */
  public static void runNetworks(int steps, int warmup, int batch, PrintStream out) {
    out.println(run("I1", turing(4, 4, new int[] {32, 64, 64, 64}, 2, 256), batch, steps, warmup).line());
    out.flush();
    out.println(run("I2", turing(4, 2, new int[] {16, 32, 32, 32}, 2, 128), batch, steps, warmup).line());
    out.flush();
  }
}
