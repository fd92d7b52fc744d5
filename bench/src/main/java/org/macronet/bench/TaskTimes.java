package org.macronet.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Where Spark tasks spend their time, from Spark's own task metrics (what the web UI's stage page
 * shows): from launch to finish on the driver's clock, the executor's time to deserialise the task
 * (its closure and its partition), to run it, and to serialise its result, and the result's size.
 * Register it with {@code SparkContext.addSparkListener}; events arrive on Spark's listener thread
 * shortly after each task ends.
 */
final class TaskTimes extends SparkListener {
  /** One finished task; times in milliseconds. */
  record Task(int stage, long launch, long finish, long deserialize, long run, long resultSerialize, long resultBytes) {}

  /**
   * Means over tasks, except {@code spanMs}: the mean over stages of last finish minus first launch
   * (with one stage per step, the time a step spends in its tasks). {@code schedulerDelayMs} is what
   * the web UI calls scheduler delay: launch to finish less the executor's deserialise, run and
   * serialise times (serialising the task and shipping it, queueing for a thread, returning the
   * result and the driver's handling of it).
   */
  record Summary(int tasks, int stages, double spanMs, double deserializeMs, double runMs, double resultSerializeMs,
      double schedulerDelayMs, double resultKb) {}

  private static final long WAIT_MILLIS = 5_000;

  private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    TaskInfo info = end.taskInfo();
    TaskMetrics m = end.taskMetrics();
    if (info == null || m == null) {
      return;
    }
    tasks.add(new Task(end.stageId(), info.launchTime(), info.finishTime(), m.executorDeserializeTime(),
        m.executorRunTime(), m.resultSerializationTime(), m.resultSize()));
  }

  /**
   * The tasks launched within [{@code fromMillis}, {@code toMillis}] (wall clock), waiting up to a
   * few seconds for {@code expected} of them to be reported.
   */
  List<Task> launchedBetween(long fromMillis, long toMillis, int expected) {
    long deadline = System.currentTimeMillis() + WAIT_MILLIS;
    while (true) {
      List<Task> in = tasks.stream().filter(t -> t.launch() >= fromMillis && t.launch() <= toMillis).toList();
      if (in.size() >= expected || System.currentTimeMillis() > deadline) {
        return in;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return in;
      }
    }
  }

  static Summary summarise(List<Task> tasks) {
    if (tasks.isEmpty()) {
      return new Summary(0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Map<Integer, long[]> spans = new TreeMap<>();
    double deserialize = 0;
    double run = 0;
    double serialize = 0;
    double bytes = 0;
    double delay = 0;
    for (Task t : tasks) {
      spans.merge(t.stage(), new long[] {t.launch(), t.finish()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      deserialize += t.deserialize();
      run += t.run();
      serialize += t.resultSerialize();
      bytes += t.resultBytes();
      delay += t.finish() - t.launch() - t.deserialize() - t.run() - t.resultSerialize();
    }
    List<Long> span = new ArrayList<>();
    spans.values().forEach(s -> span.add(s[1] - s[0]));
    int n = tasks.size();
    return new Summary(n, spans.size(), span.stream().mapToLong(Long::longValue).average().orElse(Double.NaN),
        deserialize / n, run / n, serialize / n, delay / n, bytes / n / 1024);
  }
}
