package org.macronet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.RealNvp;
import org.macronet.training.linalg.Blas;
import org.macronet.training.linalg.Elementwise;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.Adam;

/**
 * Training-step throughput of RealNVP flows, matching shared/bench/realnvp_bench.py: a step is
 * forward (x -> z, log-det), the NLL 0.5 |z|^2 - logdet, backward and an Adam step (lr 1e-3) on a
 * batch of 256 drawn from a fixed pool of correlated Gaussian data. With T threads the batch is
 * split into T contiguous chunks whose gradients are summed in chunk order, as MacroNetTrainer
 * splits a batch: T - 1 pool threads and the caller; with T = 1 the caller's thread alone.
 * N1: D = 4, 8 couplings, subnet 2 -> 64 -> 64 -> 4 (ReLU); N2: D = 16, subnet 8 -> 128 -> 128 -> 16.
 */
public final class FlowBenchmark {
  /** One measurement; {@link #line()} is the RESULT line. */
  public record Result(String net, int dim, int hidden, int batch, int threads, int params, double medianMs,
      double p10Ms, double p90Ms, double samplesPerSecond, double finalLoss) {
    public String line() {
      return String.format(java.util.Locale.ROOT,
          "RESULT flow net=%s D=%d hidden=%d batch=%d threads=%d params=%d median_ms=%.3f p10_ms=%.3f p90_ms=%.3f "
              + "samples_per_s_median=%.0f final_loss=%.3f blas=%s elementwise=%s",
          net, dim, hidden, batch, threads, params, medianMs, p10Ms, p90Ms, samplesPerSecond, finalLoss,
          Blas.implementation(), Elementwise.get().description());
    }
  }

  private FlowBenchmark() {}

  public static Result run(String name, int dim, int hidden, int batch, int threads, int steps, int warmup) throws Exception {
    Flow flow = new RealNvp(dim, 8, new int[] {hidden, hidden}, Activation.RELU, 1.0, false, 1.0, 1).build(null);
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(0));
    SplittableRandom r = new SplittableRandom(1);
    float[] mix = new float[dim * dim];
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < dim; j++) {
        mix[i * dim + j] = (float) ((i == j ? 1 : 0) + 0.3 * r.nextGaussian());
      }
    }
    float[][] pool = new float[64][batch * dim];
    for (float[] b : pool) {
      for (int n = 0; n < batch; n++) {
        double[] g = new double[dim];
        for (int j = 0; j < dim; j++) {
          g[j] = r.nextGaussian();
        }
        for (int j = 0; j < dim; j++) {
          double s = 0;
          for (int k = 0; k < dim; k++) {
            s += g[k] * mix[k * dim + j];
          }
          b[n * dim + j] = (float) s;
        }
      }
    }
    Adam adam = new Adam(params.length);
    int chunk = (batch + threads - 1) / threads;
    Flow.Workspace[] ws = new Flow.Workspace[threads];
    float[][] grads = new float[threads][params.length];
    float[][] dz = new float[threads][chunk * dim];
    float[][] dl = new float[threads][chunk];
    double[] losses = new double[threads];
    for (int k = 0; k < threads; k++) {
      ws[k] = flow.newWorkspace(chunk);
    }
    ExecutorService ex = threads > 1 ? Executors.newFixedThreadPool(threads - 1) : null;
    float[] sum = threads > 1 ? new float[params.length] : grads[0];
    double[] times = new double[steps];
    double loss = 0;
    try {
      for (int s = 0; s < warmup + steps; s++) {
        float[] x = pool[s % 64];
        long t0 = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
          int kk = k;
          int from = k * batch / threads;
          int to = (k + 1) * batch / threads;
          Runnable task = () -> {
            int n = to - from;
            float[] xs = Arrays.copyOfRange(x, from * dim, to * dim);
            flow.forward(params, 0, xs, n, ws[kk]);
            float[] z = ws[kk].output();
            double l = 0;
            for (int i = 0; i < n; i++) {
              double sq = 0;
              for (int j = 0; j < dim; j++) {
                sq += z[i * dim + j] * z[i * dim + j];
                dz[kk][i * dim + j] = z[i * dim + j] / batch;
              }
              l += 0.5 * sq - ws[kk].logdet()[i];
              dl[kk][i] = -1f / batch;
            }
            losses[kk] = l;
            Arrays.fill(grads[kk], 0f);
            flow.backward(params, 0, dz[kk], dl[kk], n, ws[kk], grads[kk], 0, null);
          };
          if (k < threads - 1) {
            fs.add(ex.submit(task));
          } else {
            task.run();
          }
        }
        for (Future<?> f : fs) {
          f.get();
        }
        loss = 0;
        for (int k = 0; k < threads; k++) {
          loss += losses[k] / batch;
        }
        if (threads > 1) {
          System.arraycopy(grads[0], 0, sum, 0, sum.length);
          for (int k = 1; k < threads; k++) {
            float[] gk = grads[k];
            for (int i = 0; i < sum.length; i++) {
              sum[i] += gk[i];
            }
          }
        }
        adam.step(params, sum, 1e-3);
        if (s >= warmup) {
          times[s - warmup] = (System.nanoTime() - t0) / 1e6;
        }
      }
    } finally {
      if (ex != null) {
        ex.shutdownNow();
      }
    }
    Arrays.sort(times);
    double median = times[steps / 2];
    loss += 0.5 * dim * Math.log(2 * Math.PI);
    return new Result(name, dim, hidden, batch, threads, params.length, median, times[steps / 10], times[9 * steps / 10],
        batch / (median / 1e3), loss);
  }

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    System.out.println(run("N1", 4, 64, 256, threads, steps, warmup).line());
    System.out.println(run("N2", 16, 128, 256, threads, steps, warmup).line());
  }
}
