package org.macronet.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.cli.Main;

/**
 * A standalone cluster with authentication and encryption on (deploy/spark-defaults.conf.example
 * plus a secret, for the master, the worker and the drivers alike, as deploy/README.md says)
 * runs a driver that has its secret, and refuses one with a wrong secret or none at once, with
 * a configuration error (exit status 2) that names the cause and where to set the secret, before
 * anything is written.
 *
 * <p>Each driver is the command line in a JVM of its own, started the two ways a user starts one:
 * spark-submit (Spark's {@code SparkSubmit}, which deploy/local/submit.sh runs) with
 * {@code --properties-file}, and macronet's {@code Main} on {@code jobs/target} with
 * {@code --master} and {@code --set}, as bin/macronet runs it. Without the check a refused driver
 * waited for Spark's three registration attempts, 20 s apart, and failed after about a minute with
 * "Cannot call methods on a stopped SparkContext".
 */
class ClusterAuthenticationIT {
  private static final Path ROOT = StandaloneCluster.script().getParent().getParent().getParent();
  private static final Path EXAMPLE = ROOT.resolve("deploy/spark-defaults.conf.example");
  /** A refused driver is told within this (JVM and Spark start on a busy two-core machine included). */
  private static final Duration PROMPT = Duration.ofSeconds(30);
  /** Longer than Spark's own giving up (3 x 20 s), so that a driver that waits for it shows its output. */
  private static final Duration DRIVER_LIMIT = Duration.ofSeconds(100);
  private static final String SECRET = newSecret();
  private static final String WRONG_SECRET = newSecret();

  @TempDir
  static Path dir;

  private static StandaloneCluster cluster;
  private static Path rightSettings;
  private static Path wrongSettings;

  /** Output of a driver JVM: exit status, stdout and stderr together, wall time. */
  private record Driver(int exit, String output, Duration wall) {
    String lastLine() {
      return output.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
    }

    @Override
    public String toString() {
      return "exit " + exit + " after " + wall.toMillis() + " ms; output:\n" + output;
    }
  }

  @BeforeAll
  static void startCluster() throws IOException {
    // the walk-through of deploy/README.md: the example settings with a secret, for daemons and drivers alike
    rightSettings = settings("right.conf", SECRET);
    wrongSettings = settings("wrong.conf", WRONG_SECRET);
    String example = Files.readString(EXAMPLE);
    for (String on : List.of("spark.authenticate ", "spark.network.crypto.enabled ", "spark.io.encryption.enabled ")) {
      assertTrue(example.lines().anyMatch(l -> l.startsWith(on) && l.endsWith(" true")), EXAMPLE + " lacks " + on + "true");
    }
    cluster = StandaloneCluster.start(dir.resolve("cluster"), 1, 1, "1g", rightSettings);
  }

