package org.macronet.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;

/**
 * HDFS and YARN on one host for integration tests, from hadoop-client-minicluster: a NameNode and
 * a DataNode ({@code MiniDFSCluster}) and a ResourceManager with one NodeManager
 * ({@code MiniYARNCluster}), all in this JVM; YARN's containers are child processes. HDFS is the
 * default file system, so spark-submit stages an application's files there and the NodeManager
 * localises them from there, as on a real cluster.
 *
 * <p>{@link #submit} runs {@code deploy/local/submit.sh} (Spark's own {@code SparkSubmit} in a
 * child JVM) on {@link #sparkJars()} (the dependency jars of {@code jobs/target/lib} without
 * macronet's, plus spark-yarn) with {@code HADOOP_CONF_DIR} set to {@link #confDir()}.
 *
 * <p>The minicluster jar has no capacity-scheduler.xml, so the one queue, {@code root.default},
 * is configured here.
 *
 * <p>{@link #close()} stops both clusters and then ends every container process still running
 * (a NodeManager that stops does not wait for them all); a JVM shutdown hook does the same if a
 * test run ends without closing.
 */
public final class YarnCluster implements AutoCloseable {
  /** The memory the NodeManager offers: an application master and an executor of 512 MB need about 2 GB. */
  private static final int NODE_MEMORY_MB = 4096;

  private final MiniDFSCluster hdfs;
  private final MiniYARNCluster yarn;
  private final Path dir;
  private final Path confDir;
  private final Path sparkJars;
  private final Path workDir;
  private final Thread shutdownHook;
  private boolean stopped;

