package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

  @Test
  void onlyLocalModeRunsTasksInTheDriver() {
    assertTrue(SparkSessions.isLocal("local"));
    assertTrue(SparkSessions.isLocal("local[*]"));
    assertTrue(SparkSessions.isLocal("local[2, 3]"));
    assertFalse(SparkSessions.isLocal("local-cluster[2, 1, 1024]"));
    assertFalse(SparkSessions.isLocal("spark://127.0.0.1:7077"));
    assertFalse(SparkSessions.isLocal("yarn"));
  }

  @Test
  void applicationJarsGoAfterTheListedOnesAndOnlyOnce() {
    SparkConf conf = new SparkConf(false).set("spark.jars", "file:/opt/app/macronet-jobs.jar,/opt/extra.jar");
    SparkSessions.addJars(conf, List.of("/build/jobs/target/macronet-jobs.jar", "/build/lib/macronet-simulation.jar"));
    assertEquals("file:/opt/app/macronet-jobs.jar,/opt/extra.jar,/build/lib/macronet-simulation.jar", conf.get("spark.jars"));

    SparkConf none = new SparkConf(false);
    SparkSessions.addJars(none, List.of());
    assertFalse(none.contains("spark.jars"));
    SparkSessions.addJars(none, List.of("/a/macronet-jobs.jar"));
    assertEquals("/a/macronet-jobs.jar", none.get("spark.jars"));
  }
}
