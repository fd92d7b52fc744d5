package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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

  @Test
  void underSparkSubmitTheMasterAndTheApplicationJarAreSparkSubmits() {
    // Given what spark-submit --master spark://10.0.0.5:7077 ... macronet-app.jar sets, and a
    // driver that loaded all four modules from that jar
    SparkConf conf = new SparkConf(false).set("spark.master", "spark://10.0.0.5:7077")
        .set("spark.submit.deployMode", "client").set("spark.jars", "file:/opt/macronet/macronet-app.jar");
    // When the command line has no --master
    SparkSessions.resolve(conf, null, Map.of("spark.executor.memory", "2g"), List.of("/opt/macronet/macronet-app.jar"));
    // Then spark-submit's master stands and the application jar is shipped once, as it listed it
    assertEquals("spark://10.0.0.5:7077", conf.get("spark.master"));
    assertEquals("file:/opt/macronet/macronet-app.jar", conf.get("spark.jars"));
    assertEquals("2g", conf.get("spark.executor.memory"));
  }

  @Test
  void theCommandLinesMasterWinsAndLocalModeShipsNothing() {
    SparkConf submitted = new SparkConf(false).set("spark.master", "yarn");
    SparkSessions.resolve(submitted, "local[2]", Map.of(), List.of("/build/jobs/target/macronet-jobs.jar"));
    assertEquals("local[2]", submitted.get("spark.master"));
    assertFalse(submitted.contains("spark.jars"));

    SparkConf none = new SparkConf(false);
    SparkSessions.resolve(none, null, Map.of(), List.of("/build/jobs/target/macronet-jobs.jar"));
    assertEquals(SparkSessions.LOCAL, none.get("spark.master"));
    assertFalse(none.contains("spark.jars"));
  }

  @Test
  void aDriverStartedWithBinMacronetShipsTheModuleJars() {
    SparkConf conf = new SparkConf(false);
    SparkSessions.resolve(conf, "spark://127.0.0.1:7077", Map.of(),
        List.of("/m/jobs/target/macronet-jobs.jar", "/m/jobs/target/lib/macronet-simulation-0.1.0-SNAPSHOT.jar"));
    assertEquals("/m/jobs/target/macronet-jobs.jar,/m/jobs/target/lib/macronet-simulation-0.1.0-SNAPSHOT.jar",
        conf.get("spark.jars"));
  }

  @Test
  void aDriverInYarnClusterModeShipsNothingItself() {
    // Given what the application master sets before it starts the driver of
    // spark-submit --master yarn --deploy-mode cluster --jars ... macronet-jobs.jar (spark.jars
    // removed: the jars are in the container already)
    SparkConf conf = new SparkConf(false).set("spark.master", "yarn").set("spark.submit.deployMode", "cluster")
        .set("spark.yarn.app.id", "application_1796424749154_0001")
        .set("spark.yarn.dist.jars", "file:/build/lib/macronet-simulation-0.1.0-SNAPSHOT.jar");
    // When the driver resolves its settings with the jars its classes came from (the container's copies)
    SparkSessions.resolve(conf, null, Map.of(), List.of("/yarn/container_01/__app__.jar",
        "/yarn/container_01/macronet-simulation-0.1.0-SNAPSHOT.jar"));
    // Then it adds none: they would reach the executors twice
    assertFalse(conf.contains("spark.jars"));
    assertEquals("yarn", conf.get("spark.master"));
  }
}
