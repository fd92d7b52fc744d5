package org.macronet.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for integration tests: a master and N workers in
 * their own JVMs, started and stopped with {@code deploy/local/cluster.sh} (the script users
 * run, so the tests exercise it too). The run directory holds the daemons' logs and PID files
 * and each worker's work directory, with one folder per application and executor.
 *
 * <p>{@link #executors()} finds the executor JVMs by PID, for tests that kill one
 * ({@link #kill}, {@link #awaitGone}).
 * {@link #close()} stops every process the script started; a JVM shutdown hook does the same
 * if a test run ends without closing the cluster.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

  /** An executor JVM: its application, its executor id and its process. */
  public record Executor(String appId, String executorId, ProcessHandle process) {}

  private final Path script;
  private final Path runDir;
  private final String masterUrl;
  private final URI webUi;
  private final Thread shutdownHook;
  private boolean stopped;

  private StandaloneCluster(Path script, Path runDir, String masterUrl, URI webUi) {
    this.script = script;
    this.runDir = runDir;
    this.masterUrl = masterUrl;
    this.webUi = webUi;
    this.shutdownHook = new Thread(this::stopQuietly, "stop standalone cluster " + runDir);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a master and {@code workers} workers with {@code cores} cores and {@code memory}
   * (e.g. {@code 1g}) each, and returns once every worker has registered with the master.
   */
  public static StandaloneCluster start(Path runDir, int workers, int cores, String memory) throws IOException {
    return start(runDir, workers, cores, memory, null);
  }

  /**
   * As {@link #start(Path, int, int, String)}, with {@code properties} (a Spark properties file,
   * or {@code null}) as the master's and workers' {@code spark-defaults.conf}: e.g.
   * {@code spark.authenticate} and the secret every application must present.
   */
  public static StandaloneCluster start(Path runDir, int workers, int cores, String memory, Path properties)
      throws IOException {
    Path script = script();
    Files.createDirectories(runDir);
    List<String> args = new ArrayList<>(List.of("start", "--workers", String.valueOf(workers), "--cores",
        String.valueOf(cores), "--memory", memory, "--dir", runDir.toString()));
    if (properties != null) {
      args.addAll(List.of("--properties-file", properties.toString()));
    }
    String out = runScript(script, runDir, args.toArray(String[]::new));
    String url = out.lines().reduce((a, b) -> b).orElse("").trim();
    if (!url.startsWith("spark://")) {
      throw new IllegalStateException("cluster.sh start printed no master URL: " + out);
    }
    URI ui = URI.create(Files.readString(runDir.resolve("master-webui.url")).trim());
    return new StandaloneCluster(script, runDir, url, ui);
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return masterUrl;
  }

  public Path runDir() {
    return runDir;
  }

  public long masterPid() {
    return pid("master");
  }

  /** The worker JVMs' PIDs, worker 1 first. */
  public List<Long> workerPids() {
    List<Long> pids = new ArrayList<>();
    for (int i = 1; Files.exists(runDir.resolve("worker-" + i + ".pid")); i++) {
      pids.add(pid("worker-" + i));
    }
    return pids;
  }

  /** The executor JVMs running now: the workers' child processes. */
  public List<Executor> executors() {
    List<Executor> executors = new ArrayList<>();
    for (long worker : workerPids()) {
      ProcessHandle.of(worker).stream().flatMap(ProcessHandle::children).forEach(p -> {
        List<String> args = List.of(p.info().arguments().orElse(new String[0]));
        if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend")) {
          executors.add(new Executor(argument(args, "--app-id"), argument(args, "--executor-id"), p));
        }
      });
    }
    return executors;
  }

  /** The running executor {@code executorId} of application {@code appId}, if its JVM is alive. */
  public Optional<Executor> executor(String appId, String executorId) {
    return executors().stream().filter(e -> appId.equals(e.appId()) && executorId.equals(e.executorId())).findFirst();
  }

  /**
   * Kills an executor JVM with SIGKILL, as the kernel's OOM killer or a lost host would end it:
   * no shutdown hook runs and nobody tells the driver, which learns it from the closed connection.
   * Returns at once (it may run on Spark's listener thread); {@link #awaitGone} waits for the exit.
   */
  public static void kill(Executor executor) {
    executor.process().destroyForcibly();
  }

  /** Waits until {@code process} has exited (and its worker has reaped it); fails after {@code timeout}. */
  public static void awaitGone(ProcessHandle process, Duration timeout) throws InterruptedException {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("process " + process.pid() + " still runs " + timeout + " after it was killed");
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process " + process.pid() + " to exit", e.getCause());
    }
  }

  /**
   * The stderr logs of an application's executors (Spark's log, task by task), one per
   * executor, under {@code worker-I/APP_ID/EXECUTOR_ID/stderr}.
   */
  public List<Path> executorLogs(String appId) throws IOException {
    List<Path> logs = new ArrayList<>();
    for (int i = 1; i <= workerPids().size(); i++) {
      Path app = runDir.resolve("worker-" + i).resolve(appId);
      if (Files.isDirectory(app)) {
        try (Stream<Path> s = Files.list(app)) {
          s.map(e -> e.resolve("stderr")).filter(Files::isRegularFile).sorted().forEach(logs::add);
        }
      }
    }
    return logs;
  }

  /** The master's state as its web UI serves it at {@code /json/} (workers, active and completed apps). */
  public JsonNode masterState() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest get = HttpRequest.newBuilder(webUi.resolve("/json/")).timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException(get.uri() + ": HTTP " + r.statusCode());
      }
      return JSON.readTree(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + get.uri(), e);
    }
  }

  /** Stops the workers (and so their executors) and the master, and waits until they exited. */
  public synchronized void stop() throws IOException {
    if (!stopped) {
      runScript(script, runDir, "stop", "--dir", runDir.toString());
      stopped = true;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // called from the hook itself
      }
    }
  }

  @Override
  public void close() throws IOException {
    stop();
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the standalone cluster in " + runDir + ": " + e.getMessage());
    }
  }

  private long pid(String name) {
    try {
      return Long.parseLong(Files.readString(runDir.resolve(name + ".pid")).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("no PID file for " + name + " in " + runDir, e);
    }
  }

  private static String argument(List<String> args, String flag) {
    int i = args.indexOf(flag);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
  }

  /** deploy/local/cluster.sh of the checkout these tests run in. */
  static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("deploy/local/cluster.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/local/cluster.sh not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * Runs the script and returns its stdout; its stderr (progress, and the daemons' last log
   * lines on failure) goes to {@code cluster.sh.log} in the run directory and into the
   * exception when it fails. Neither goes to this JVM's stdout, which the test runner reads.
   */
  private static String runScript(Path script, Path runDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    Path log = runDir.resolve("cluster.sh.log");
    Path out = runDir.resolve("cluster.sh.out");
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + SCRIPT_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    if (p.exitValue() != 0) {
      String err = Files.exists(log) ? Files.readString(log) : "";
      throw new IOException(String.join(" ", command) + " failed with status " + p.exitValue() + ":\n" + err);
    }
    return Files.readString(out);
  }

  @Override
  public String toString() {
    return "StandaloneCluster[" + masterUrl + ", " + runDir + "]";
  }
}
