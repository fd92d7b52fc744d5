package org.macronet.jobs.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.TestFiles.deleteTree;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.ChildDriver;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.browser.BrowserPage;
import org.macronet.jobs.browser.HeadlessBrowser;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.SweepConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.pipeline.PipelineJob;

/** The sweep on a real local Spark: runs, their table, resumption, failures and the same bytes as pipeline. */
@Timeout(300)
class SweepJobTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("SweepJobTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** A small oscillator configuration: 1,500 pairs, 200 steps, 100 designs a target. */
  private static ConfigLoader loader(String out, String... sets) {
    return ConfigLoader.load(new File("../conf/sho.conf"), loaderSets(out, sets));
  }

  private static List<String> loaderSets(String out, String... sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0", "train.restarts=1",
        "generate.samples=1500",
        "train.steps=200", "train.checkpoint-every=100", "design.samples=100"));
    all.addAll(List.of(sets));
    return all;
  }

  private static SweepJob.Result sweep(ConfigLoader c, StringBuilder log) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      return SweepJob.run(spark, SweepConfig.from(c), out);
    } finally {
      log.append(bytes.toString(StandardCharsets.UTF_8));
    }
  }

  private static JsonNode json(Path file) throws IOException {
    return ModelArtifact.json().readTree(file.toFile());
  }

  @Test
  void runsTheProductOfSettingsWritesOneTableAndResumesWithoutRedoingFinishedRuns() throws IOException {
    Path out = dir.resolve("sho-seeds");
    ConfigLoader c = loader(out.toString(), "sweep.train.seed=[1..3]");
    StringBuilder log = new StringBuilder();
    SweepJob.Result first = sweep(c, log);
    assertEquals(List.of("seed=1", "seed=2", "seed=3"), first.runs().stream().map(SweepJob.RunResult::name).toList());
    assertEquals(0, first.failed(), log.toString());
    assertTrue(log.toString().contains("sweep: 0 finished earlier, 3 to train, 3 to design and analyze"), log.toString());

    // the table: one row per run with its setting, status and every bar, the same bars as each run's metrics.json
    Path sweepDir = out.resolve("sweep");
    JsonNode table = json(sweepDir.resolve(SweepTable.JSON));
    assertEquals("macronet-sweep", table.path("format").asText());
    assertEquals(3, table.path("runs").size());
    assertEquals(3, table.path("bars").size());
    for (int r = 0; r < 3; r++) {
      JsonNode row = table.path("runs").get(r);
      assertEquals(r + 1, row.path("settings").path("train.seed").asInt());
      assertEquals("done", row.path("status").asText());
      JsonNode metrics = json(sweepDir.resolve("runs/seed=" + (r + 1) + "/analysis/metrics.json"));
      assertEquals(metrics.path("bars"), row.path("metrics").path("bars"));
      assertEquals(metrics.path("bars_passed"), row.path("bars_passed"));
    }
    List<String> csv = Files.readAllLines(sweepDir.resolve(SweepTable.CSV));
    assertEquals(4, csv.size());
    assertTrue(csv.get(0).startsWith("run,train.seed,status,"), csv.get(0));
    assertTrue(csv.get(2).startsWith("seed=2,2,done,"), csv.get(2));
    for (String f : List.of(SweepTable.INDEX, SweepTable.MARKDOWN, "bar_1.png", "bar_2.png", "bar_3.png")) {
      assertTrue(Files.size(sweepDir.resolve(f)) > 0, f);
    }
    String index = Files.readString(sweepDir.resolve(SweepTable.INDEX));
    for (int s = 1; s <= 3; s++) {
      assertTrue(index.contains("href=\"runs/seed=" + s + "/report/index.html\""), "link to run " + s);
      assertTrue(Files.exists(sweepDir.resolve("runs/seed=" + s + "/report/index.html")));
      assertTrue(Files.exists(sweepDir.resolve("runs/seed=" + s + "/model/training.csv")));
    }

    checkInABrowser(sweepDir);

    // a run is a pipeline with its settings: the model has the same bytes as a standalone run's
    Path alone = dir.resolve("alone");
    ConfigLoader single = loader(alone.toString(), "train.seed=2");
    PipelineJob.run(spark, GenerateConfig.from(single), TrainConfig.from(single), DesignConfig.from(single),
        TestSpark.QUIET);
    assertArrayEquals(Files.readAllBytes(alone.resolve("model/model.safetensors")),
        Files.readAllBytes(sweepDir.resolve("runs/seed=2/model/model.safetensors")));
    assertArrayEquals(Files.readAllBytes(alone.resolve("model/training.csv")),
        Files.readAllBytes(sweepDir.resolve("runs/seed=2/model/training.csv")));
    assertEquals(json(alone.resolve("analysis/metrics.json")).path("bars"),
        json(sweepDir.resolve("runs/seed=2/analysis/metrics.json")).path("bars"));

    // killed after seed=1 finished, seed=2 trained and seed=3 in training: only what is missing is redone
    Path seed1Model = sweepDir.resolve("runs/seed=1/model/model.safetensors");
    long seed1Time = Files.getLastModifiedTime(seed1Model).toMillis();
    byte[] seed3Weights = Files.readAllBytes(sweepDir.resolve("runs/seed=3/model/model.safetensors"));
    Files.delete(sweepDir.resolve("runs/seed=2/manifest.json"));
    // seed=3 resumes from its checkpoint at step 100
    deleteTree(sweepDir.resolve("runs/seed=3/model"));
    StringBuilder again = new StringBuilder();
    SweepJob.Result second = sweep(c, again);
    assertEquals(0, second.failed(), again.toString());
    assertTrue(again.toString().contains("reusing the dataset"), again.toString());
    assertTrue(again.toString().contains("sweep: 1 finished earlier, 1 to train, 2 to design and analyze"),
        again.toString());
    assertEquals(seed1Time, Files.getLastModifiedTime(seed1Model).toMillis());
    assertArrayEquals(seed3Weights, Files.readAllBytes(sweepDir.resolve("runs/seed=3/model/model.safetensors")));
    assertEquals(table.path("runs").get(1).path("metrics").path("bars"),
        json(sweepDir.resolve(SweepTable.JSON)).path("runs").get(1).path("metrics").path("bars"));
  }

  @Test
  void aFailedRunIsReportedAndTheOthersGoOnAndItsFolderIsLeftAsItWas() throws IOException {
    Path out = dir.resolve("failing");
    ConfigLoader c = loader(out.toString(), "sweep.train.seed=[4, 5]");
    // someone else's model in seed=5's folder: the run refuses to replace it
    Path foreign = out.resolve("sweep/runs/seed=5/model/model.json");
    Files.createDirectories(foreign.getParent());
    Files.writeString(foreign, "{\"training\": {\"train.seed\": 99}}");
    StringBuilder log = new StringBuilder();
    SweepJob.Result r = sweep(c, log);
    assertEquals(1, r.failed());
    assertEquals("done", r.runs().get(0).status());
    SweepJob.RunResult failed = r.runs().get(1);
    assertEquals("failed", failed.status());
    assertTrue(failed.error().startsWith("train: ") && failed.error().contains("output.overwrite"), failed.error());
    assertEquals("{\"training\": {\"train.seed\": 99}}", Files.readString(foreign));
    List<String> csv = Files.readAllLines(out.resolve("sweep/" + SweepTable.CSV));
    assertTrue(csv.get(2).startsWith("seed=5,5,failed,"), csv.get(2));
    assertTrue(Files.readString(out.resolve("sweep/" + SweepTable.INDEX)).contains("failed: train: "));
  }

  @Test
  void settingsAreTheCartesianProductAndBadSweepsAreRefusedNamingTheKey() {
    String out = dir.resolve("plan").toString();
    SweepConfig plan = SweepConfig.from(loader(out, "sweep.train.seed=[1..3]", "sweep.train.gamma=[0.4,0.8]"));
    assertEquals(List.of("train.gamma", "train.seed"), plan.keys());
    assertEquals(List.of("gamma=0.4_seed=1", "gamma=0.4_seed=2", "gamma=0.4_seed=3", "gamma=0.8_seed=1",
        "gamma=0.8_seed=2", "gamma=0.8_seed=3"), plan.runs().stream().map(SweepConfig.Run::name).toList());
    SweepConfig.Run run = plan.runs().get(4);
    assertEquals(0.8, run.train().gamma());
    assertEquals(2, run.train().seed());
    assertEquals(out + "/sweep/runs/gamma=0.8_seed=2", run.train().outputDir());
    assertEquals(run.train().outputDir(), run.design().outputDir());
    assertEquals(Map.of("train.gamma", 0.8, "train.seed", 2L), Map.copyOf(run.settings()));
    assertEquals(List.of(32, 64), List.copyOf(SweepConfig.from(loader(out, "sweep.train.hidden=[[32],[64]]"))
        .runs().stream().map(r -> r.train().hidden()[0]).toList()));

    assertEquals("sweep.generate.samples", assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.generate.samples=[100,200]"))).key());
    assertEquals("sweep", assertThrows(ConfigException.class, () -> SweepConfig.from(loader(out))).key());
    assertEquals("sweep.train.mode", assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.train.mode=[jvm,spark]"))).key());
    assertEquals("sweep.train.seed", assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.train.seed=3"))).key());
    assertEquals("sweep.train.seed", assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.train.seed=[5..1]"))).key());
    ConfigException range = assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.train.gamma=[0.5,-1]")));
    assertEquals("train.gamma", range.key());
    assertTrue(range.getMessage().contains("in sweep run gamma=-1"), range.getMessage());
    assertFalse(assertThrows(ConfigException.class,
        () -> SweepConfig.from(loader(out, "sweep.train.seed=[1,1]"))).getMessage().isEmpty());
  }

  @Test
  void aSweepKilledInTrainingResumesToTheBytesOfAnUninterruptedOne() throws Exception {
    Path killed = dir.resolve("killed");
    Path whole = dir.resolve("whole");
    String[] sets = {"train.steps=3000", "train.log-every=100", "sweep.train.seed=[1,2]"};
    // Given a sweep in a driver of its own that has written a checkpoint of its first run,
    Path log = dir.resolve("sweep-driver.log");
    List<String> args = new ArrayList<>(List.of("sweep", "--conf", ChildDriver.conf().resolve("sho.conf").toString()));
    for (String set : loaderSets(killed.toString(), sets)) {
      args.addAll(List.of("--set", set));
    }
    Process driver = ChildDriver.start(args, log);
    Path run1 = killed.resolve("sweep/runs/seed=1");
    try {
      ChildDriver.awaitEntry(driver, run1.resolve("checkpoints"), name -> name.matches("step-\\d{10}"),
          java.time.Duration.ofMinutes(3), log);
    } finally {
      // when it is killed with SIGKILL,
      driver.destroyForcibly();
      assertTrue(driver.waitFor(1, java.util.concurrent.TimeUnit.MINUTES), "the killed driver did not exit");
    }
    assertEquals(128 + 9, driver.exitValue(), () -> ChildDriver.output(log));
    assertFalse(Files.exists(run1.resolve("model")), () -> "a model was published\n" + ChildDriver.output(log));

    // then the sweep, started again, resumes the run from its checkpoint
    StringBuilder again = new StringBuilder();
    SweepJob.Result resumed = sweep(loader(killed.toString(), sets), again);
    assertEquals(0, resumed.failed(), again.toString());
    assertTrue(again.toString().contains("reusing the dataset"), again.toString());
    String trainLog = Files.readString(run1.resolve(SweepJob.TRAIN_LOG));
    assertTrue(trainLog.contains("train: resuming from the checkpoint at step "), trainLog);
    // to the bytes of a sweep that was never interrupted.
    sweep(loader(whole.toString(), sets), new StringBuilder());
    for (String run : List.of("seed=1", "seed=2")) {
      for (String file : List.of("model/model.safetensors", "model/training.csv")) {
        assertArrayEquals(Files.readAllBytes(whole.resolve("sweep/runs/" + run + "/" + file)),
            Files.readAllBytes(killed.resolve("sweep/runs/" + run + "/" + file)), run + " " + file);
      }
    }
  }

  /**
   * The index page and a run's report in a real headless browser: no console errors, every figure
   * decodes, a row per bar and per run, links to the run reports that resolve, sorting by a
   * column; screenshots kept in target/browser-artifacts.
   */
  private static void checkInABrowser(Path sweepDir) throws IOException {
    java.time.Duration timeout = java.time.Duration.ofSeconds(60);
    Path artifacts = Path.of("target", "browser-artifacts");
    try (HeadlessBrowser browser = HeadlessBrowser.start()) {
      try (BrowserPage index = browser.open(sweepDir.resolve(SweepTable.INDEX), timeout)) {
        assertEquals(List.of(), index.consoleErrors());
        assertEquals(0, index.brokenImages());
        assertEquals(3, index.evaluate("document.images.length").asInt());
        // the runs' table: one row per run, each linking to a report that exists
        String runsTable = "[...document.querySelectorAll('table')].find(t => t.querySelector('th').textContent"
            + " === 'run')";
        assertEquals(3, index.evaluate(runsTable + ".tBodies[0].rows.length").asInt());
        JsonNode links = index.evaluate("[...document.querySelectorAll('a[href^=\"runs/\"]')]"
            + ".map(a => a.getAttribute('href'))");
        assertEquals(3, links.size());
        for (JsonNode link : links) {
          assertTrue(Files.exists(sweepDir.resolve(link.asText())), link.asText());
        }
        // sorting by the first bar's column orders the runs by that value, twice reverses
        String firstBar = runsTable + ".tHead.rows[0].cells[2]";
        String column = "[..." + runsTable + ".tBodies[0].rows].map(r => parseFloat(r.cells[2].textContent))";
        index.evaluate(firstBar + ".click()");
        List<Double> up = new ArrayList<>();
        index.evaluate(column).forEach(v -> up.add(v.asDouble()));
        assertEquals(up.stream().sorted().toList(), up);
        index.evaluate(firstBar + ".click()");
        List<Double> down = new ArrayList<>();
        index.evaluate(column).forEach(v -> down.add(v.asDouble()));
        java.util.Collections.reverse(up);
        assertEquals(up, down);
        index.screenshot(artifacts.resolve("sweep-index.png"));
      }
      Path report = sweepDir.resolve("runs/seed=1/report/index.html");
      try (BrowserPage page = browser.open(report, timeout)) {
        assertEquals(List.of(), page.consoleErrors());
        assertEquals(0, page.brokenImages());
        int bars = json(sweepDir.resolve("runs/seed=1/analysis/metrics.json")).path("bars").size();
        assertEquals(bars, page.evaluate("document.querySelectorAll('#bars tbody tr').length").asInt());
        assertEquals(bars, page.evaluate("document.querySelectorAll('#bars tbody tr.pass, #bars tbody tr.fail')"
            + ".length").asInt());
        // the two figures of the study and the training curves, each with a caption
        assertEquals(3, page.evaluate("document.images.length").asInt());
        assertEquals(3, page.evaluate("document.querySelectorAll('figure figcaption').length").asInt());
        assertTrue(page.evaluate("document.body.textContent").asText().contains("model weight checksum"));
        page.screenshot(artifacts.resolve("run-report.png"));
      }
    }
    assertTrue(Files.size(artifacts.resolve("sweep-index.png")) > 0);
  }

  @Test
  void aValueJustShortOfItsBarDoesNotReadAsTheBar() {
    assertEquals("0.9899957", SweepTable.apart(new SweepTable.Bar("b", 0.9899957, ">=", 0.99, false)));
    assertEquals("0.9942", SweepTable.apart(new SweepTable.Bar("b", 0.99423, ">=", 0.99, true)));
    assertEquals("0.99", SweepTable.apart(new SweepTable.Bar("b", 0.99, ">=", 0.99, true)));
  }
}
