package org.macronet.systems.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.cli.CommandLineRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.cli.CommandLineRun.Outcome;

/**
 * A fourth system, added with nothing but this folder (and its defaults under the same package in
 * {@code src/test/resources}) and one registration line in
 * {@code src/test/resources/META-INF/services/org.macronet.simulation.SystemProvider}: the
 * unchanged command line generates, trains, designs and analyses it, and reproduce pins it with a
 * baseline and then matches that baseline.
 */
class NoisyMapEndToEndTest {
  @TempDir
  Path dir;

  private static final String CONF = """
      system = noisymap
      simulation.noisymap.sigma = 0.02
      generate { samples = 600, partitions = 2, seed = 5 }
      train {
        macro-dim = 1
        steps = 60
        batch = 64
        couplings = 2
        hidden = [16]
        warmup = 5
        checkpoint-every = 0
        holdout = 0.2
        mode = jvm
      }
      design { targets = 2, samples = 20, seed = 3 }
      progress.interval = 0
      reproduce {
        stages = pipeline
        tolerance.default { absolute = 0, relative = 0 }
      }
      """;

  @Test
  void theUnchangedJobsRunTheToySystemEndToEnd() throws IOException {
    Path conf = dir.resolve("noisymap.conf");
    Files.writeString(conf, CONF);
    String run = dir.resolve("run").toString();
    List<String> common = List.of("--conf", conf.toString(), "--master", "local[2]", "--set", "output.dir=" + run);
    for (String command : List.of("generate", "train", "design", "analyze")) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(common);
      Outcome o = run(args.toArray(new String[0]));
      assertEquals(0, o.status(), command + ": " + o.out() + o.err());
    }
    for (String f : List.of("dataset/_macronet.json", "model/model.json", "design/designs.parquet",
        "design/targets.parquet", "design/metrics.json", "analysis/metrics.json", "analysis/macrostates.parquet",
        "report/report.md", "report/macrostates.png")) {
      assertTrue(Files.exists(Path.of(run, f)), f + " missing");
    }
    SparkSession spark = TestSpark.local("NoisyMapEndToEndTest");
    try {
      List<Row> targets = spark.read().parquet(run + "/design/targets.parquet").orderBy("target_id").collectAsList();
      assertEquals(List.of("rising", "rising", "falling", "falling"),
          targets.stream().map(r -> r.getString(r.fieldIndex("kind"))).toList());
      assertEquals(4 * 20, spark.read().parquet(run + "/design/designs.parquet").count());
      // every design of a target shares its macrostate
      assertEquals(4, spark.read().parquet(run + "/design/designs.parquet").select("target_id", "alpha_0").distinct()
          .count());
    } finally {
      spark.stop();
    }
    String report = Files.readString(Path.of(run, "report/report.md"));
    assertTrue(report.contains("median RMS distance of designed trajectories to their target"), report);

    // reproduce: the first run writes the baseline, the second matches it
    Path runs = dir.resolve("runs");
    Outcome first = run("reproduce", "--conf", conf.toString(), "--master", "local[2]", "--set",
        "reproduce.runs-dir=" + runs, "--update-baseline");
    assertEquals(0, first.status(), first.out() + first.err());
    assertTrue(Files.isRegularFile(dir.resolve("baselines/noisymap.json")), first.out());
    Outcome second = run("reproduce", "--conf", conf.toString(), "--master", "local[2]", "--set",
        "reproduce.runs-dir=" + runs);
    assertEquals(0, second.status(), second.out() + second.err());
    assertTrue(second.out().contains("reproduce: noisymap: PASS"), second.out());
  }

  @Test
  void theToySystemsOwnSettingIsCheckedLikeAnyOther() {
    Outcome o = run("generate", "--set", "system=noisymap", "--set", "simulation.noisymap.sigma=2", "--set",
        "output.dir=" + dir.resolve("bad"));
    assertEquals(2, o.status(), o.out() + o.err());
    assertTrue(o.err().contains("simulation.noisymap.sigma"), o.err());
  }
}
