package org.macronet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;

/** The Spark training benchmarks at a tiny size: every RESULT line is there with sane figures (no timing bars). */
class TrainBenchmarkTest {
  private static SparkSession spark;
  private static SparkResources resources;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("TrainBenchmarkTest");
    resources = SparkResources.await(spark);
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static TrainBenchSettings tiny(String... sets) {
    List<String> all = new java.util.ArrayList<>(List.of("bench.train.rows=300", "bench.train.batches=16,64",
        "bench.train.warmup=1", "bench.train.steps=3", "bench.repetitions=2", "bench.train.comm-parameters=200,3000"));
    all.addAll(List.of(sets));
    return TrainBenchSettings.from(ConfigLoader.load(null, all));
  }

  /** The key=value fields of every RESULT line of {@code workload} in {@code output}. */
  private static List<Map<String, String>> results(String output, String workload) {
    return output.lines().filter(l -> l.startsWith("RESULT " + workload + " ")).map(l -> {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String token : l.substring(("RESULT " + workload + " ").length()).split(" ")) {
        int eq = token.indexOf('=');
        assertTrue(eq > 0, "not key=value: '" + token + "' in " + l);
        fields.put(token.substring(0, eq), token.substring(eq + 1));
      }
      return fields;
    }).toList();
  }

  private static double positive(Map<String, String> fields, String key) {
    double v = finite(fields, key);
    assertTrue(v > 0, key + " = " + v + " in " + fields);
    return v;
  }

  private static double finite(Map<String, String> fields, String key) {
    assertTrue(fields.containsKey(key), key + " missing from " + fields);
    double v = Double.parseDouble(fields.get(key));
    assertTrue(Double.isFinite(v), key + " = " + v + " in " + fields);
    return v;
  }

  @Test
  void trainStepPrintsEachImplementationsStepTimeAndTheSparkOverhead() {
    // Given both systems at batches 16 and 64 on local[2] (2 partitions),
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TrainStepBenchmark.run(spark, resources, tiny(), 2, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    List<Map<String, String>> lines = results(buffer.toString(StandardCharsets.UTF_8), "train-step");

    // then there is a line for the JVM on 1 thread (and on every core when there are more) and for
    // Spark, per system and batch,
    int jvmRuns = Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1;
    assertEquals(2 * 2 * (jvmRuns + 1), lines.size(), buffer.toString(StandardCharsets.UTF_8));
    for (Map<String, String> f : lines) {
      assertTrue(List.of("oscillator", "linear").contains(f.get("system")), f.toString());
      assertTrue(List.of("16", "64").contains(f.get("batch")), f.toString());
      positive(f, "params");
      // two repetitions of three measured steps
      assertEquals(6, positive(f, "steps"));
      double median = positive(f, "median_ms");
      assertTrue(positive(f, "p10_ms") <= median && median <= positive(f, "p90_ms"), f.toString());
      assertEquals(Double.parseDouble(f.get("batch")) / (median / 1e3), positive(f, "samples_per_s"),
          0.01 * positive(f, "samples_per_s") + 1);
      if (f.get("impl").equals("spark")) {
        // with the floor of an empty job and the overhead over the JVM (a difference: either sign),
        assertEquals("2", f.get("partitions"));
        assertEquals("local[2]", f.get("master"));
        positive(f, "job_floor_ms");
        positive(f, "bare_job_ms");
        // Spark's task metrics of the measured steps: a task or more per step and partition
        assertTrue(positive(f, "tasks") >= 6 * 2, f.toString());
        positive(f, "task_result_kb");
        // (Spark's task times are whole milliseconds: a tiny task may take 0)
        for (String key : List.of("task_span_ms", "task_deserialize_ms", "task_run_ms", "task_result_serialize_ms")) {
          assertTrue(finite(f, key) >= 0, key + " in " + f);
        }
        finite(f, "scheduler_delay_ms");
        finite(f, "outside_tasks_ms");
        finite(f, "overhead_ms");
        assertTrue(finite(f, "overhead_min_ms") <= finite(f, "overhead_max_ms"), f.toString());
        positive(f, "vs_jvm_threads");
      } else {
        assertEquals("jvm", f.get("impl"));
        positive(f, "threads");
      }
    }
  }

  @Test
  void trainStepRunsTheGrayScottNetworkAndItsPartialSumsTravelAsFloats() {
    // Given the network of conf/turing.conf on 8 patterns, batch 4 on 2 partitions,
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TrainStepBenchmark.run(spark, resources, tiny("bench.train.systems=grayscott", "bench.train.rows=8",
        "bench.train.batches=4", "bench.repetitions=1", "bench.train.steps=2"), 2,
        new PrintStream(buffer, true, StandardCharsets.UTF_8));
    List<Map<String, String>> lines = results(buffer.toString(StandardCharsets.UTF_8), "train-step");

    // then every implementation ran its steps on the image flow,
    int jvmRuns = Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1;
    assertEquals(jvmRuns + 1, lines.size(), buffer.toString(StandardCharsets.UTF_8));
    Map<String, String> onSpark = lines.get(lines.size() - 1);
    for (Map<String, String> f : lines) {
      assertEquals("grayscott", f.get("system"));
      assertEquals(onSpark.get("params"), f.get("params"));
      assertEquals(2, positive(f, "steps"));
    }
    double params = positive(onSpark, "params");
    assertTrue(params > 100_000, "the image flow has " + params + " parameters");
    // and each partition's gradient sum (one chunk of 2 rows: exactly float) came back as 4 bytes a
    // parameter, not 8
    double resultKb = positive(onSpark, "task_result_kb");
    assertTrue(resultKb >= 4 * params / 1024 && resultKb < 4.5 * params / 1024,
        resultKb + " KB per task for " + params + " parameters");
  }

  @Test
  void trainCommPrintsTheCostOfACallAndItsPartsForEachParameterCount() {
    // Given parameter counts of 200 and 3,000 on 2 partitions,
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    TrainCommBenchmark.run(spark, resources, tiny(), 2, new PrintStream(buffer, true, StandardCharsets.UTF_8));
    List<Map<String, String>> lines = results(buffer.toString(StandardCharsets.UTF_8), "train-comm");

    // then one line each, with a network near the asked size and every timing positive.
    assertEquals(2, lines.size(), buffer.toString(StandardCharsets.UTF_8));
    int[] targets = {200, 3000};
    for (int i = 0; i < 2; i++) {
      Map<String, String> f = lines.get(i);
      double params = positive(f, "params");
      assertTrue(Math.abs(params - targets[i]) < 0.5 * targets[i], f.toString());
      assertEquals("2", f.get("partitions"));
      assertEquals(6, positive(f, "calls"));
      for (String key : List.of("sums_ms", "sums_p10_ms", "sums_p90_ms", "empty_job_ms", "broadcast_job_ms",
          "result_job_ms", "compute_ms", "broadcast_mb", "result_mb")) {
        positive(f, key);
      }
      finite(f, "broadcast_ms");
      finite(f, "aggregation_ms");
      // the empty aggregators travel as floats: 4 bytes a parameter and partition, plus a header
      assertEquals(2 * 4 * params / 1e6, positive(f, "result_mb"), 0.0015 + 0.05 * 2 * 4 * params / 1e6, f.toString());
    }
  }

  @Test
  void widerNetworksReachTheAskedParameterCounts() {
    var data = TrainingProblem.simulate("oscillator", 256);
    for (int target : new int[] {1_000, 10_000, 100_000}) {
      int p = TrainingProblem.oscillatorOfSize(data, target).parameterCount();
      assertTrue(Math.abs(p - target) < 0.1 * target, "asked " + target + ", built " + p);
    }
  }

  @Test
  void badKeysAreRefusedNamingTheKeyAndTheValue() {
    ConfigException batches = assertThrows(ConfigException.class, () -> tiny("bench.train.batches=16,x"));
    assertEquals("bench.train.batches", batches.key());
    assertTrue(batches.getMessage().contains("'x'"), batches.getMessage());
    ConfigException tooBig = assertThrows(ConfigException.class, () -> tiny("bench.train.batches=1000"));
    assertTrue(tooBig.getMessage().contains("bench.train.rows = 300], found 1000"), tooBig.getMessage());
    ConfigException system = assertThrows(ConfigException.class, () -> tiny("bench.train.systems=lorenz"));
    assertEquals("bench.train.systems: must list one or more of [oscillator, linear, grayscott], found 'lorenz'",
        system.getMessage());
    assertEquals("bench.train.steps", assertThrows(ConfigException.class, () -> tiny("bench.train.steps=0")).key());
    assertEquals("bench.train.comm-parameters",
        assertThrows(ConfigException.class, () -> tiny("bench.train.comm-parameters=10")).key());
    assertEquals("bench.train.partitions",
        assertThrows(ConfigException.class, () -> tiny("bench.train.partitions=-1")).key());
  }
}