  @AfterAll
  static void stopCluster() throws IOException {
    if (cluster != null) {
      cluster.stop();
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDriverWithTheClustersSecretRunsEncrypted() throws Exception {
    Path out = dir.resolve("right");
    Driver d = submit(rightSettings, out);
    assertEquals(0, d.exit(), d::toString);
    JsonNode meta = new ObjectMapper().readTree(out.resolve("dataset/_macronet.json").toFile());
    assertEquals(40, meta.path("rows").asInt(), d::toString);
    // it ran on the cluster, and its executor authenticated and encrypted its connections
    JsonNode app = completedApp("macronet generate");
    assertEquals("FINISHED", app.path("state").asText(), app::toString);
    List<Path> logs = cluster.executorLogs(app.path("id").asText());
    assertFalse(logs.isEmpty(), "no executor logs for " + app);
    String log = Files.readString(logs.get(0), StandardCharsets.ISO_8859_1);
    assertTrue(log.contains("authentication enabled"), logs.get(0) + ":\n" + log);
    assertTrue(log.contains("-Dspark.network.crypto.enabled=true"), logs.get(0) + ":\n" + log);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDriverWithAWrongSecretInItsPropertiesFileIsRefusedAtOnce() throws Exception {
    Path out = dir.resolve("wrong-submit");
    Driver d = refused(() -> submit(wrongSettings, out), out);
    assertWrongSecret(d);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDriverWithAWrongSecretOnItsCommandLineIsRefusedAtOnce() throws Exception {
    Path out = dir.resolve("wrong-set");
    Driver d = refused(() -> macronet(out, "spark.authenticate=true", "spark.authenticate.secret=" + WRONG_SECRET,
        "spark.network.crypto.enabled=true"), out);
    assertWrongSecret(d);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDriverWithoutAuthenticationIsRefusedAtOnce() throws Exception {
    Path out = dir.resolve("none");
    Driver d = refused(() -> macronet(out), out);
    assertTrue(d.lastLine().startsWith("macronet: configuration error: spark.authenticate: the master at "
        + cluster.masterUrl() + " requires authentication and refused this driver, which has spark.authenticate off"),
        d::toString);
    assertWhereToSetIt(d);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDriverWithAuthenticationButNoSecretIsRefusedAtOnce() throws Exception {
    Path out = dir.resolve("no-secret");
    Driver d = refused(() -> macronet(out, "spark.authenticate=true"), out);
    assertTrue(d.lastLine().startsWith("macronet: configuration error: spark.authenticate.secret: missing:"
        + " spark.authenticate is true but the driver has no secret"), d::toString);
    assertWhereToSetIt(d);
  }

  private interface DriverRun {
    Driver run() throws Exception;
  }

  /**
   * Runs a driver that the master must refuse and checks what every refusal has in common:
   * exit status 2, in time, nothing written, no application registered with the master.
   */
  private static Driver refused(DriverRun run, Path out) throws Exception {
    int appsBefore = applications();
    Driver d = run.run();
    assertEquals(2, d.exit(), d::toString);
    assertTrue(d.wall().compareTo(PROMPT) < 0, () -> "refused only after " + d.wall().toMillis() + " ms: " + d);
    assertFalse(d.output().contains("Cannot call methods on a stopped SparkContext"), d::toString);
    assertFalse(d.output().contains(SECRET) || d.output().contains(WRONG_SECRET), () -> "a secret was printed: " + d);
    assertFalse(Files.exists(out), () -> out + " was created: " + d);
    assertEquals(appsBefore, applications(), "the master registered the refused driver");
    return d;
  }

  private static void assertWrongSecret(Driver d) {
    assertTrue(d.lastLine().startsWith("macronet: configuration error: spark.authenticate.secret: the master at "
        + cluster.masterUrl() + " refused this driver: the authentication handshake failed"), d::toString);
    assertTrue(d.lastLine().contains("the driver's secret is not the cluster's"), d::toString);
    assertWhereToSetIt(d);
  }

  private static void assertWhereToSetIt(Driver d) {
    for (String part : List.of("spark.authenticate=true and spark.authenticate.secret must match the cluster's",
        "--properties-file", "--set spark.authenticate.secret=", "deploy/README.md")) {
      assertTrue(d.lastLine().contains(part), () -> "no '" + part + "' in: " + d);
    }
  }

  /** spark-submit in client mode with {@code settings}, running {@code generate} into {@code out}. */
  private static Driver submit(Path settings, Path out) throws IOException, InterruptedException {
    List<String> command = java("-cp", ROOT.resolve("jobs/target/lib") + "/*", "org.apache.spark.deploy.SparkSubmit",
        "--master", cluster.masterUrl(), "--properties-file", settings.toString(), "--class", Main.class.getName(),
        ROOT.resolve("jobs/target/macronet-jobs.jar").toString());
    command.addAll(generate(out));
    return run(command, false);
  }

  /** macronet's command line as bin/macronet starts it, with {@code --master} and {@code --set} each of {@code sparkSets}. */
  private static Driver macronet(Path out, String... sparkSets) throws IOException, InterruptedException {
    List<String> command = java("-cp", ROOT.resolve("jobs/target/macronet-jobs.jar") + File.pathSeparator
        + ROOT.resolve("jobs/target/lib") + "/*", Main.class.getName());
    command.addAll(generate(out));
    for (String set : sparkSets) {
      command.addAll(List.of("--set", set));
    }
    command.addAll(List.of("--master", cluster.masterUrl()));
    return run(command, true);
  }

  /** A tiny oscillator dataset in one partition. */
  private static List<String> generate(Path out) {
    List<String> args = new ArrayList<>(List.of("generate"));
    for (String set : List.of("system=oscillator", "generate.samples=40", "generate.partitions=1", "generate.seed=3",
        "progress.interval=0", "output.dir=" + out)) {
      args.addAll(List.of("--set", set));
    }
    return args;
  }

  /**
   * {@code java} with this JVM's module and {@code -D} options (the root pom's {@code java.opens},
   * the list bin/java-options.sh gives every macronet JVM), the project's logging, then {@code args}.
   */
  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-Djdk.") || option.startsWith("-Dio.netty.")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Xmx512m", "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties")));
    command.addAll(List.of(args));
    return command;
  }

  private static Driver run(List<String> command, boolean asBinMacronet) throws IOException, InterruptedException {
    Path log = Files.createTempFile(dir, "driver-", ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove("MACRONET_DEBUG");
    if (asBinMacronet) {
      pb.environment().put("MACRONET_HOME", ROOT.toString()); // bin/macronet's conf/spark-defaults.conf
    } else {
      pb.environment().remove("MACRONET_HOME");
    }
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(DRIVER_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("the driver still ran after " + DRIVER_LIMIT + ":\n" + Files.readString(log));
    }
    Duration wall = Duration.ofNanos(System.nanoTime() - start);
    return new Driver(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), wall);
  }

  /** The example settings with {@code spark.authenticate.secret}, readable by their owner only. */
  private static Path settings(String name, String secret) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, Files.readString(EXAMPLE) + "\nspark.authenticate.secret " + secret + "\n");
    file.toFile().setReadable(false, false);
    file.toFile().setReadable(true, true);
    return file;
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Applications the master has seen, running or completed. */
  private static int applications() throws IOException {
    JsonNode state = cluster.masterState();
    return state.path("activeapps").size() + state.path("completedapps").size();
  }

  /** The master's entry for the completed application {@code name}; it records it a moment after the driver stops. */
  private static JsonNode completedApp(String name) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      JsonNode state = cluster.masterState();
      for (JsonNode app : state.path("completedapps")) {
        if (name.equals(app.path("name").asText())) {
          return app;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no completed application '" + name + "' at the master: " + state);
      }
      Thread.sleep(200);
    }
  }
}
