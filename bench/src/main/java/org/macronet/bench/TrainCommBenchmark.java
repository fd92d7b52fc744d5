package org.macronet.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.train.SparkTrainer;
import org.macronet.training.data.PairBlock;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.LossAggregator;
import org.macronet.training.macronet.MacroNetLoss;
import scala.Tuple2;

/**
 * {@code bench.workloads = train-comm}: what one {@link SparkTrainer#sums} call costs beyond the
 * computation as the parameter count p grows. The oscillator's shared flow of 4 tanh couplings is
 * widened until it has about p parameters, and each call's minibatch is one row per partition, so
 * the gradient work is negligible and the call is Spark's: broadcast p floats, one task per
 * partition, return p gradient sums from each (4 bytes each on the wire when they are all exactly
 * floats, as here; 8 otherwise), merge them. Interleaved in every round, and timed the same
 * way:
 *
 * <ul>
 *   <li>{@code empty_job}: a job on the same partitions whose tasks return their index (scheduling alone);</li>
 *   <li>{@code broadcast_job}: the same after broadcasting the step's input (p floats and the rows), which
 *       every task reads, destroyed afterwards, as {@code sums} does;</li>
 *   <li>{@code result_job}: the same job, each task returning an empty aggregator of p doubles,
 *       merged on the driver in partition order (a single collect, the combine's shape up to 4 partitions);</li>
 *   <li>{@code sums}: the real call;</li>
 *   <li>{@code compute}: the same rows' loss and gradient in one loop on the driver, without Spark.</li>
 * </ul>
 *
 * So broadcast = broadcast_job - empty_job, aggregation = result_job - empty_job, and sums is
 * about empty_job + broadcast + aggregation + compute.
 */
public final class TrainCommBenchmark {
  static final int WARM_UP_JOBS = 200;

  private TrainCommBenchmark() {}

  /** Medians per call at one parameter count, in milliseconds. */
  public record Result(int parameters, String hidden, SparkResources spark, int partitions, Timing sums,
      Timing emptyJob, Timing broadcastJob, Timing resultJob, Timing compute) {
    public double broadcastMs() {
      return broadcastJob.median() - emptyJob.median();
    }

    public double aggregationMs() {
      return resultJob.median() - emptyJob.median();
    }

    public String line() {
      return String.format(Locale.ROOT, "RESULT train-comm params=%d couplings=%d hidden=%s master=%s executors=%d "
              + "partitions=%d calls=%d sums_ms=%.3f sums_p10_ms=%.3f sums_p90_ms=%.3f empty_job_ms=%.3f "
              + "broadcast_job_ms=%.3f result_job_ms=%.3f compute_ms=%.3f broadcast_ms=%.3f aggregation_ms=%.3f "
              + "broadcast_mb=%.3f result_mb=%.3f", parameters, TrainingProblem.SIZED_COUPLINGS, hidden, spark.master(),
          spark.executors(), partitions, sums.count(), sums.median(), sums.p10(), sums.p90(), emptyJob.median(),
          broadcastJob.median(), resultJob.median(), compute.median(), broadcastMs(), aggregationMs(),
          4.0 * parameters / 1e6, partitions * serializedBytes(new LossAggregator(parameters)) / 1e6);
    }
  }

  /** The size of {@code o} in Java serialisation, the form Spark's task results take. */
  static long serializedBytes(Serializable o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.size();
  }

  /** What every task reads in one step, as {@link SparkTrainer} broadcasts it. */
  private record StepInput(float[] params, int[] rows, long noiseSeed) implements Serializable {}

