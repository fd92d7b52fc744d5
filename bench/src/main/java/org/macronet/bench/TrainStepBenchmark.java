package org.macronet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.train.SparkTrainer;
import org.macronet.training.data.PairBlock;
import org.macronet.training.macronet.MacroNetTrainer;
import org.macronet.training.macronet.TrainingState;

/**
 * {@code bench.workloads = train-step}: milliseconds per training step of the single-JVM trainer
 * (1 thread, and one thread per core of this JVM) and of {@link SparkTrainer} on the session's
 * master (one partition per executor core), for each system and global batch, on pairs simulated
 * in-process. A step is all that the optimiser loop does: the step's minibatch rows, the loss and
 * gradient sums, clip and Adam; it is timed from one progress callback (every step) to the next,
 * so the figures are what a training run sees.
 *
 * <p>Each repetition runs warm-up plus measured steps from the same initial state for every
 * implementation, in an order that rotates between repetitions, so that a busy spell on a shared
 * machine does not fall on one implementation only. After each Spark run the same number of
 * empty jobs (one task per partition, returning its index) on the cached training blocks gives the
 * floor that Spark puts under every step, whatever the network; the same empty jobs on an RDD of
 * one integer per partition ({@code bare_job}) show what of that floor comes from the blocks
 * themselves (a task of an RDD made by {@code parallelize} carries its partition's values, cached
 * or not). The overhead is the Spark median minus the median of the JVM run with the thread count
 * nearest to the partition count (the same parallelism). Spark's task metrics of the measured steps
 * ({@link TaskTimes}) say how much of a step its tasks take (launch to finish, of which deserialising
 * the task, running it and serialising its result) and so how much happens outside them: scheduling,
 * serialising tasks, fetching and merging results, the broadcast, and the optimiser on the driver.
 * Spark runs 200 empty jobs first so that its own code is compiled before anything is timed.
 */
public final class TrainStepBenchmark {
  private TrainStepBenchmark() {}

  /** One implementation's steps on one system and batch. */
  public record Result(String system, int parameters, int batch, String impl, int threads, Timing step,
      Timing jobFloor, Timing bareJob, double overheadMs, double overheadMinMs, double overheadMaxMs,
      int versusThreads, SparkResources spark, TaskTimes.Summary tasks, double outsideTasksMs) {
    public double samplesPerSecond() {
      return batch / (step.median() / 1e3);
    }

    /** The RESULT line: JVM runs name their threads, Spark runs their master, executors, partitions and overhead. */
    public String line() {
      String head = String.format(Locale.ROOT, "RESULT train-step system=%s params=%d batch=%d impl=%s", system,
          parameters, batch, impl);
      String timing = String.format(Locale.ROOT, "steps=%d median_ms=%.3f p10_ms=%.3f p90_ms=%.3f samples_per_s=%.0f",
          step.count(), step.median(), step.p10(), step.p90(), samplesPerSecond());
      if (jobFloor == null) {
        return head + " threads=" + threads + " " + timing;
      }
      return head + " master=" + spark.master() + " executors=" + spark.executors() + " partitions=" + threads + " "
          + timing + String.format(Locale.ROOT, " job_floor_ms=%.3f bare_job_ms=%.3f overhead_ms=%.3f "
          + "overhead_min_ms=%.3f overhead_max_ms=%.3f vs_jvm_threads=%d tasks=%d task_span_ms=%.3f "
          + "task_deserialize_ms=%.3f task_run_ms=%.3f task_result_serialize_ms=%.3f scheduler_delay_ms=%.3f "
          + "task_result_kb=%.1f outside_tasks_ms=%.3f", jobFloor.median(), bareJob.median(), overheadMs,
          overheadMinMs, overheadMaxMs, versusThreads, tasks.tasks(), tasks.spanMs(), tasks.deserializeMs(),
          tasks.runMs(), tasks.resultSerializeMs(), tasks.schedulerDelayMs(), tasks.resultKb(), outsideTasksMs);
    }
  }

  private record Impl(String name, int threads) {
    boolean spark() {
      return name.equals("spark");
    }
  }

  /**
   * Runs every system and batch of {@code settings} with {@code partitions} Spark partitions and
   * prints a RESULT line per implementation (progress lines start with {@code bench:}).
   */
  public static List<Result> run(SparkSession spark, SparkResources resources, TrainBenchSettings settings,
      int partitions, PrintStream out) {
    int cores = Runtime.getRuntime().availableProcessors();
    TrainCommBenchmark.warmUp(JavaSparkContext.fromSparkContext(spark.sparkContext()), partitions);
    List<Result> results = new ArrayList<>();
    for (String system : settings.systems()) {
      TrainingProblem problem = TrainingProblem.of(system, settings.rows());
      JavaRDD<PairBlock> blocks = null;
      try {
        for (int batch : settings.batches()) {
          List<Impl> impls = new ArrayList<>();
          impls.add(new Impl("jvm", 1));
          int allCores = Math.min(cores, batch);
          if (allCores > 1) {
            impls.add(new Impl("jvm", allCores));
          }
          impls.add(new Impl("spark", partitions));
          out.printf(Locale.ROOT, "bench: train-step %s (%d parameters, hidden %s) batch %d: %d warm-up + %d steps, "
                  + "%d repetitions; jvm on 1%s thread(s), spark on %d partition(s) of %d rows%n", system,
              problem.parameterCount(), problem.hidden(), batch, settings.warmup(), settings.steps(),
              settings.repetitions(), allCores > 1 ? " and " + allCores : "", partitions, settings.rows());
          if (blocks == null) {
            try (SparkTrainer st = new SparkTrainer(spark, problem.lossSpec(), problem.settings(1, batch, 1))) {
              blocks = st.distribute(problem.data(), partitions);
            }
          }
          results.addAll(runBatch(spark, resources, problem, blocks, batch, impls, settings, out));
        }
      } finally {
        if (blocks != null) {
          blocks.unpersist(false);
        }
      }
    }
    return results;
  }

