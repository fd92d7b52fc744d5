package org.macronet.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version recorded in every artifact: the project version and the git commit it was built from. */
public final class BuildInfo {
  private static final String VERSION = load();

  private BuildInfo() {}

  /** e.g. {@code 0.1.0-SNAPSHOT+3f2a9c1} (with {@code .dirty} when built from uncommitted changes). */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/macronet-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String version = p.getProperty("version", "unknown");
    String commit = p.getProperty("commit", "");
    String dirty = p.getProperty("dirty", "false");
    if (commit.isEmpty() || commit.startsWith("${")) {
      return version;
    }
    return version + "+" + commit + ("true".equals(dirty) ? ".dirty" : "");
  }
}
