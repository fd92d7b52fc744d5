package org.macronet.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.cli.Command;
import org.macronet.jobs.cli.CommandLine;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.simulation.PairSystem;
import org.macronet.systems.grayscott.GrayScottKernel;
import org.macronet.systems.grayscott.GrayScottSettings;
import org.macronet.systems.grayscott.JavaGrayScottKernel;
import org.macronet.systems.grayscott.OpenClGrayScottKernel;

/**
 * {@code macronet bench}: the workloads named in {@code bench.workloads}, in this order:
 * cell-updates per second of each Gray-Scott kernel on the reference workloads (W1, W2 of
 * shared/bench); the default Gray-Scott {@code generate} job's throughput as a fraction of the same
 * simulation run without Spark on the same cores ({@code generate}); the Spark trainer's time per
 * step against the single-JVM trainer's ({@code train-step}, {@link TrainStepBenchmark}) and its
 * broadcast and aggregation cost as the parameter count grows ({@code train-comm},
 * {@link TrainCommBenchmark}). Prints one {@code RESULT} line per figure, the kernels' in the
 * format of the C and numpy references. {@code bench flows} and {@code bench image-flow} time the
 * flows' training step ({@link FlowBenchmark}, {@link ImageFlowBenchmark}).
 */
public final class BenchCommand implements Command {
  static final String TRAIN_STEP = "train-step";
  static final String TRAIN_COMM = "train-comm";
  /** Kernel workloads (shared/bench), the generate job, and the Spark training workloads. */
  static final List<String> WORKLOADS = List.of("w1", "w2", "generate", TRAIN_STEP, TRAIN_COMM);

  @Override
  public String name() {
    return "bench";
  }

  @Override
  public String defaultsResource() {
    return "defaults.conf";
  }

  @Override
  public List<String> usage() {
    return List.of("measure the Gray-Scott kernels and the generate job; with",
        "--set bench.workloads=train-step,train-comm the Spark trainer's time per step",
        "against the single JVM's, and its broadcast and aggregation cost;",
        "'bench flows [THREADS] [STEPS]': the flows' training step (N1, N2);",
        "'bench image-flow [STEPS] [BATCH]': the image flows' forward + backward (I1, I2);",
        "'bench kmc [BUDGET_S] [L...]': Glauber events per second, n-fold way and O(N) draw");
  }

  @Override
  public int run(CommandLine cl, PrintStream out) throws Exception {
    if (!cl.arguments().isEmpty() && cl.arguments().get(0).equals("flows")) {
      // bench flows [threads] [steps]: the RealNVP training step of shared/bench/realnvp_bench.py
      int threads = cl.arguments().size() > 1 ? Integer.parseInt(cl.arguments().get(1)) : 1;
      int steps = cl.arguments().size() > 2 ? Integer.parseInt(cl.arguments().get(2)) : 1000;
      out.println(FlowBenchmark.run("N1", 4, 64, 256, threads, steps, 200).line());
      out.println(FlowBenchmark.run("N2", 16, 128, 256, threads, steps, 200).line());
      return 0;
    }
    if (!cl.arguments().isEmpty() && cl.arguments().get(0).equals("kmc")) {
      // bench kmc [BUDGET_S] [L...]: Glauber events per second beside shared/bench/ising_kmc.py
      double budget = cl.arguments().size() > 1 ? Double.parseDouble(cl.arguments().get(1)) : 2.0;
      List<Integer> sides = new ArrayList<>();
      for (int i = 2; i < cl.arguments().size(); i++) {
        sides.add(positiveArgument(cl, i, "L", 16));
      }
      for (int side : sides.isEmpty() ? List.of(16, 64, 256) : sides) {
        KmcBenchmark.Result scan = KmcBenchmark.run("scan", side, budget);
        KmcBenchmark.Result nfold = KmcBenchmark.run("nfold", side, budget);
        out.println(scan.line());
        out.println(nfold.line());
        out.printf(Locale.ROOT, "bench: kmc L=%d n-fold way %.3g events/s, O(N) draw %.3g events/s, ratio %.1fx%n",
            side, nfold.eventsPerSecond(), scan.eventsPerSecond(), nfold.eventsPerSecond() / scan.eventsPerSecond());
      }
      return 0;
    }
    if (!cl.arguments().isEmpty() && cl.arguments().get(0).equals("image-flow")) {
      // bench image-flow [steps] [batch]: one thread, as bench/image-flow/image_flow_bench.py
      int steps = positiveArgument(cl, 1, "STEPS", 20);
      int batch = positiveArgument(cl, 2, "BATCH", 32);
      ImageFlowBenchmark.runNetworks(steps, 5, batch, out);
      return 0;
    }
    return measure(cl, out);
  }

