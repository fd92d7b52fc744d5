package org.macronet.jobs.progress;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Prints "what: done / total units (percent), rate, time left" every few seconds while a
 * Spark job runs. Counts come from a {@link LongAccumulator} that tasks add to as they go:
 * finished tasks report at their end, running ones with each executor heartbeat, so the
 * count moves within a task too. Failed or retried tasks' partial counts are dropped.
 */
public final class ProgressReporter implements AutoCloseable {
  private final SparkSession spark;
  private final LongAccumulator counter;
  private final long total;
  private final String what;
  private final String unit;
  private final PrintStream out;
  private final AtomicLong finished = new AtomicLong();
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final java.util.Set<Long> ended = ConcurrentHashMap.newKeySet();
  private final Listener listener = new Listener();
  private final Thread ticker;
  private final long start = System.nanoTime();
  private volatile boolean stopped;

  public ProgressReporter(SparkSession spark, String what, String unit, long total, int intervalSeconds,
                          PrintStream out) {
    this(spark, what, unit, total, intervalSeconds, out, java.util.function.UnaryOperator.identity());
  }

  /** As the other constructor, printing {@code frame.apply(line())} every interval instead of the line alone. */
  public ProgressReporter(SparkSession spark, String what, String unit, long total, int intervalSeconds,
                          PrintStream out, java.util.function.UnaryOperator<String> frame) {
    this.spark = spark;
    this.what = what;
    this.unit = unit;
    this.total = total;
    this.out = out;
    this.counter = spark.sparkContext().longAccumulator(what + " " + unit + " done");
    spark.sparkContext().addSparkListener(listener);
    if (intervalSeconds > 0) {
      ticker = new Thread(() -> {
        while (!stopped) {
          try {
            Thread.sleep(intervalSeconds * 1000L);
          } catch (InterruptedException e) {
            return;
          }
          if (!stopped) {
            out.println(frame.apply(line()));
          }
        }
      }, "macronet-progress");
      ticker.setDaemon(true);
      ticker.start();
    } else {
      ticker = null;
    }
  }

  /** The accumulator tasks add their finished units to. */
  public LongAccumulator counter() {
    return counter;
  }

  public long done() {
    long n = finished.get();
    for (long v : running.values()) {
      n += v;
    }
    return Math.min(n, total);
  }

  /** e.g. {@code generate: 1200 / 20000 samples (6.0%), 85.2 samples/s, about 3m 17s left}. */
  public String line() {
    long done = done();
    double seconds = (System.nanoTime() - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String left = rate > 0 && done < total ? ", about " + duration((total - done) / rate) + " left" : "";
    return String.format("%s: %d / %d %s (%.1f%%), %.1f %s/s, %s elapsed%s", what, done, total, unit,
        100.0 * done / total, rate, unit, duration(seconds), left);
  }

  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    return s / 3600 + "h " + (s % 3600) / 60 + "m";
  }

  @Override
  public void close() {
    stopped = true;
    if (ticker != null) {
      ticker.interrupt();
    }
    spark.sparkContext().removeSparkListener(listener);
  }

  private long ours(scala.collection.Iterable<AccumulableInfo> infos) {
    long sum = 0;
    for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
      if (info.id() == counter.id() && info.update().isDefined()) {
        Object v = info.update().get();
        if (v instanceof Number n) {
          sum += n.longValue();
        }
      }
    }
    return sum;
  }

  private final class Listener extends SparkListener {
    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      long taskId = end.taskInfo().taskId();
      ended.add(taskId);
      running.remove(taskId);
      if (end.taskInfo().successful()) {
        finished.addAndGet(ours(end.taskInfo().accumulables()));
      }
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
      for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
          : CollectionConverters.asJava(update.accumUpdates())) {
        long taskId = (Long) t._1();
        long n = ours(t._4());
        if (n > 0 && !ended.contains(taskId)) {
          running.put(taskId, n);
        }
      }
    }
  }
}
