package org.macronet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.config.ConfigLoader;

/**
 * What the Spark training benchmarks run ({@code bench.train.*} keys): the systems and global
 * batch sizes of {@code train-step}, the training rows simulated for them, warm-up and measured
 * steps (or calls) per repetition, the Spark partitions (0: one per core the session's executors
 * offer) and the parameter counts of {@code train-comm}.
 */
public record TrainBenchSettings(List<String> systems, int[] batches, int rows, int warmup, int steps,
    int repetitions, int partitions, int[] commParameters) {
  /** The systems {@code train-step} knows, with their networks of conf/sho.conf, conf/lds.conf and conf/turing.conf. */
  public static final List<String> SYSTEMS = List.of("oscillator", "linear", "grayscott");
  /** The parameter counts {@code train-comm} accepts: from a tiny net to what one driver holds comfortably. */
  public static final int MIN_PARAMETERS = 100;
  public static final int MAX_PARAMETERS = 20_000_000;

  public TrainBenchSettings {
    ConfigException.require(!systems.isEmpty(), "bench.train.systems",
        "must list one or more of " + SYSTEMS + ", found none");
    for (String s : systems) {
      ConfigException.require(SYSTEMS.contains(s), "bench.train.systems",
          "must list one or more of " + SYSTEMS + ", found '" + s + "'");
    }
    ConfigException.require(rows >= 2, "bench.train.rows", "must be >= 2, found " + rows);
    ConfigException.require(batches.length > 0, "bench.train.batches", "must list one or more batch sizes, found none");
    for (int b : batches) {
      ConfigException.require(b >= 1 && b <= rows, "bench.train.batches",
          "each batch must lie in [1, bench.train.rows = " + rows + "], found " + b);
    }
    ConfigException.require(warmup >= 0, "bench.train.warmup", "must be >= 0, found " + warmup);
    ConfigException.require(steps >= 1, "bench.train.steps", "must be >= 1, found " + steps);
    ConfigException.require(repetitions >= 1, "bench.repetitions", "must be positive, found " + repetitions);
    ConfigException.require(partitions >= 0 && partitions <= rows, "bench.train.partitions",
        "must lie in [0, bench.train.rows = " + rows + "] (0: one per executor core), found " + partitions);
    ConfigException.require(commParameters.length > 0, "bench.train.comm-parameters",
        "must list one or more parameter counts, found none");
    for (int p : commParameters) {
      ConfigException.require(p >= MIN_PARAMETERS && p <= MAX_PARAMETERS, "bench.train.comm-parameters",
          "each count must lie in [" + MIN_PARAMETERS + ", " + MAX_PARAMETERS + "], found " + p);
    }
    systems = List.copyOf(systems);
    batches = batches.clone();
    commParameters = commParameters.clone();
  }

  public static TrainBenchSettings from(ConfigLoader c) {
    List<String> systems = new ArrayList<>();
    for (String s : c.string("bench.train.systems").split(",")) {
      if (!s.isBlank()) {
        systems.add(s.trim().toLowerCase(Locale.ROOT));
      }
    }
    return new TrainBenchSettings(systems, counts(c, "bench.train.batches"), c.intValue("bench.train.rows"),
        c.intValue("bench.train.warmup"), c.intValue("bench.train.steps"), c.intValue("bench.repetitions"),
        c.intValue("bench.train.partitions"), counts(c, "bench.train.comm-parameters"));
  }

  /** A comma-separated list of integers such as {@code "256,4096"} (1e6 is also read as 1000000). */
  private static int[] counts(ConfigLoader c, String key) {
    String raw = c.string(key);
    List<Integer> out = new ArrayList<>();
    for (String s : raw.split(",")) {
      if (s.isBlank()) {
        continue;
      }
      double v;
      try {
        v = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key, "must be a comma-separated list of integers, found '" + s.trim() + "' in '"
            + raw + "'");
      }
      ConfigException.require(v == Math.rint(v) && Math.abs(v) <= Integer.MAX_VALUE, key,
          "must be a comma-separated list of integers, found '" + s.trim() + "' in '" + raw + "'");
      out.add((int) v);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public int[] batches() {
    return batches.clone();
  }

  @Override
  public int[] commParameters() {
    return commParameters.clone();
  }

  @Override
  public String toString() {
    return "systems=" + systems + " batches=" + Arrays.toString(batches) + " rows=" + rows + " warmup=" + warmup
        + " steps=" + steps + " repetitions=" + repetitions + " partitions=" + (partitions == 0 ? "auto" : partitions)
        + " comm-parameters=" + Arrays.toString(commParameters);
  }
}
