package org.macronet.jobs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/** The tests' Spark: a real local[2] session without UI, and a sink for the jobs' progress lines. */
public final class TestSpark {
  /** Swallows the jobs' log lines in tests that do not read them. */
  public static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

  private TestSpark() {}

  /** A local[2] session named {@code app}, 4 shuffle partitions, no web UI; stop it in {@code @AfterAll}. */
  public static SparkSession local(String app) {
    return SparkSession.builder().master("local[2]").appName(app)
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }
}
