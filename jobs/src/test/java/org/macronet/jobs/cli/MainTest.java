package org.macronet.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.cli.CommandLineRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.cli.CommandLineRun.Outcome;

/** The command line as a user meets it: exit codes and one-line reasons. */
class MainTest {
  @TempDir
  Path dir;

  @Test
  void badConfigurationExitsWithStatusTwoAndOneLineNamingTheKey() {
    Outcome o = run("generate", "--conf", "../conf/quickstart.conf", "--set", "prior.Db=[0.05, 0.3]");
    assertEquals(2, o.status());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("macronet: configuration error: prior.Db: unstable"), o.err());
    Outcome unknown = run("generate", "--set", "generate.partition=3");
    assertEquals(2, unknown.status());
    assertTrue(unknown.err().contains("generate.partition: unknown key; did you mean generate.partitions?"), unknown.err());
  }

  @Test
  void unknownCommandsAndReproduceWithoutAConfigurationExitWithStatusTwo() {
    Outcome noConf = run("reproduce");
    assertEquals(2, noConf.status());
    assertTrue(noConf.err().contains("--conf: reproduce needs a pinned configuration"), noConf.err());
    assertEquals(2, run("frobnicate").status());
    Outcome help = run("help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("reproduce --conf conf/repro/NAME.conf [--update-baseline]"), help.out());
  }

  @Test
  void trainWithoutADatasetFailsWithOneLineNamingTheFile() {
    Outcome o = run("train", "--conf", "../conf/sho.conf", "--set", "output.dir=target/no-such-run");
    assertEquals(1, o.status());
    assertTrue(o.err().contains("no-such-run/dataset/_macronet.json: missing"), o.err());
    Outcome bad = run("train", "--conf", "../conf/sho.conf", "--set", "train.batch=0");
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("train.batch"), bad.err());
  }

  @Test
  void generateThenInspectAndVerify() throws Exception {
    String out = dir.resolve("run").toString();
    Outcome g = run("generate", "--conf", "../conf/sho.conf", "--set", "generate.samples=30",
        "--set", "output.dir=" + out, "--master", "local[2]");
    assertEquals(0, g.status(), g.err());
    assertTrue(g.out().contains("wrote 30 rows"), g.out());
    Outcome i = run("inspect", out, "--verify");
    assertEquals(0, i.status(), i.err());
    assertTrue(i.out().contains("system       oscillator"), i.out());
    assertTrue(i.out().contains("rows         30"), i.out());
    assertTrue(i.out().contains("verify       OK"), i.out());
    assertTrue(i.out().contains("generate.seed = 1"), i.out());

    // a second generate into the same run refuses, and says how to replace it
    Outcome again = run("generate", "--conf", "../conf/sho.conf", "--set", "generate.samples=30",
        "--set", "output.dir=" + out);
    assertEquals(2, again.status());
    assertTrue(again.err().contains("output.overwrite"), again.err());

    // a corrupt description is reported with its file name
    Path meta = Path.of(out, "dataset", "_macronet.json");
    Files.writeString(meta, "{ not json");
    Outcome corrupt = run("inspect", out);
    assertEquals(1, corrupt.status());
    assertTrue(corrupt.err().contains("_macronet.json"), corrupt.err());
    Outcome missing = run("inspect", dir.resolve("nothing").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("no such file or directory"), missing.err());
  }
}
