package org.macronet.jobs.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.simulation.config.ConfigException;
import org.macronet.simulation.grayscott.GrayScottKernel;
import org.macronet.simulation.grayscott.GrayScottSettings;
import org.macronet.simulation.grayscott.JavaGrayScottKernel;
import org.macronet.simulation.grayscott.KernelBenchmark;
import org.macronet.simulation.grayscott.OpenClGrayScottKernel;

/**
 * {@code macronet bench}: cell-updates per second of each Gray-Scott kernel on the reference
 * workloads (W1, W2 of shared/bench), then the default Gray-Scott {@code generate} job's
 * throughput as a fraction of the Java kernel's on the same cores. Prints one
 * {@code RESULT} line per figure, in the format of the C and numpy references.
 */
final class Bench {
  private Bench() {}

  static int run(CommandLine cl, PrintStream out) throws IOException {
    ConfigLoader c = ConfigLoader.load(cl.conf(), cl.sets());
    List<String> workloads = list(c.string("bench.workloads"));
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
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf("bench: %d cores, %s %s, %s%n", cores, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), System.getProperty("os.arch"));
    double javaAllCores = 0;
    for (String kernel : kernels) {
      switch (kernel) {
        case "java" -> {
          for (int t : threads) {
            try (JavaGrayScottKernel k = new JavaGrayScottKernel(t)) {
              for (String w : workloads) {
                KernelBenchmark.Result r = KernelBenchmark.run(k, w, reps, t);
                out.println(r);
                if (w.equals("w1") && t == cores) {
                  javaAllCores = r.medianCups();
                }
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
            for (String w : workloads) {
              out.println(KernelBenchmark.run(opencl, w, reps, 1));
            }
          }
        }
        default -> throw new ConfigException("bench.kernels", "must list java and/or opencl, found '" + kernel + "'");
      }
    }
    long samples = c.longValue("bench.generate-samples");
    if (samples > 0) {
      benchGenerate(cl, samples, javaAllCores, cores, out);
    }
    return 0;
  }

  private static void benchGenerate(CommandLine cl, long samples, double kernelCups, int cores, PrintStream out)
      throws IOException {
    Path dir = Files.createTempDirectory("macronet-bench");
    List<String> sets = new ArrayList<>(List.of("system=grayscott", "output.dir=" + dir,
        "generate.samples=" + samples, "generate.partitions=" + Math.max(4 * cores, 8),
        "simulation.grayscott.kernel=java", "simulation.grayscott.threads=1", "progress.interval=30"));
    GenerateConfig config = GenerateConfig.from(ConfigLoader.load(null, sets));
    GrayScottSettings s = ((org.macronet.simulation.grayscott.GrayScottSystem) config.system()).settings();
    try (SparkSession spark = SparkSessions.create("macronet bench", cl.master(), java.util.Map.of())) {
      // warm the session and the JIT on a small job first
      GenerateJob.run(spark, GenerateConfig.from(ConfigLoader.load(null, List.of("system=grayscott",
          "output.dir=" + dir.resolve("warm"), "generate.samples=16", "progress.interval=0",
          "simulation.grayscott.kernel=java"))), new PrintStream(java.io.OutputStream.nullOutputStream()));
      long t0 = System.nanoTime();
      DatasetMetadata md = GenerateJob.run(spark, config, out);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cups = (double) md.rows() * s.cells() * s.steps() / seconds;
      out.printf(Locale.ROOT, "RESULT impl=generate-job workload=%dx%dx%d_steps=%d seconds=%.1f cups=%.4e"
          + " samples_per_s=%.2f of_kernel=%s%n", samples, s.size(), s.size(), s.steps(), seconds, cups,
          samples / seconds, kernelCups > 0 ? String.format(Locale.ROOT, "%.2f", cups / kernelCups) : "n/a");
    } finally {
      org.apache.hadoop.fs.FileUtil.fullyDelete(dir.toFile());
    }
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
