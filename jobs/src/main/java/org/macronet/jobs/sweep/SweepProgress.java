package org.macronet.jobs.sweep;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.macronet.jobs.progress.ProgressReporter;

/**
 * Progress of a sweep's trainings every few seconds: runs trained, running and failed, and the
 * training steps done of all runs with the time left at the rate so far, e.g.
 * {@code sweep: 3 of 10 runs trained, 2 running, 0 failed; train: 41000 / 120000 steps (34.2%), ...}.
 * Steps come from an accumulator the tasks add to at every step (sent with executor heartbeats),
 * runs from the scheduler's task starts and ends.
 */
final class SweepProgress implements AutoCloseable {
  private final SparkSession spark;
  private final ProgressReporter steps;
  private final LongAccumulator failed;
  private final int runs;
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger ended = new AtomicInteger();
  private final Listener listener = new Listener();

  SweepProgress(SparkSession spark, int runs, long totalSteps, int intervalSeconds, PrintStream out) {
    this.spark = spark;
    this.runs = runs;
    this.failed = spark.sparkContext().longAccumulator("sweep runs failed");
    spark.sparkContext().addSparkListener(listener);
    this.steps = new ProgressReporter(spark, "train", "steps", Math.max(1, totalSteps), intervalSeconds, out,
        this::frame);
  }

  /** The accumulator the tasks add each training step to. */
  LongAccumulator steps() {
    return steps.counter();
  }

  /** The accumulator a task adds 1 to when its run fails. */
  LongAccumulator failedRuns() {
    return failed;
  }

  /** The runs' counts, then the steps' {@code line}. */
  private String frame(String line) {
    long bad = failed.value();
    return String.format(Locale.ROOT, "sweep: %d of %d runs trained, %d running, %d failed; %s", ended.get() - bad,
        runs, running.get(), bad, line);
  }

  @Override
  public void close() {
    steps.close();
    spark.sparkContext().removeSparkListener(listener);
  }

  private final class Listener extends SparkListener {
    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
      running.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      running.decrementAndGet();
      if (end.taskInfo().successful()) {
        ended.incrementAndGet();
      }
    }
  }
}
