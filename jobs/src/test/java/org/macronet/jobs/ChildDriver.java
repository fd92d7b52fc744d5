package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.macronet.jobs.cli.Main;

/**
 * A {@code macronet} command in a JVM of its own, for tests that kill a driver: its stdout and
 * stderr go to a log file. The JVM gets this one's classpath and its module and {@code -D} options
 * (the root pom's {@code java.opens}, the list bin/java-options.sh gives bin/macronet), and inherits
 * its environment: the OpenBLAS kernel choice the root pom sets for the tests must be the same in
 * both JVMs for their weights to be comparable bit for bit.
 */
public final class ChildDriver {
  private static final Path CONF = Path.of("../conf").toAbsolutePath().normalize();

  private ChildDriver() {}

  /** Starts {@code macronet <args>} on a {@code local[2]} master with a 1 GB heap, its output in {@code log}. */
  public static Process start(List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--add-") || option.startsWith("-D")) {
        command.add(option);
      }
    }
    command.addAll(List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + CONF.resolve("log4j2.properties"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    command.addAll(List.of("--set", "spark.ui.enabled=false", "--master", "local[2]"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("MACRONET_DEBUG", "1");
    return pb.start();
  }

  /**
   * Waits until {@code dir} holds an entry whose name {@code matches}; fails when the driver exits
   * first or {@code timeout} passes.
   */
  public static void awaitEntry(Process driver, Path dir, Predicate<String> matches, Duration timeout, Path log)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.anyMatch(p -> matches.test(p.getFileName().toString()))) {
            return;
          }
        }
      }
      if (!driver.isAlive()) {
        fail("the driver exited with status " + driver.exitValue() + " before " + dir + " had the entry it "
            + "waited for\n" + output(log));
      }
      Thread.sleep(20);
    }
    fail("nothing awaited in " + dir + " after " + timeout + "\n" + output(log));
  }

  /** The driver's output, for failure messages. */
  public static String output(Path log) {
    try {
      return "--- driver output (" + log + ") ---\n" + Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** The configuration folder, absolute. */
  public static Path conf() {
    return CONF;
  }
}
