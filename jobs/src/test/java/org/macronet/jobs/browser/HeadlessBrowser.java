package org.macronet.jobs.browser;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium for tests that open the HTML reports in a real browser: console errors,
 * images that do not decode, script results, screenshots. It speaks the Chrome DevTools Protocol
 * over one WebSocket ({@link DevToolsConnection}); each {@link #open} is a fresh tab.
 *
 * <p>The browser runs from a temporary directory that holds its profile and its crash-report
 * database; {@link #close} ends every process whose command line names that directory (Chromium's
 * crash handlers leave the process tree, so the tree alone would miss them) and deletes it.
 */
public final class HeadlessBrowser implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final String INSTALL_HINT = "run .ci/install-deps, which installs Debian's chromium package, "
      + "or set CHROMIUM to a Chromium or Chrome executable";

  private final Process process;
  private final Path home;
  private final DevToolsConnection devTools;
  private final Thread shutdownHook;
  private boolean closed;

  private HeadlessBrowser(Process process, Path home, DevToolsConnection devTools) {
    this.process = process;
    this.home = home;
    this.devTools = devTools;
    // should the tests end without close(), the JVM's exit still ends the browser
    this.shutdownHook = new Thread(this::close, "headless-browser-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts Chromium headless: the executable named by {@code $CHROMIUM}, else {@code chromium} on
   * the {@code PATH}. A missing one is an error that says how to install it.
   */
  public static HeadlessBrowser start() throws IOException {
    String configured = System.getenv("CHROMIUM");
    return start(configured != null && !configured.isBlank() ? configured : "chromium", START_TIMEOUT);
  }

  static HeadlessBrowser start(String executable, Duration timeout) throws IOException {
    Path binary = locate(executable);
    Path home = Files.createTempDirectory("macronet-chromium-");
    List<String> command = List.of(binary.toString(),
        "--headless=new",
        "--no-sandbox", // CI runs the tests as root, and Chromium will not run as root in its sandbox
        "--disable-gpu",
        "--disable-dev-shm-usage", // /dev/shm is small in containers
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--hide-scrollbars",
        "--window-size=1280,800",
        "--remote-debugging-port=0", // the browser picks a free port and prints it
        "--user-data-dir=" + home.resolve("profile"),
        "about:blank");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    // the crash handlers keep their database under $XDG_CONFIG_HOME/chromium: in the temporary
    // directory, so that their command lines name it and close() finds them
    builder.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteTree(home);
      throw new IOException("cannot start " + binary + ": " + e.getMessage() + "; " + INSTALL_HINT, e);
    }
    StandardError stderr = new StandardError(process);
    try {
      URI endpoint = DevToolsConnection.await(stderr.endpoint, timeout, "\"DevTools listening on\" from " + binary);
      return new HeadlessBrowser(process, home, DevToolsConnection.connect(endpoint, timeout));
    } catch (IOException | RuntimeException e) {
      end(process, home, processesOf(process, home), Duration.ZERO);
      deleteTree(home);
      throw new IOException(binary + " did not start: " + e.getMessage() + "\nits standard error:\n"
          + stderr.collected(), e);
    }
  }

  /**
   * Opens {@code html} in a fresh tab and waits for its load event; {@code timeout} bounds that
   * wait and every later command to the page.
   */
  public BrowserPage open(Path html, Duration timeout) throws IOException {
    if (!Files.isRegularFile(html)) {
      throw new IOException("no such file: " + html.toAbsolutePath());
    }
    return BrowserPage.open(devTools, html.toAbsolutePath().toUri(), timeout);
  }

  /** Closes the browser, ends all its processes and deletes its temporary directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // listed while the browser runs: once it exits, its children are orphans, nobody's descendants
    List<ProcessHandle> started = processesOf(process, home);
    try {
      devTools.send("Browser.close", null, Duration.ofSeconds(2));
    } catch (IOException e) {
      // the browser may drop the connection before it answers, or hang: end() settles either
    }
    devTools.close();
    end(process, home, started, CLOSE_TIMEOUT);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: this is the hook
    }
    deleteTree(home);
  }

  /** The temporary directory that holds the profile; gone after {@link #close}. */
  Path home() {
    return home;
  }

  private static List<ProcessHandle> processesOf(Process process, Path home) {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.addAll(namingDirectory(home));
    return all;
  }

  /**
   * Gives {@code process} up to {@code grace} to exit by itself, then ends it, {@code started} and
   * every process whose command line names {@code home}: politely first, then forcibly.
   */
  private static void end(Process process, Path home, List<ProcessHandle> started, Duration grace) {
    try {
      process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<ProcessHandle> all = new ArrayList<>(started);
    all.add(process.toHandle());
    all.addAll(namingDirectory(home));
    all.forEach(ProcessHandle::destroy);
    awaitExit(all);
    List<ProcessHandle> left = namingDirectory(home);
    left.forEach(ProcessHandle::destroyForcibly);
    awaitExit(left);
  }

  /** Waits, within CLOSE_TIMEOUT, for all of {@code processes} to be gone; kills those that are not. */
  private static void awaitExit(List<ProcessHandle> processes) {
    List<ProcessHandle> running = new ArrayList<>(processes);
    long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
    for (running.removeIf(HeadlessBrowser::gone); !running.isEmpty(); running.removeIf(HeadlessBrowser::gone)) {
      if (System.nanoTime() > deadline) {
        running.forEach(ProcessHandle::destroyForcibly);
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running.forEach(ProcessHandle::destroyForcibly);
        return;
      }
    }
  }

  /**
   * Whether {@code p} has exited, reaped or not: the browser's children are orphans when it exits,
   * and until their new parent reaps them (some container inits take seconds) they are zombies,
   * alive to {@link ProcessHandle#isAlive}, state Z in {@code /proc/PID/stat}.
   */
  private static boolean gone(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
      int name = stat.lastIndexOf(')'); // "PID (NAME) STATE ...", and NAME may hold ") "
      return name > 0 && stat.length() > name + 2 && stat.charAt(name + 2) == 'Z';
    } catch (IOException e) {
      return !p.isAlive(); // no /proc (not Linux), or the process is gone now
    }
  }

  private static List<ProcessHandle> namingDirectory(Path home) {
    String name = home.toString();
    try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
      return processes.filter(p -> p.info().commandLine().map(c -> c.contains(name)).orElse(false)).toList();
    }
  }

  private static Path locate(String executable) throws IOException {
    if (executable.contains(File.separator)) {
      Path path = Path.of(executable);
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new IOException("no executable Chromium at " + path + "; " + INSTALL_HINT);
    }
    String searchPath = System.getenv().getOrDefault("PATH", "");
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, executable);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return candidate;
        }
      }
    }
    throw new IOException("no " + executable + " on the PATH (" + searchPath + "); " + INSTALL_HINT);
  }

  private static void deleteTree(Path root) {
    IOException last = null;
    // a process that is still exiting may write one more file into the profile: try again briefly
    for (int attempt = 0; attempt < 5 && Files.exists(root); attempt++) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        last = e;
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    if (Files.exists(root)) {
      throw new UncheckedIOException("cannot delete the browser's directory " + root,
          last != null ? last : new IOException(root.toString()));
    }
  }

  /**
   * Reads the browser's standard error on a thread of its own until the end, so the browser
   * never blocks on a full pipe; finds the DevTools endpoint and keeps the last lines for errors.
   */
  private static final class StandardError {
    private static final int KEPT_LINES = 60;
    final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private final Deque<String> lines = new ArrayDeque<>();

    StandardError(Process process) {
      Thread reader = new Thread(() -> read(process), "chromium-stderr-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Process process) {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (!endpoint.isDone()) {
            keep(line);
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              endpoint.complete(URI.create(m.group(1)));
            }
          }
        }
      } catch (IOException e) {
        // the stream closes when the process is killed
      }
      if (!endpoint.isDone()) {
        String status;
        try {
          status = process.waitFor(2, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
          status = "interrupted";
        }
        endpoint.completeExceptionally(
            new IOException("the browser's standard error ended (" + status + ") before it printed its endpoint"));
      }
    }

    private synchronized void keep(String line) {
      if (lines.size() == KEPT_LINES) {
        lines.removeFirst();
      }
      lines.addLast(line);
    }

    synchronized String collected() {
      return lines.isEmpty() ? "(nothing)" : String.join("\n", lines);
    }
  }
}
