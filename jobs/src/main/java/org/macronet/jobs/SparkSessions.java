package org.macronet.jobs;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.macronet.analysis.report.Report;
import org.macronet.common.config.ConfigException;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Studies;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SystemRegistry;
import org.macronet.training.macronet.MacroNetTrainer;

/**
 * Builds the Spark session of a job. Precedence, highest first: {@code --master}; the job
 * configuration's {@code spark.*} keys; {@code spark.*} system properties (what
 * spark-submit sets); {@code $MACRONET_HOME/conf/spark-defaults.conf}; the defaults here.
 * With no master anywhere, the job runs in local mode on every core ({@code local[*]}).
 *
 * <p>On a cluster the driver ships the macronet jars it runs from to the executors
 * ({@code spark.jars}, as spark-submit ships an application jar), so executors need only
 * Spark and the project's dependencies on their classpath.
 *
 * <p>On a standalone master the driver first checks that the master accepts its security
 * settings ({@link MasterHandshake}), so that a wrong or missing {@code spark.authenticate}
 * secret is reported at once, naming the cause, instead of Spark giving up a minute later.
 */
public final class SparkSessions {
  public static final String LOCAL = "local[*]";
  /** Set (as a system property) only in a driver that YARN runs in cluster deploy mode. */
  public static final String YARN_APP_ID = "spark.yarn.app.id";

  private SparkSessions() {}

  public static SparkSession create(String appName, String master, Map<String, String> jobSettings) {
    SparkConf conf = new SparkConf(true); // picks up spark.* system properties (spark-submit)
    setIfAbsent(conf, "spark.ui.showConsoleProgress", "false");
    setIfAbsent(conf, "spark.executor.heartbeatInterval", "3s");
    // executors on a cluster need the Vector API for the fast Java simulation kernels
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
    resolve(conf, master, jobSettings, applicationJars());
    conf.setAppName(appName);
    MasterHandshake.verify(conf);
    return SparkSession.builder().config(conf).getOrCreate();
  }

  /**
   * Applies the job's {@code spark.*} settings and {@code --master} over what {@code conf} holds,
   * falls back to local mode when no master is set anywhere, and on a cluster appends the
   * application's jars to {@code spark.jars}. Under spark-submit {@code conf} already holds its
   * {@code --master} as {@code spark.master} and its application jar in {@code spark.jars}; a
   * driver running from that jar (macronet-app.jar) then adds nothing. Neither does a driver in
   * YARN's cluster deploy mode, where spark.jars is empty: YARN has already put the application
   * jar and {@code --jars} in every container.
   */
  static void resolve(SparkConf conf, String master, Map<String, String> jobSettings, List<String> applicationJars) {
    jobSettings.forEach(conf::set);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(LOCAL);
    }
    if (!isLocal(conf.get("spark.master")) && !isYarnClusterDriver(conf)) {
      addJars(conf, applicationJars);
    }
  }

  /**
   * Whether this driver runs in a YARN application master (cluster deploy mode): Spark's
   * ApplicationMaster sets {@code spark.yarn.app.id} before it starts the application.
   */
  static boolean isYarnClusterDriver(SparkConf conf) {
    return conf.contains(YARN_APP_ID);
  }

  /** Local mode runs tasks in the driver's JVM; {@code local-cluster[...]} has executor JVMs. */
  public static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  /**
   * Appends jars to {@code spark.jars}, after those already listed there (spark-submit lists
   * its application jar), leaving out a jar whose file name is listed already.
   */
  static void addJars(SparkConf conf, List<String> add) {
    List<String> jars = new ArrayList<>();
    if (conf.contains("spark.jars") && !conf.get("spark.jars").isBlank()) {
      jars.addAll(Arrays.asList(conf.get("spark.jars").split(",")));
    }
    for (String jar : add) {
      if (jars.stream().noneMatch(j -> fileName(j).equals(fileName(jar)))) {
        jars.add(jar);
      }
    }
    if (!jars.isEmpty()) {
      conf.set("spark.jars", String.join(",", jars));
    }
  }

  /**
   * The jars this JVM loaded the macronet modules from: jobs, common, simulation, training,
   * analysis and every system plugin on the classpath. A module loaded from a class directory
   * (an IDE, the unit tests) cannot be shipped and is left out; executors then need it on their
   * own classpath.
   */
  static List<String> applicationJars() {
    Stream<Class<?>> modules = Stream.of(SparkSessions.class, ConfigException.class, PairSystem.class,
        MacroNetTrainer.class, Report.class, DesignStudy.class);
    // the plugins: systems, their design studies, and contributed commands (the benchmarks)
    Stream<Class<?>> systems = Stream.of(SystemRegistry.all().values().stream().map(Object::getClass),
        Studies.providers().stream().map(Object::getClass),
        org.macronet.jobs.cli.Command.all().values().stream().map(Object::getClass)).flatMap(s -> s);
    return Stream.concat(modules, systems)
        .map(SparkSessions::location)
        .filter(p -> p != null && Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar"))
        .map(Path::toString)
        .distinct()
        .toList();
  }

  private static String fileName(String pathOrUri) {
    return pathOrUri.substring(pathOrUri.lastIndexOf('/') + 1);
  }

  private static Path location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void setIfAbsent(SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    }
  }
}
