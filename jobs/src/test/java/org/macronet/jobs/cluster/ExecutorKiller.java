package org.macronet.jobs.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Kills one executor JVM of a standalone cluster in the middle of the driver's work, at a point
 * fixed by Spark's own events rather than by a timer: once {@code afterJobs} jobs have ended since
 * it was added, the first task that ends successfully while a task of another executor runs makes
 * that other executor the victim, so it dies mid-task. It then records what the driver saw: the
 * executor removed, the tasks lost with it, and which executors ran tasks after the removal.
 *
 * <p>Add it with {@code sparkContext().addSparkListener}; Spark delivers the events on one thread
 * in the order they happened, so the bookkeeping needs no locks, and the test thread reads the
 * results through concurrent collections.
 */
final class ExecutorKiller extends SparkListener {
  private final StandaloneCluster cluster;
  private final String appId;
  private final int afterJobs;
  private final AtomicInteger jobsEnded = new AtomicInteger();
  /** Running tasks by task id: the executor each one runs on. */
  private final Map<Long, String> running = new ConcurrentHashMap<>();
  private volatile StandaloneCluster.Executor killed;
  private volatile RuntimeException failure;
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private volatile boolean victimRemoved;
  private final Set<String> ranTasksAfterRemoval = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tasksLostWithVictim = new AtomicInteger();

  ExecutorKiller(StandaloneCluster cluster, String appId, int afterJobs) {
    this.cluster = cluster;
    this.appId = appId;
    this.afterJobs = afterJobs;
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    jobsEnded.incrementAndGet();
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    running.put(start.taskInfo().taskId(), start.taskInfo().executorId());
    if (victimRemoved) {
      ranTasksAfterRemoval.add(start.taskInfo().executorId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    String executor = end.taskInfo().executorId();
    running.remove(end.taskInfo().taskId());
    if (killed != null && end.reason() instanceof ExecutorLostFailure lost && lost.execId().equals(killed.executorId())) {
      tasksLostWithVictim.incrementAndGet();
    }
    if (killed == null && failure == null && jobsEnded.get() >= afterJobs && end.reason() == Success$.MODULE$) {
      running.values().stream().filter(e -> !e.equals(executor)).findFirst().ifPresent(this::kill);
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
    removed.add(event.executorId());
    if (killed != null && killed.executorId().equals(event.executorId())) {
      victimRemoved = true;
    }
  }

  private void kill(String executorId) {
    Optional<StandaloneCluster.Executor> victim = cluster.executor(appId, executorId);
    if (victim.isEmpty()) {
      // Spark swallows a listener's exceptions; the test reads this one through killed()
      failure = new IllegalStateException("executor " + executorId + " of " + appId + " runs a task but has no "
          + "process among the workers' children: " + cluster.executors());
      return;
    }
    killed = victim.get();
    StandaloneCluster.kill(killed);
  }

  /** The executor it killed; fails when it has not killed one (yet). */
  StandaloneCluster.Executor killed() {
    if (failure != null) {
      throw failure;
    }
    if (killed == null) {
      throw new AssertionError("no executor was killed: " + jobsEnded.get() + " jobs ended (the kill waits for "
          + afterJobs + "), tasks running now: " + running);
    }
    return killed;
  }

  /** Executors the driver has removed (lost or stopped) since this listener was added. */
  Set<String> removed() {
    return Set.copyOf(removed);
  }

  /** Executors that started tasks after the driver removed the killed one. */
  Set<String> ranTasksAfterRemoval() {
    return Set.copyOf(ranTasksAfterRemoval);
  }

  /** Tasks that failed because the killed executor was lost while running them. */
  int tasksLostWithVictim() {
    return tasksLostWithVictim.get();
  }
}
