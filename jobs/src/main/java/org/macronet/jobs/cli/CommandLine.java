package org.macronet.jobs.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.macronet.common.config.ConfigException;

/**
 * {@code macronet <command> [--conf FILE] [--set KEY=VALUE]... [--master URL] [ARG]...}
 *
 * @param command   the command name
 * @param conf      the configuration file, or null
 * @param sets      the {@code --set} overrides in order
 * @param master    the Spark master URL, or null for the default
 * @param arguments positional arguments after the command (e.g. the path for {@code inspect})
 * @param flags     bare flags such as {@code --verify}
 */
public record CommandLine(String command, File conf, List<String> sets, String master, List<String> arguments,
                          List<String> flags) {

  public static CommandLine parse(String[] args) {
    if (args.length == 0) {
      throw new ConfigException("command", "missing; run 'macronet help' for the commands");
    }
    String command = args[0];
    File conf = null;
    String master = null;
    List<String> sets = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--conf" -> conf = new File(value(args, ++i, a));
        case "--set" -> sets.add(value(args, ++i, a));
        case "--master" -> master = value(args, ++i, a);
        default -> {
          if (a.startsWith("--conf=")) {
            conf = new File(a.substring(7));
          } else if (a.startsWith("--set=")) {
            sets.add(a.substring(6));
          } else if (a.startsWith("--master=")) {
            master = a.substring(9);
          } else if (a.startsWith("--")) {
            flags.add(a);
          } else {
            positional.add(a);
          }
        }
      }
    }
    return new CommandLine(command, conf, List.copyOf(sets), master, List.copyOf(positional), List.copyOf(flags));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new ConfigException(option, "needs a value");
    }
    return args[i];
  }

  public boolean hasFlag(String flag) {
    return flags.contains(flag);
  }
}
