package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Python scripts that read the outputs with pyarrow and pandas, to prove them readable without
 * project code. CI installs both (it sets {@code CI}, and a missing module fails the test there);
 * elsewhere a test without them is skipped.
 */
public final class Python {
  private Python() {}

  /** Skips the calling test when pyarrow or pandas is missing, unless on CI, where that fails it. */
  public static void requirePandas() {
    boolean available = exitStatus("import pyarrow, pandas") == 0;
    if (!available && System.getenv("CI") != null) {
      throw new AssertionError("CI must install pyarrow and pandas (pip install --no-index --find-links "
          + "/opt/pypi/files pyarrow pandas)");
    }
    Assumptions.assumeTrue(available, "pyarrow/pandas not installed");
  }

  /** Runs {@code script}, asserts that it succeeds, and returns its output, trimmed. */
  public static String run(String script) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish in 120 s");
    assertEquals(0, p.exitValue(), output);
    return output;
  }

  private static int exitStatus(String code) {
    try {
      Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }
}