  /** Runs each parameter count of {@code settings} on {@code partitions} partitions; prints a RESULT line each. */
  public static List<Result> run(SparkSession spark, SparkResources resources, TrainBenchSettings settings,
      int partitions, PrintStream out) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // the data only need one row per partition; a small set keeps the ActNorm initialisation short
    PairData data = TrainingProblem.simulate("oscillator", Math.max(256, partitions));
    int[] rows = new int[partitions];
    for (int k = 0; k < partitions; k++) {
      rows[k] = (int) ((long) k * data.rows() / partitions);
    }
    long noiseSeed = 7;
    warmUp(sc, partitions);
    List<Result> results = new ArrayList<>();
    JavaRDD<PairBlock> blocks = null;
    try {
      for (int target : settings.commParameters()) {
        TrainingProblem problem = TrainingProblem.oscillatorOfSize(data, target);
        int p = problem.parameterCount();
        out.printf(Locale.ROOT, "bench: train-comm %d parameters (target %d; %d couplings, hidden %s), %d partition(s),"
                + " one minibatch row each: %d warm-up + %d calls x %d repetitions%n", p, target,
            TrainingProblem.SIZED_COUPLINGS, problem.hidden(), partitions, settings.warmup(), settings.steps(),
            settings.repetitions());
        try (SparkTrainer st = new SparkTrainer(spark, problem.lossSpec(), problem.settings(1, partitions, 1))) {
          if (blocks == null) {
            blocks = st.distribute(data, partitions);
          }
          float[] params = st.trainer().initialState(data).params();
          MacroNetLoss.Evaluator evaluator = problem.lossSpec().loss().newEvaluator(partitions);
          LossAggregator local = new LossAggregator(p);
          List<Double> sums = new ArrayList<>();
          List<Double> empty = new ArrayList<>();
          List<Double> broadcast = new ArrayList<>();
          List<Double> result = new ArrayList<>();
          List<Double> compute = new ArrayList<>();
          for (int rep = 0; rep < settings.repetitions(); rep++) {
            for (int i = 0; i < settings.warmup() + settings.steps(); i++) {
              boolean measured = i >= settings.warmup();
              long t0 = System.nanoTime();
              emptyJob(blocks);
              long t1 = System.nanoTime();
              broadcastJob(sc, blocks, new StepInput(params, rows, noiseSeed));
              long t2 = System.nanoTime();
              resultJob(blocks, p);
              long t3 = System.nanoTime();
              LossAggregator agg = st.sums(blocks, params, rows, noiseSeed);
              long t4 = System.nanoTime();
              evaluator.accumulate(params, data, rows, 0, rows.length, true, noiseSeed, local.reset());
              long t5 = System.nanoTime();
              if (agg.weightSum() != rows.length || !agg.isFinite()) {
                throw new IllegalStateException("sums over " + partitions + " partitions weigh " + agg.weightSum()
                    + " (expected " + rows.length + ") or are not finite");
              }
              if (measured) {
                empty.add((t1 - t0) / 1e6);
                broadcast.add((t2 - t1) / 1e6);
                result.add((t3 - t2) / 1e6);
                sums.add((t4 - t3) / 1e6);
                compute.add((t5 - t4) / 1e6);
              }
            }
          }
          Result r = new Result(p, problem.hidden(), resources, partitions, Timing.of(sums), Timing.of(empty),
              Timing.of(broadcast), Timing.of(result), Timing.of(compute));
          out.println(r.line());
          results.add(r);
        }
      }
    } finally {
      if (blocks != null) {
        blocks.unpersist(false);
      }
    }
    return results;
  }

  /**
   * Runs {@value #WARM_UP_JOBS} empty jobs of {@code partitions} tasks, so that Spark's scheduling
   * code is compiled before anything is timed (a training run of thousands of steps runs it warm).
   */
  static void warmUp(JavaSparkContext sc, int partitions) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      indices.add(i);
    }
    JavaRDD<Integer> rdd = sc.parallelize(indices, partitions);
    for (int i = 0; i < WARM_UP_JOBS; i++) {
      emptyJob(rdd);
    }
  }

  /** A job with one task per partition of {@code blocks} that returns the partition's index: Spark's floor per step. */
  static <T> void emptyJob(JavaRDD<T> blocks) {
    blocks.mapPartitionsWithIndex((Integer index, Iterator<T> it) -> {
      drain(it);
      return List.of(index).iterator();
    }, true).collect();
  }

  /** Reads a cached partition to its end, as {@code sums} does, so that the task releases the block's read lock. */
  private static void drain(Iterator<?> it) {
    while (it.hasNext()) {
      it.next();
    }
  }

  private static void broadcastJob(JavaSparkContext sc, JavaRDD<PairBlock> blocks, StepInput input) {
    Broadcast<StepInput> b = sc.broadcast(input);
    try {
      blocks.mapPartitionsWithIndex((Integer index, Iterator<PairBlock> it) -> {
        b.value();
        drain(it);
        return List.of(index).iterator();
      }, true).collect();
    } finally {
      b.destroy();
    }
  }

  private static LossAggregator resultJob(JavaRDD<PairBlock> blocks, int parameters) {
    List<Tuple2<Integer, LossAggregator>> parts = new ArrayList<>(blocks.mapPartitionsWithIndex(
        (Integer index, Iterator<PairBlock> it) -> {
          drain(it);
          return List.of(new Tuple2<>(index, new LossAggregator(parameters))).iterator();
        }, true).collect());
    parts.sort(Comparator.comparingInt(Tuple2::_1));
    LossAggregator total = new LossAggregator(parameters);
    for (Tuple2<Integer, LossAggregator> t : parts) {
      total.merge(t._2());
    }
    return total;
  }
}