  private YarnCluster(MiniDFSCluster hdfs, MiniYARNCluster yarn, Path dir, Path confDir, Path sparkJars, Path workDir) {
    this.hdfs = hdfs;
    this.yarn = yarn;
    this.dir = dir;
    this.confDir = confDir;
    this.sparkJars = sparkJars;
    this.workDir = workDir;
    this.shutdownHook = new Thread(this::stop, "stop YARN and HDFS " + dir);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts HDFS and YARN with their data under {@code dir} (YARN's own under
   * {@code target/NAME}, where MiniYARNCluster puts it), writes the client configuration and
   * links the Spark jars; returns once the ResourceManager has its address.
   */
  public static YarnCluster start(String name, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Configuration conf = new Configuration();
    conf.setInt("dfs.replication", 1);
    MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf, dir.resolve("dfs").toFile()).numDataNodes(1).build();
    MiniYARNCluster yarn = null;
    try {
      hdfs.waitActive();
      YarnConfiguration yc = new YarnConfiguration(conf);
      yc.set("fs.defaultFS", hdfs.getURI().toString());
      yc.set("yarn.scheduler.capacity.root.queues", "default");
      yc.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
      yc.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
      yc.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
      yc.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
      yc.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
      yc.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
      yc.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
      yc.setInt(YarnConfiguration.NM_PMEM_MB, NODE_MEMORY_MB);
      yc.setInt(YarnConfiguration.NM_VCORES, 4);
      yc.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
      // containers are JVMs of this host; their virtual memory says nothing about what they use
      yc.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
      yc.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
      // a nearly full disk must not mark the only node unhealthy
      yc.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
      yarn = new MiniYARNCluster(name, 1, 1, 1);
      yarn.init(yc);
      yarn.start();
      // start() may return before the ResourceManager has written its port to the configuration
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the ResourceManager has no address 30 s after it started");
        }
        Thread.sleep(100);
      }
      Path confDir = writeClientConf(dir.resolve("hadoop-conf"), hdfs.getURI().toString(), yarn.getConfig());
      Path sparkJars = linkSparkJars(dir.resolve("spark-jars"));
      return new YarnCluster(hdfs, yarn, dir, confDir, sparkJars, Path.of("target", name).toAbsolutePath());
    } catch (IOException | InterruptedException | RuntimeException e) {
      if (yarn != null) {
        yarn.stop();
      }
      hdfs.shutdown();
      throw e;
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}. */
  public String hdfsUri() {
    return hdfs.getURI().toString();
  }

  public FileSystem fileSystem() throws IOException {
    return hdfs.getFileSystem();
  }

  /** The client configuration (core-site.xml, yarn-site.xml): what {@code HADOOP_CONF_DIR} names. */
  public Path confDir() {
    return confDir;
  }

  /** Spark's jars: what a Spark installation built with YARN support has in {@code jars/}. */
  public Path sparkJars() {
    return sparkJars;
  }

  /** The applications the ResourceManager knows, by id. */
  public Map<ApplicationId, RMApp> applications() {
    return yarn.getResourceManager().getRMContext().getRMApps();
  }

  /**
   * The log files of an application's containers, {@code CONTAINER_ID/stdout} and
   * {@code CONTAINER_ID/stderr} under the NodeManager's log directory; the application master's
   * container (the driver, in cluster mode) sorts first.
   */
  public List<Path> containerLogs(ApplicationId app, String file) throws IOException {
    List<Path> logs = new ArrayList<>();
    for (String logDir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
      Path appDir = Path.of(logDir.replaceFirst("^file:", "")).resolve(app.toString());
      if (Files.isDirectory(appDir)) {
        try (Stream<Path> s = Files.list(appDir)) {
          s.map(c -> c.resolve(file)).filter(Files::isRegularFile).forEach(logs::add);
        }
      }
    }
    logs.sort(null);
    return logs;
  }

  /** What a {@link #submit} ended with: spark-submit's exit status and everything it printed. */
  public record Submission(int exitStatus, Path log) {
    public String output() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Runs {@code deploy/local/submit.sh ARGS} (spark-submit without a Spark installation) against
   * this cluster, on {@link #sparkJars()} and with {@code HADOOP_CONF_DIR} set to {@link #confDir()},
   * and waits for it (with {@code spark.yarn.submit.waitAppCompletion}, the default, that is until
   * the application ends), its output in {@code log}. A submitter still running after
   * {@code timeout} is killed, and so is every container of this cluster.
   */
  public Submission submit(List<String> args, Path log, Duration timeout) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script("deploy/local/submit.sh").toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("MACRONET_SPARK_JARS", sparkJars.toString());
    pb.environment().put("HADOOP_CONF_DIR", confDir.toString());
    pb.environment().put("MACRONET_JAVA_OPTS", "-Xmx512m");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("SPARK_HOME");
    pb.environment().remove("YARN_CONF_DIR");
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("spark-submit still runs after " + timeout + "; killed. Its output:\n"
            + Files.readString(log));
      }
      return new Submission(p.exitValue(), log);
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        killContainers();
      }
    }
  }

  /** A file of the checkout these tests run in, e.g. {@code deploy/local/submit.sh}. */
  static Path script(String relative) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(relative))) {
        return d.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  /** Stops YARN, then HDFS, then any container process left. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      yarn.stop();
    } finally {
      try {
        hdfs.shutdown();
      } finally {
        killContainers();
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
          // called from the hook itself
        }
      }
    }
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Ends the container processes of this cluster still running: this JVM's descendants whose
   * command line names YARN's work directory (their launch script, working directory and log
   * directory are all under it).
   */
  private void killContainers() {
    String work = workDir.toString();
    ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(work)).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static Path writeClientConf(Path confDir, String defaultFs, Configuration yarnConf) throws IOException {
    Files.createDirectories(confDir);
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", defaultFs);
    core.set("dfs.replication", "1");
    try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
      core.writeXml(out);
    }
    Configuration site = new Configuration(false);
    for (Map.Entry<String, String> e : yarnConf) {
      if (e.getKey().startsWith("yarn.resourcemanager.")) {
        site.set(e.getKey(), e.getValue());
      }
    }
    try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
      site.writeXml(out);
    }
    return confDir;
  }

  /**
   * A folder of links to Spark and the project's other dependencies (the jars of
   * {@code jobs/target/lib} but macronet's own) and to spark-yarn, which is on this JVM's
   * classpath: the jars of a Spark installation built with YARN support.
   */
  private static Path linkSparkJars(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path lib = Path.of("target", "lib").toAbsolutePath();
    if (!Files.isDirectory(lib)) {
      throw new IllegalStateException(lib + " missing: the integration tests run after 'package' has copied the jars");
    }
    try (Stream<Path> s = Files.list(lib)) {
      for (Path jar : s.filter(j -> !j.getFileName().toString().startsWith("macronet-")).toList()) {
        Files.createSymbolicLink(dir.resolve(jar.getFileName()), jar);
      }
    }
    Path yarnJar;
    try {
      yarnJar = Path.of(Class.forName("org.apache.spark.deploy.yarn.Client").getProtectionDomain().getCodeSource()
          .getLocation().toURI());
    } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
      throw new IllegalStateException("spark-yarn is not on the test classpath", e);
    }
    Files.createSymbolicLink(dir.resolve(yarnJar.getFileName()), yarnJar);
    return dir;
  }

  @Override
  public String toString() {
    return "YarnCluster[" + hdfsUri() + ", " + yarn.getConfig().get(YarnConfiguration.RM_ADDRESS) + ", " + dir + "]";
  }
}