  /** The {@code index}-th argument of {@code bench image-flow} as a positive integer, or {@code fallback} when absent. */
  private static int positiveArgument(CommandLine cl, int index, String name, int fallback) {
    if (cl.arguments().size() <= index) {
      return fallback;
    }
    String value = cl.arguments().get(index);
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      parsed = 0;
    }
    ConfigException.require(parsed > 0, "bench image-flow " + name, "must be a positive integer, found '" + value
        + "'; usage: macronet bench image-flow [STEPS] [BATCH]");
    return parsed;
  }

  private static int measure(CommandLine cl, PrintStream out) throws IOException {
    ConfigLoader c = ConfigLoader.load(cl.conf(), cl.sets());
    List<String> workloads = list(c.string("bench.workloads"));
    for (String w : workloads) {
      ConfigException.require(WORKLOADS.contains(w), "bench.workloads",
          "must list some of " + String.join(", ", WORKLOADS) + ", found '" + w + "'");
    }
    List<String> kernelWorkloads = workloads.stream().filter(w -> w.equals("w1") || w.equals("w2")).toList();
    List<String> kernels = list(c.string("bench.kernels"));
    int reps = c.intValue("bench.repetitions");
    ConfigException.require(reps >= 1, "bench.repetitions", "must be positive, found " + reps);
    List<Integer> threads = new ArrayList<>();
    for (String t : list(c.string("bench.threads"))) {
      try {
        threads.add(Integer.parseInt(t));
      } catch (NumberFormatException e) {
        throw new ConfigException("bench.threads", "must be a comma-separated list of thread counts, found '" + t + "'");
      }
    }
    for (String kernel : kernels) {
      ConfigException.require(kernel.equals("java") || kernel.equals("opencl"), "bench.kernels",
          "must list java and/or opencl, found '" + kernel + "'");
    }
    long samples = c.longValue("bench.generate-samples");
    TrainBenchSettings train = TrainBenchSettings.from(c);
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf("bench: %d cores, %s %s, %s%n", cores, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), System.getProperty("os.arch"));
    for (String kernel : kernelWorkloads.isEmpty() ? List.<String>of() : kernels) {
      switch (kernel) {
        case "java" -> {
          for (int t : threads) {
            try (JavaGrayScottKernel k = new JavaGrayScottKernel(t)) {
              for (String w : kernelWorkloads) {
                KernelBenchmark.Result r = KernelBenchmark.run(k, w, reps, t);
                out.println(r);
              }
            }
          }
        }
        case "opencl" -> {
          Optional<OpenClGrayScottKernel> k = OpenClGrayScottKernel.open();
          if (k.isEmpty()) {
            out.println("bench: opencl skipped: no OpenCL device");
            continue;
          }
          try (GrayScottKernel opencl = k.get()) {
            for (String w : kernelWorkloads) {
              out.println(KernelBenchmark.run(opencl, w, reps, 1));
            }
          }
        }
        default -> throw new IllegalStateException("unchecked kernel " + kernel);
      }
    }
    if (workloads.contains("generate") && samples > 0) {
      benchGenerate(cl, samples, reps, cores, out);
    }
    if (workloads.contains(TRAIN_STEP) || workloads.contains(TRAIN_COMM)) {
      benchTraining(cl, c, workloads, train, out);
    }
    return 0;
  }

  /**
   * The Spark training workloads on one session of {@code --master}: one partition per executor
   * core unless {@code bench.train.partitions} says otherwise.
   */
  private static void benchTraining(CommandLine cl, ConfigLoader c, List<String> workloads, TrainBenchSettings train,
      PrintStream out) throws IOException {
    try (SparkSession spark = SparkSessions.create("macronet bench", cl.master(), c.sparkSettings())) {
      SparkResources resources = SparkResources.await(spark);
      int partitions = train.partitions() > 0 ? train.partitions() : resources.cores();
      out.printf(Locale.ROOT, "bench: Spark %s on %s: %d executor(s), %d core(s), %d partition(s); %s%n",
          spark.version(), resources.master(), resources.executors(), resources.cores(), partitions, train);
      if (workloads.contains(TRAIN_STEP)) {
        TrainStepBenchmark.run(spark, resources, train, partitions, out);
      }
      if (workloads.contains(TRAIN_COMM)) {
        TrainCommBenchmark.run(spark, resources, train, partitions, out);
      }
    }
  }

  /**
   * Times the default Gray-Scott {@code generate} job on {@code samples} samples against the
   * same simulation without Spark (every core running the job's simulator on blocks of
   * {@code generate.block} samples, results discarded), alternating the two
   * {@code repetitions} times after one small warm-up job, and prints each pair's ratio, the
   * medians, and the ratio of the best times (the least disturbed where other work shares the
   * machine).
   */
  private static void benchGenerate(CommandLine cl, long samples, int reps, int cores, PrintStream out)
      throws IOException {
    Path dir = Files.createTempDirectory("macronet-bench");
    // 8 tasks per core: the last wave, when a core may idle, is then about 1/8 of a core's work
    List<String> sets = new ArrayList<>(List.of("system=grayscott", "generate.samples=" + samples,
        "generate.partitions=" + 8 * cores, "simulation.grayscott.kernel=java",
        "simulation.grayscott.threads=1", "progress.interval=0"));
    sets.addAll(cl.sets().stream().filter(s -> s.startsWith("generate.") || s.startsWith("simulation.")).toList());
    GrayScottSettings s = ((org.macronet.systems.grayscott.GrayScottSystem)
        generateConfig(sets, dir.resolve("probe")).pairSystem()).settings();
    double cellUpdates = (double) samples * s.cells() * s.steps();
    out.printf(Locale.ROOT, "bench: generate %d Gray-Scott samples (%dx%d, %d steps) on %d cores, %d repetitions%n",
        samples, s.size(), s.size(), s.steps(), cores, reps);
    double[] kernelSeconds = new double[reps];
    double[] jobSeconds = new double[reps];
    try (SparkSession spark = SparkSessions.create("macronet bench", cl.master(), java.util.Map.of())) {
      // warm the session and the JIT on a small job first
      List<String> warm = new ArrayList<>(sets);
      warm.add("generate.samples=" + Math.min(samples, 64));
      GenerateJob.run(spark, generateConfig(warm, dir.resolve("warm")),
          new PrintStream(java.io.OutputStream.nullOutputStream()));
      for (int rep = 0; rep < reps; rep++) {
        GenerateConfig config = generateConfig(sets, dir.resolve("run-" + rep));
        long c0 = processCpuNanos();
        kernelSeconds[rep] = simulateOnly(config, cores);
        long c1 = processCpuNanos();
        long t0 = System.nanoTime();
        DatasetMetadata md = GenerateJob.run(spark, config, out);
        jobSeconds[rep] = (System.nanoTime() - t0) / 1e9;
        long c2 = processCpuNanos();
        if (md.rows() != samples) {
          throw new IllegalStateException("bench job wrote " + md.rows() + " rows, expected " + samples);
        }
        // CPU seconds of this process: less disturbed than wall time by other work on the machine
        out.printf(Locale.ROOT, "bench: repetition %d: simulation alone %.2f s (%.1f samples/s, %.1f CPU s),"
                + " generate job %.2f s (%.1f samples/s, %.1f CPU s), ratio %.3f%n", rep + 1, kernelSeconds[rep],
            samples / kernelSeconds[rep], (c1 - c0) / 1e9, jobSeconds[rep], samples / jobSeconds[rep],
            (c2 - c1) / 1e9, kernelSeconds[rep] / jobSeconds[rep]);
        org.apache.hadoop.fs.FileUtil.fullyDelete(dir.resolve("run-" + rep).toFile());
      }
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(dir.toFile());
    }
    double[] ratios = new double[reps];
    for (int i = 0; i < reps; i++) {
      ratios[i] = kernelSeconds[i] / jobSeconds[i];
    }
    String workload = String.format(Locale.ROOT, "%dx%dx%d_steps=%d", samples, s.size(), s.size(), s.steps());
    double k = median(kernelSeconds);
    double j = median(jobSeconds);
    out.printf(Locale.ROOT, "RESULT impl=simulation-only workload=%s threads=%d reps=%d seconds=%.2f"
        + " samples_per_s=%.1f cups=%.4e%n", workload, cores, reps, k, samples / k, cellUpdates / k);
    out.printf(Locale.ROOT, "RESULT impl=generate-job workload=%s threads=%d reps=%d seconds=%.2f"
        + " samples_per_s=%.1f cups=%.4e of_kernel=%.3f min=%.3f max=%.3f of_kernel_best=%.3f%n", workload, cores,
        reps, j, samples / j, cellUpdates / j, median(ratios), Arrays.stream(ratios).min().orElse(0),
        Arrays.stream(ratios).max().orElse(0), min(kernelSeconds) / min(jobSeconds));
  }

  private static GenerateConfig generateConfig(List<String> sets, Path outputDir) {
    List<String> all = new ArrayList<>(sets);
    all.add("output.dir=" + outputDir);
    return GenerateConfig.from(ConfigLoader.load(null, all));
  }

  /**
   * Seconds to simulate the configuration's samples without Spark: {@code threads} threads,
   * each with its own simulator, taking blocks of {@code generate.block} samples in turn.
   */
  static double simulateOnly(GenerateConfig config, int threads) {
    PairSystem.Sampling sampling = new PairSystem.Sampling(config.seed(), config.seedsPerPoint());
    AtomicLong next = new AtomicLong();
    Runnable worker = () -> {
      try (PairSystem.BlockSimulator sim = config.pairSystem().openSimulator()) {
        for (long first = next.getAndAdd(config.block()); first < config.samples();
             first = next.getAndAdd(config.block())) {
          sim.simulate(sampling, first, (int) Math.min(config.block(), config.samples() - first));
        }
      }
    };
    long t0 = System.nanoTime();
    List<Thread> pool = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(worker, "bench-simulate-" + t);
      th.start();
      pool.add(th);
    }
    for (Thread th : pool) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static long processCpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }

  private static double min(double[] x) {
    return Arrays.stream(x).min().orElse(Double.NaN);
  }

  private static double median(double[] x) {
    return Timing.of(x).median();
  }

  private static List<String> list(String csv) {
    List<String> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim().toLowerCase(Locale.ROOT));
      }
    }
    return out;
  }
}
