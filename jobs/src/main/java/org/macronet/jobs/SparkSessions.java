package org.macronet.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the Spark session of a job. Precedence, highest first: {@code --master}; the job
 * configuration's {@code spark.*} keys; {@code spark.*} system properties (what
 * spark-submit sets); {@code $MACRONET_HOME/conf/spark-defaults.conf}; the defaults here.
 * With no master anywhere, the job runs in local mode on every core ({@code local[*]}).
 */
public final class SparkSessions {
  public static final String LOCAL = "local[*]";

  private SparkSessions() {}

  public static SparkSession create(String appName, String master, Map<String, String> jobSettings) {
    SparkConf conf = new SparkConf(true); // picks up spark.* system properties (spark-submit)
    setIfAbsent(conf, "spark.ui.showConsoleProgress", "false");
    setIfAbsent(conf, "spark.executor.heartbeatInterval", "3s");
    // executors on a cluster need the Vector API for the fast Java Gray-Scott kernel
    setIfAbsent(conf, "spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
    String home = System.getenv("MACRONET_HOME");
    if (home != null) {
      Path defaults = Path.of(home, "conf", "spark-defaults.conf");
      if (Files.isRegularFile(defaults)) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(defaults)) {
          p.load(r);
        } catch (IOException e) {
          throw new IllegalArgumentException(defaults + ": cannot read: " + e.getMessage(), e);
        }
        for (String key : p.stringPropertyNames()) {
          if (!System.getProperties().containsKey(key)) {
            conf.set(key, p.getProperty(key).trim());
          }
        }
      }
    }
    jobSettings.forEach(conf::set);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(LOCAL);
    }
    conf.setAppName(appName);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static void setIfAbsent(SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    }
  }
}
