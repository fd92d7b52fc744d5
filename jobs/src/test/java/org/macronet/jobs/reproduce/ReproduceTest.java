package org.macronet.jobs.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.cli.Main;
import org.macronet.jobs.model.ModelArtifact;

/**
 * {@code macronet reproduce} as a scheduler runs it: the command line, real Spark in local mode,
 * the pinned configurations under {@code conf/repro} and their committed baselines.
 */
class ReproduceTest {
  private static final String SHO = "../conf/repro/sho.conf";
  private static final Path SHO_BASELINE = Path.of("../conf/repro/baselines/sho.json");

  @TempDir
  Path dir;

  private record Outcome(int status, String out, String err) {}

  private Outcome reproduce(String conf, String... more) {
    List<String> args = new ArrayList<>(List.of("reproduce", "--conf", conf, "--master", "local[2]",
        "--set", "reproduce.runs-dir=" + dir.resolve("runs"), "--set", "progress.interval=0"));
    args.addAll(List.of(more));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The run folders made so far, oldest first (their names sort by time). */
  private List<Path> runs() throws IOException {
    Path runs = dir.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.sorted().toList();
    }
  }

  private static JsonNode json(Path file) throws IOException {
    return ModelArtifact.json().readTree(file.toFile());
  }

  @Test
  void oscillatorMatchesItsCommittedBaselineAndRecordsTheRun() throws IOException {
    Outcome o = reproduce(SHO);
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("reproduce: sho: PASS"), o.out());
    assertEquals("", o.err());
    Path run = runs().get(0);
    assertTrue(run.getFileName().toString().matches("sho-\\d{8}T\\d{6}Z"), run.toString());
    JsonNode manifest = json(run.resolve("manifest.json"));
    for (String field : List.of("configuration", "configuration_sha256", "code_version", "checksums", "metrics",
        "timings", "platform", "spark", "seeds")) {
      assertFalse(manifest.path(field).isMissingNode(), field + " missing from the manifest");
    }
    assertEquals("local[2]", manifest.path("spark").path("master").asText());
    assertEquals(1, manifest.path("spark").path("executors").asInt());
    assertEquals(64, manifest.path("configuration_sha256").asText().length());
    for (String key : List.of("java_version", "os_arch", "vector_bits", "blas", "blas_library", "cpu")) {
      assertFalse(manifest.path("platform").path(key).asText().isEmpty(), key);
    }
    // the weight checksum is of the numbers: the model read back from its files gives the same one
    ModelArtifact model = ModelArtifact.read(FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(run.resolve("model").toString()));
    assertEquals(manifest.path("checksums").path("model").asText(), model.weightChecksum());
    JsonNode baseline = json(SHO_BASELINE);
    assertEquals(baseline.path("checksums").path("dataset").asText(), manifest.path("checksums").path("dataset").asText());
    JsonNode verdict = json(run.resolve("verdict.json"));
    assertEquals("pass", verdict.path("verdict").asText());
    assertTrue(verdict.path("drifted").isEmpty());
    // checksums.model is compared exactly on the baseline's platform and skipped, with the reason, elsewhere
    boolean samePlatform = baseline.path("platform").equals(manifest.path("platform"));
    String modelStatus = verdict.path("checks").findParents("name").stream()
        .filter(c -> c.path("name").asText().equals("checksums.model")).findFirst().orElseThrow()
        .path("status").asText();
    assertEquals(samePlatform ? "pass" : "skipped", modelStatus);
  }

  @Test
  void alteredBaselineFailsWithStatusOneNamingEachValueThatDrifted() throws IOException {
    // Given a copy of the committed baseline with one metric moved beyond its tolerance and the dataset checksum changed
    ObjectNode baseline = (ObjectNode) json(SHO_BASELINE);
    ObjectNode metrics = (ObjectNode) baseline.path("metrics");
    double rho = metrics.path("spearman_macro_u_energy").asDouble();
    metrics.put("spearman_macro_u_energy", rho - 0.05); // tolerance 0.01 absolute
    ObjectNode sums = (ObjectNode) baseline.path("checksums");
    String dataset = sums.path("dataset").asText();
    sums.put("dataset", dataset.substring(0, dataset.length() - 1) + (dataset.endsWith("0") ? "1" : "0"));
    Path altered = dir.resolve("altered/sho.json");
    Files.createDirectories(altered.getParent());
    Files.write(altered, ModelArtifact.jsonBytes(baseline));

    // When reproduce runs against it
    Outcome o = reproduce(SHO, "--set", "reproduce.baseline=" + altered);

    // Then it exits 1 and names both values, on the console, in one line on stderr and in verdict.json
    assertEquals(1, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("reproduce: sho: DRIFT in 2 of"), o.out());
    assertTrue(o.out().contains("DRIFT   spearman_macro_u_energy: baseline " + (rho - 0.05)), o.out());
    assertTrue(o.out().contains("DRIFT   checksums.dataset: baseline " + sums.path("dataset").asText()), o.out());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("macronet: reproduce sho: DRIFT in 2 of")
        && o.err().contains("checksums.dataset, spearman_macro_u_energy"), o.err());
    JsonNode verdict = json(runs().get(0).resolve("verdict.json"));
    assertEquals("drift", verdict.path("verdict").asText());
    assertEquals(List.of("checksums.dataset", "spearman_macro_u_energy"),
        ModelArtifact.json().convertValue(verdict.path("drifted"), List.class));
    JsonNode check = verdict.path("checks").findParents("name").stream()
        .filter(c -> c.path("name").asText().equals("spearman_macro_u_energy")).findFirst().orElseThrow();
    assertEquals(0.01, check.path("tolerance").path("absolute").asDouble());
    assertEquals(0.05, check.path("difference").asDouble(), 1e-9);
    // the committed baseline itself is untouched
    assertEquals(rho, json(SHO_BASELINE).path("metrics").path("spearman_macro_u_energy").asDouble());
  }

  @Test
  void updateBaselineWritesOneThatTheNextRunMatchesExactly() throws IOException {
    Path baseline = dir.resolve("new/sho-small.json");
    String[] small = {"--set", "reproduce.baseline=" + baseline, "--set", "generate.samples=600", "--set",
        "train.steps=150", "--set", "design.samples=50"};
    List<String> first = new ArrayList<>(List.of(small));
    first.add("--update-baseline");
    Outcome written = reproduce(SHO, first.toArray(new String[0]));
    assertEquals(0, written.status(), written.out() + written.err());
    assertTrue(written.out().contains("reproduce: sho: NEW BASELINE WRITTEN to " + baseline + " (there was none "
        + "before)"), written.out());
    assertTrue(Files.isRegularFile(baseline));
    JsonNode updated = json(runs().get(0).resolve("verdict.json"));
    assertEquals("baseline-updated", updated.path("verdict").asText());
    assertTrue(updated.path("previous_baseline_comparison").isNull());

    Outcome again = reproduce(SHO, small);
    assertEquals(0, again.status(), again.out() + again.err());
    assertTrue(again.out().contains("reproduce: sho: PASS"), again.out());
    // same machine, same platform: the weights are compared bit for bit
    JsonNode verdict = json(runs().get(1).resolve("verdict.json"));
    assertEquals(List.of(), ModelArtifact.json().convertValue(verdict.path("skipped"), List.class));
    assertTrue(again.out().contains("same platform as the baseline"), again.out());
    assertFalse(runs().get(0).equals(runs().get(1)), "each run gets its own folder");
  }

  @Test
  void linearAndGrayScottMatchTheirCommittedBaselines() throws IOException {
    Outcome lds = reproduce("../conf/repro/lds.conf");
    assertEquals(0, lds.status(), lds.out() + lds.err());
    assertTrue(lds.out().contains("reproduce: lds: PASS"), lds.out());
    Outcome gs = reproduce("../conf/repro/grayscott.conf");
    assertEquals(0, gs.status(), gs.out() + gs.err());
    // generation only: the configuration hash, the dataset checksum and the row count
    assertTrue(gs.out().contains("reproduce: grayscott: PASS: 3 values match the baseline"), gs.out());
    Path run = runs().stream().filter(p -> p.getFileName().toString().startsWith("grayscott-")).findFirst()
        .orElseThrow();
    assertFalse(Files.exists(run.resolve("model")));
    assertTrue(Files.isRegularFile(run.resolve("dataset/_macronet.json")));
  }

  @Test
  void latticeSystemsMatchTheirCommittedBaselines() throws IOException {
    Outcome ising = reproduce("../conf/repro/ising.conf");
    assertEquals(0, ising.status(), ising.out() + ising.err());
    // the configuration hash, three checksums (dataset, upsampled, pairs) and three row counts
    assertTrue(ising.out().contains("reproduce: ising: PASS: 7 values match the baseline"), ising.out());
    Path run = runs().stream().filter(p -> p.getFileName().toString().startsWith("ising-")).findFirst()
        .orElseThrow();
    for (String folder : List.of("dataset", "upsampled", "pairs")) {
      assertTrue(Files.isRegularFile(run.resolve(folder + "/_macronet.json")), folder);
    }
    for (String name : List.of("curie-weiss", "predator-prey")) {
      Outcome o = reproduce("../conf/repro/" + name + ".conf");
      assertEquals(0, o.status(), o.out() + o.err());
      assertTrue(o.out().contains("reproduce: " + name + ": PASS"), o.out());
    }
  }

  @Test
  void theLearnedSdeMatchesItsCommittedBaseline() throws IOException {
    Outcome o = reproduce("../conf/repro/ising-sde.conf");
    assertEquals(0, o.status(), o.out() + o.err());
    assertTrue(o.out().contains("reproduce: ising-sde: PASS"), o.out());
    Path run = runs().stream().filter(p -> p.getFileName().toString().startsWith("ising-sde-")).findFirst()
        .orElseThrow();
    for (String file : List.of("sde/model.safetensors", "sde-naive/model.json", "direct/_macronet.json",
        "analysis/metrics.json", "analysis/trajectories.parquet/_SUCCESS")) {
      assertTrue(Files.exists(run.resolve(file)), file);
    }
    // the same method on a field system: the predator-prey line
    Outcome pp = reproduce("../conf/repro/predator-prey-sde.conf");
    assertEquals(0, pp.status(), pp.out() + pp.err());
    assertTrue(pp.out().contains("reproduce: predator-prey-sde: PASS"), pp.out());
  }

  @Test
  void missingBaselineOrBadSettingsStopBeforeAnyWorkWithStatusTwo() throws IOException {
    Path none = dir.resolve("nowhere/sho.json");
    Outcome o = reproduce(SHO, "--set", "reproduce.baseline=" + none);
    assertEquals(2, o.status(), o.out() + o.err());
    assertEquals(1, o.err().lines().count(), o.err());
    assertTrue(o.err().startsWith("macronet: configuration error: reproduce.baseline: no baseline at " + none)
        && o.err().contains("--update-baseline"), o.err());
    assertEquals(List.of(), runs());

    Files.createDirectories(none.getParent());
    Files.writeString(none, "{\"format\": \"something else\"}");
    o = reproduce(SHO, "--set", "reproduce.baseline=" + none);
    assertEquals(2, o.status());
    assertTrue(o.err().contains(none + ": not a macronet reproduce baseline"), o.err());

    o = reproduce(SHO, "--set", "reproduce.tolerance.spearman_macro_u_energy.abs=0.1");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("reproduce.tolerance.spearman_macro_u_energy.abs: a tolerance is "), o.err());
    o = reproduce(SHO, "--set", "reproduce.tolerance.design.absolute=-1");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("reproduce.tolerance.design.absolute: must be a finite number >= 0, found -1"), o.err());
    // the design settings of a pipeline are checked before anything runs
    o = reproduce("../conf/repro/grayscott.conf", "--set", "reproduce.stages=pipeline", "--set", "design.targets=0");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("design.targets: must be in [1, 100000], found 0"), o.err());
    o = reproduce(SHO, "--update-baselines");
    assertEquals(2, o.status());
    assertTrue(o.err().contains("--update-baselines: unknown option of reproduce"), o.err());
    assertEquals(List.of(), runs());

    // an explicit run folder that exists already is refused, never overwritten
    Path taken = dir.resolve("taken");
    Files.createDirectories(taken.resolve("dataset"));
    o = reproduce("../conf/repro/grayscott.conf", "--set", "output.dir=" + taken);
    assertEquals(2, o.status(), o.out() + o.err());
    assertTrue(o.err().contains("output.dir: ") && o.err().contains("already exists"), o.err());
    try (Stream<Path> s = Files.list(taken)) {
      assertEquals(List.of(taken.resolve("dataset")), s.toList());
    }
  }
}
