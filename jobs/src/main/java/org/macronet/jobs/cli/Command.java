package org.macronet.jobs.cli;

import java.io.PrintStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * A command of the {@code macronet} command line contributed by a module outside {@code jobs}
 * (the benchmarks), listed in {@code META-INF/services/org.macronet.jobs.cli.Command}. The built-in
 * commands take precedence; a contributed one is found by {@link #name()}.
 */
public interface Command {

  /** The command's name on the command line. */
  String name();

  /** Its lines in {@code macronet help}, each indented to follow the command's name. */
  List<String> usage();

  /**
   * A classpath resource (HOCON, relative to this class's package or absolute with a leading
   * {@code /}) with the defaults of the keys the command reads itself; {@code null} when it has
   * none. The configuration loader accepts these keys besides the common ones.
   */
  default String defaultsResource() {
    return null;
  }

  /**
   * Runs the command.
   *
   * @return the exit status: 0 on success
   * @throws org.macronet.common.config.ConfigException for a bad command line or configuration (status 2)
   */
  int run(CommandLine commandLine, PrintStream out) throws Exception;

  /** Every contributed command on the classpath, by name. */
  static Map<String, Command> all() {
    Map<String, Command> found = new TreeMap<>();
    for (Command c : ServiceLoader.load(Command.class, Command.class.getClassLoader())) {
      found.putIfAbsent(c.name(), c);
    }
    return Collections.unmodifiableMap(found);
  }
}
