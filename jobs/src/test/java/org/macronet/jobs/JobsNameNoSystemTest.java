package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.macronet.simulation.SystemRegistry;

/**
 * The Spark module knows systems only through the registries: no source or resource under
 * {@code jobs/src/main} names a system on the classpath, imports a system module's package, or
 * uses a system class. (The linear system's name is also an ordinary word, so for it only its
 * uses as a name count: quoted, after {@code system =}, or as "linear system/dynamics".)
 */
class JobsNameNoSystemTest {

  @Test
  void noFileOfTheSparkModuleNamesASystem() throws IOException {
    List<String> words = new ArrayList<>(List.of("gray-scott", "grayscott", "turing", "oscillator"));
    for (String name : SystemRegistry.names()) {
      if (!name.equals("linear")) {
        words.add(name);
      }
    }
    Pattern named = Pattern.compile("(?i)\\b(" + String.join("|", words.stream().map(Pattern::quote).toList())
        + ")\\b|org\\.macronet\\.systems|\"linear\"|system\\s*=\\s*linear|linear (system|dynamics)"
        + "|LinearDynamics|HarmonicOscillator");
    List<String> found = new ArrayList<>();
    Path root = Path.of("src/main");
    assertTrue(Files.isDirectory(root.resolve("java/org/macronet/jobs")), "run from the jobs module");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = named.matcher(lines.get(i));
          if (m.find()) {
            found.add(root.relativize(f) + ":" + (i + 1) + ": " + m.group());
          }
        }
      }
    }
    assertEquals(List.of(), found);
  }
}