  private static List<Result> runBatch(SparkSession spark, SparkResources resources, TrainingProblem problem,
      JavaRDD<PairBlock> blocks, int batch, List<Impl> impls, TrainBenchSettings settings, PrintStream out) {
    int total = settings.warmup() + settings.steps();
    Map<Impl, List<Double>> steps = new LinkedHashMap<>();
    Map<Impl, double[]> repMedians = new LinkedHashMap<>();
    for (Impl impl : impls) {
      steps.put(impl, new ArrayList<>());
      repMedians.put(impl, new double[settings.repetitions()]);
    }
    List<Double> floor = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < blocks.getNumPartitions(); i++) {
      indices.add(i);
    }
    JavaRDD<Integer> bareRdd = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(indices, indices.size());
    TaskTimes taskTimes = new TaskTimes();
    List<TaskTimes.Task> sparkTasks = new ArrayList<>();
    spark.sparkContext().addSparkListener(taskTimes);
    try (SparkTrainer st = new SparkTrainer(spark, problem.lossSpec(), problem.settings(total, batch, 1))) {
      for (int rep = 0; rep < settings.repetitions(); rep++) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
            "bench: train-step %s batch %d repetition %d:", problem.system(), batch, rep + 1));
        for (int k = 0; k < impls.size(); k++) {
          Impl impl = impls.get((k + rep) % impls.size());
          double[] ms;
          if (impl.spark()) {
            TrainingState init = st.trainer().initialState(problem.data());
            StepClock clock = new StepClock(total);
            st.train(blocks, problem.data().rows(), init, clock);
            ms = clock.stepMillis(settings.warmup());
            sparkTasks.addAll(taskTimes.launchedBetween(clock.wallMillisAtEnd(settings.warmup() - 1),
                clock.wallMillisAtEnd(total - 1), settings.steps() * blocks.getNumPartitions()));
            for (int i = 0; i < settings.steps(); i++) {
              long t0 = System.nanoTime();
              TrainCommBenchmark.emptyJob(blocks);
              long t1 = System.nanoTime();
              TrainCommBenchmark.emptyJob(bareRdd);
              floor.add((t1 - t0) / 1e6);
              bare.add(Timing.millisSince(t1));
            }
          } else {
            MacroNetTrainer trainer = new MacroNetTrainer(problem.lossSpec().loss(),
                problem.settings(total, batch, impl.threads()));
            TrainingState init = trainer.initialState(problem.data());
            StepClock clock = new StepClock(total);
            trainer.train(problem.data(), init, clock);
            ms = clock.stepMillis(settings.warmup());
          }
          for (double m : ms) {
            steps.get(impl).add(m);
          }
          repMedians.get(impl)[rep] = Timing.of(ms).median();
          line.append(String.format(Locale.ROOT, " %s-%d %.2f ms", impl.name(), impl.threads(),
              repMedians.get(impl)[rep]));
        }
        out.println(line);
      }
    } finally {
      spark.sparkContext().removeSparkListener(taskTimes);
    }
    Impl onSpark = impls.get(impls.size() - 1);
    Impl versus = impls.get(0);
    for (Impl impl : impls) {
      int gap = Math.abs(impl.threads() - onSpark.threads());
      if (!impl.spark() && gap < Math.abs(versus.threads() - onSpark.threads())) {
        versus = impl;
      }
    }
    Timing sparkTiming = Timing.of(steps.get(onSpark));
    Timing versusTiming = Timing.of(steps.get(versus));
    double minOverhead = Double.POSITIVE_INFINITY;
    double maxOverhead = Double.NEGATIVE_INFINITY;
    for (int rep = 0; rep < settings.repetitions(); rep++) {
      double d = repMedians.get(onSpark)[rep] - repMedians.get(versus)[rep];
      minOverhead = Math.min(minOverhead, d);
      maxOverhead = Math.max(maxOverhead, d);
    }
    double meanSparkStep = steps.get(onSpark).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    TaskTimes.Summary tasks = TaskTimes.summarise(sparkTasks);
    double outside = meanSparkStep - tasks.spanMs() * tasks.stages() / steps.get(onSpark).size();
    List<Result> results = new ArrayList<>();
    for (Impl impl : impls) {
      Result r = impl.spark()
          ? new Result(problem.system(), problem.parameterCount(), batch, impl.name(), impl.threads(), sparkTiming,
              Timing.of(floor), Timing.of(bare), sparkTiming.median() - versusTiming.median(), minOverhead, maxOverhead,
              versus.threads(), resources, tasks, outside)
          : new Result(problem.system(), problem.parameterCount(), batch, impl.name(), impl.threads(),
              Timing.of(steps.get(impl)), null, null, Double.NaN, Double.NaN, Double.NaN, 0, null, null, Double.NaN);
      out.println(r.line());
      results.add(r);
    }
    return results;
  }
}
