package org.macronet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.macronet.systems.grayscott.GrayScottBatch;
import org.macronet.systems.grayscott.GrayScottKernel;
import org.macronet.systems.grayscott.JavaGrayScottKernel;
import org.macronet.systems.grayscott.OpenClGrayScottKernel;

/**
 * Dependency-free throughput benchmark of a {@link GrayScottKernel} on the two reference
 * workloads of {@code shared/bench/gs_avx512.c}, with the same model, parameters and initial
 * state (a = 1, b = 0, a centred square of side size/4 with b = 0.25 +- 0.05 from the C
 * reference's hash), so the checksum (sum of b over all grids) can be compared with its
 * {@code chk=} output:
 * <ul>
 *   <li>{@code w1}: 256 grids of 64 x 64, 2,000 steps;</li>
 *   <li>{@code w2}: one 1024 x 1024 grid, 500 steps.</li>
 * </ul>
 * One untimed warm-up run, then {@code repetitions} runs timed with {@link System#nanoTime()};
 * the batch is re-initialised (untimed) before each run.
 *
 * <p>Usage: {@code java [--add-modules jdk.incubator.vector] -cp ... org.macronet.bench.KernelBenchmark
 * [w1|w2|all] [repetitions] [threads[,threads...]] [auto|scalar]}.
 */
public final class KernelBenchmark {

  /** Gray-Scott parameters of the reference workloads. */
  public static final double DA = 0.2097;
  public static final double DB = 0.105;
  public static final double F = 0.037;
  public static final double K = 0.06;

  private KernelBenchmark() {}

  /** One benchmark outcome; rates in cell-updates per second. */
  public record Result(String kernel, String workload, int threads, int repetitions,
                       double medianCups, double minCups, double maxCups, double checksum) {
    /** Median rate per thread. */
    public double perThreadCups() {
      return medianCups / threads;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "RESULT impl=%s workload=%s threads=%d reps=%d median_cups=%.4e per_thread=%.4e min=%.4e max=%.4e chk=%.6f",
          kernel.replace(' ', '_'), workload, threads, repetitions, medianCups, perThreadCups(), minCups, maxCups,
          checksum);
    }
  }

  /** Shape of a workload. */
  private record Workload(String name, int count, int size, int steps) {
    double cellUpdates() {
      return (double) count * size * size * steps;
    }
  }

  private static Workload workload(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "w1":
        return new Workload("w1", 256, 64, 2000);
      case "w2":
        return new Workload("w2", 1, 1024, 500);
      default:
        throw new IllegalArgumentException("unknown workload " + name + " (w1 or w2)");
    }
  }

  /** Runs {@code workload} ("w1" or "w2") on {@code kernel}; threads taken from the kernel where it says. */
  public static Result run(GrayScottKernel kernel, String workload, int repetitions) {
    int threads = kernel instanceof JavaGrayScottKernel ? ((JavaGrayScottKernel) kernel).threads() : 1;
    return run(kernel, workload, repetitions, threads);
  }

  /** Runs {@code workload} ("w1" or "w2") on {@code kernel}, which uses {@code threads} threads. */
  public static Result run(GrayScottKernel kernel, String workload, int repetitions, int threads) {
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be positive, found " + repetitions);
    }
    Workload w = workload(workload);
    GrayScottBatch batch = new GrayScottBatch(w.count, w.size, 1f);
    init(batch, w.count == 1 ? 12345 : 0);
    kernel.advance(batch, w.steps); // warm-up
    double[] rates = new double[repetitions];
    double checksum = 0;
    for (int r = 0; r < repetitions; r++) {
      init(batch, w.count == 1 ? 12345 : 0);
      long t0 = System.nanoTime();
      kernel.advance(batch, w.steps);
      long t1 = System.nanoTime();
      rates[r] = w.cellUpdates() / ((t1 - t0) * 1e-9);
      checksum = sum(batch.b);
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    double median = repetitions % 2 == 1
        ? sorted[repetitions / 2]
        : 0.5 * (sorted[repetitions / 2 - 1] + sorted[repetitions / 2]);
    return new Result(kernel.description(), w.name, threads, repetitions, median, sorted[0],
        sorted[repetitions - 1], checksum);
  }

  /**
   * The reference initial state: every grid a = 1, b = 0 except a centred square
   * {@code [n/2 - n/8, n/2 + n/8)^2} where b = 0.25 + 0.1 (u - 0.5), u uniform from a hash of
   * (row, column, seed); grid {@code g} uses seed {@code seed0 + g}. Parameters DA, DB, F, K.
   */
  public static void init(GrayScottBatch batch, int seed0) {
    int n = batch.size;
    int lo = n / 2 - n / 8;
    int hi = n / 2 + n / 8;
    for (int g = 0; g < batch.count; g++) {
      batch.setParameters(g, DA, DB, F, K);
      int base = g * n * n;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          float v = 0f;
          if (i >= lo && i < hi && j >= lo && j < hi) {
            float u = (float) (hash3(i, j, seed0 + g) >>> 8) * (1.0f / 16777216.0f);
            v = 0.25f + 0.1f * (u - 0.5f);
          }
          batch.a[base + i * n + j] = 1f;
          batch.b[base + i * n + j] = v;
        }
      }
    }
  }

  /** The C reference's hash (uint32 arithmetic). */
  static int hash3(int i, int j, int s) {
    int h = (i * 73856093) ^ (j * 19349663) ^ ((s + 1) * 83492791);
    h ^= h >>> 16;
    h *= 0x7feb352d;
    h ^= h >>> 15;
    h *= 0x846ca68b;
    h ^= h >>> 16;
    return h;
  }

  private static double sum(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v;
    }
    return s;
  }

  public static void main(String[] args) {
    String which = args.length > 0 ? args[0] : "all";
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String threadList = args.length > 2 ? args[2] : "1";
    boolean allowVector = args.length <= 3 || !"scalar".equalsIgnoreCase(args[3]);
    List<String> workloads = "all".equalsIgnoreCase(which) ? List.of("w1", "w2") : List.of(which);
    List<Result> results = new ArrayList<>();
    for (String ts : threadList.split(",")) {
      int threads = Integer.parseInt(ts.trim());
      try (JavaGrayScottKernel kernel = new JavaGrayScottKernel(threads, allowVector)) {
        for (String w : workloads) {
          Result r = run(kernel, w, reps, threads);
          results.add(r);
          System.out.println(r);
        }
      }
    }
  }
}
