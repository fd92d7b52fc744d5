package org.macronet.bench;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.status.api.v1.ExecutorSummary;
import org.macronet.jobs.SparkSessions;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The master a benchmark runs on, its executors and their cores. In local mode the tasks run in
 * the driver on {@code defaultParallelism} threads (one executor, the driver). On a cluster the
 * executors register some seconds after the session starts: {@link #await} waits until their cores
 * reach {@code spark.cores.max} when that is set (the way to ask for a known number of cores), else
 * until their number has not changed for a few seconds, and sums their cores
 * ({@code defaultParallelism} there is at least 2 even when the executors have a single core).
 */
public record SparkResources(String master, int executors, int cores) {
  /** The driver's executor id (SparkContext.DRIVER_IDENTIFIER). */
  private static final String DRIVER = "driver";
  private static final long SETTLE_MILLIS = 5_000;
  private static final long TIMEOUT_MILLIS = 120_000;

  public static SparkResources await(SparkSession spark) {
    SparkContext sc = spark.sparkContext();
    if (SparkSessions.isLocal(sc.master())) {
      return new SparkResources(sc.master(), 1, sc.defaultParallelism());
    }
    int wanted = sc.getConf().getInt("spark.cores.max", 0);
    long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
    int seen = -1;
    long since = System.currentTimeMillis();
    while (true) {
      List<ExecutorSummary> executors = executors(sc);
      int cores = executors.stream().mapToInt(ExecutorSummary::totalCores).sum();
      long now = System.currentTimeMillis();
      if (executors.size() != seen) {
        seen = executors.size();
        since = now;
      }
      if (wanted > 0 ? cores >= wanted : seen > 0 && now - since >= SETTLE_MILLIS) {
        return new SparkResources(sc.master(), seen, cores);
      }
      if (now > deadline) {
        throw new IllegalStateException((wanted > 0 ? "executors with " + cores + " of the " + wanted
            + " cores of spark.cores.max" : "no executor") + " registered with " + sc.master() + " within "
            + TIMEOUT_MILLIS / 1000 + " s; are workers running with free cores?");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for executors", e);
      }
    }
  }

  /** The active executors other than the driver, from the application's status store (what the web UI shows). */
  private static List<ExecutorSummary> executors(SparkContext sc) {
    return CollectionConverters.asJava(sc.statusStore().executorList(true)).stream()
        .filter(e -> !e.id().equals(DRIVER))
        .toList();
  }
}
