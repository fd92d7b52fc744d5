package org.macronet.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.prior.PriorEntry;
import org.macronet.systems.grayscott.GrayScottSystem;

class ConfigLoaderTest {

  /** The settings after {@code system=grayscott}, the system these cases are about. */
  private static List<String> grayScott(String... sets) {
    List<String> all = new java.util.ArrayList<>(List.of("system=grayscott"));
    all.addAll(List.of(sets));
    return all;
  }

  private static GenerateConfig generate(String... sets) {
    return GenerateConfig.from(ConfigLoader.load(null, grayScott(sets)));
  }

  @Test
  void autoMacroDimAndSharingFollowTheSystemsHints() {
    TrainConfig gs = train();
    assertEquals(2, gs.macroDim());
    assertFalse(gs.shared());
    TrainConfig oscillator = TrainConfig.from(ConfigLoader.load(null, List.of("system=oscillator")));
    assertEquals(1, oscillator.macroDim());
    assertTrue(oscillator.shared());
    TrainConfig set = TrainConfig.from(ConfigLoader.load(null, List.of("system=oscillator", "train.macro-dim=2",
        "train.shared=false")));
    assertEquals(2, set.macroDim());
    assertFalse(set.shared());
    ConfigException e = assertThrows(ConfigException.class, () -> train("train.macro-dim=two"));
    assertEquals("train.macro-dim", e.key());
    assertTrue(e.getMessage().contains("must be an integer or auto, found 'two'"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> train("train.shared=yes"));
    assertTrue(e.getMessage().contains("must be true, false or auto, found 'yes'"), e.getMessage());
  }

  @Test
  void aTargetsFileIsPartOfEveryStudysResolvedSettings() {
    assertTrue(!DesignConfig.from(ConfigLoader.load(new File("../conf/sho.conf"), List.of())).resolved()
        .containsKey("design.targets-path"), "an empty path keeps the pinned hash");
    assertEquals("/data/t.parquet", DesignConfig.from(ConfigLoader.load(new File("../conf/sho.conf"),
        List.of("design.targets-path=/data/t.parquet"))).resolved().get("design.targets-path"));
  }

  @Test
  void aConfigurationMustNameItsSystem() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> GenerateConfig.from(ConfigLoader.load(null, List.of())));
    assertEquals("system", e.key());
    assertTrue(e.getMessage().contains("must name a system, one of curie-weiss, grayscott, ising, linear,"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> generate("system=heat"));
    assertTrue(e.getMessage().contains("found 'heat'"), e.getMessage());
  }

  private static ConfigException refused(String... sets) {
    return assertThrows(ConfigException.class, () -> generate(sets));
  }

  @Test
  void everyShippedConfigurationLoads() {
    File[] files = new File("../conf").listFiles((d, n) -> n.endsWith(".conf") && !n.startsWith("spark-"));
    assertTrue(files != null && files.length >= 5, "expected the job configurations under conf/");
    for (File f : files) {
      GenerateConfig c = GenerateConfig.from(ConfigLoader.load(f, List.of()));
      assertTrue(c.samples() > 0, f.getName());
      if (c.system() instanceof org.macronet.simulation.PairSystem) {
        TrainConfig.from(ConfigLoader.load(f, List.of()));
        DesignConfig.from(ConfigLoader.load(f, List.of()));
      }
    }
  }

  private static TrainConfig train(String... sets) {
    return TrainConfig.from(ConfigLoader.load(null, grayScott(sets)));
  }

  @Test
  void grayScottGetsAnImageFlowForVAndOtherSystemsDoNot() {
    // Given Gray-Scott and its 2 x 64 x 64 patterns, when the spec is built
    TrainConfig t = train();
    assertEquals(2 * 64 * 64, t.spec(4, 8192, new int[] {2, 64, 64}).imageV().dim());
    assertEquals("image", t.resolved().get("train.v-flow"));
    // the vector systems keep a RealNVP v flow, and their resolved keys (and hashes) do not change
    TrainConfig sho = TrainConfig.from(ConfigLoader.load(new File("../conf/sho.conf"), List.of()));
    assertEquals(null, sho.image());
    assertTrue(sho.resolved().keySet().stream().noneMatch(k -> k.startsWith("train.image") || k.equals("train.v-flow")));
    assertEquals(null, train("train.v-flow=realnvp").spec(4, 8192, new int[] {2, 64, 64}).imageV());
  }

  @Test
  void imageFlowKeysAreCheckedByName() {
    ConfigException e = assertThrows(ConfigException.class, () -> train("train.v-flow=conv"));
    assertEquals("train.v-flow", e.key());
    e = assertThrows(ConfigException.class, () -> train("train.image.hidden=[16, 32]"));
    assertEquals("train.image.hidden", e.key());
    assertTrue(e.getMessage().contains("one width in [1, 4096] per scale (4)"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> train("train.image.kernel=4"));
    assertEquals("train.image.kernel", e.key());
    // 4 scales halve a 24 x 24 grid four times: 24 is not divisible by 16
    e = assertThrows(ConfigException.class, () -> train().spec(4, 2 * 24 * 24, new int[] {2, 24, 24}));
    assertEquals("train.image.scales", e.key());
    e = assertThrows(ConfigException.class, () -> train("train.v-flow=image").spec(4, 16, new int[] {16}));
    assertEquals("train.v-flow", e.key());
  }

  @Test
  void designSweepKeysAreCheckedByName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DesignConfig.from(ConfigLoader.load(null, grayScott("design.random-samples=1"))));
    assertEquals("design.random-samples", e.key());
    e = assertThrows(ConfigException.class,
        () -> DesignConfig.from(ConfigLoader.load(null, grayScott("design.partitions=0"))));
    assertEquals("design.partitions", e.key());
  }

  @Test
  void setOverridesTheFileAndParsesRangesNumbersAndGrids() {
    GenerateConfig c = GenerateConfig.from(ConfigLoader.load(new File("../conf/turing.conf"),
        List.of("generate.samples=12", "prior.F=[0.03, 0.04]", "prior.Da=0.15", "output.dir=hdfs://nn:8020/runs/x")));
    assertEquals(12, c.samples());
    assertEquals(new PriorEntry.Uniform(0.03, 0.04), c.system().prior().entry("F"));
    assertEquals(new PriorEntry.Fixed(0.15), c.system().prior().entry("Da"));
    assertEquals("hdfs://nn:8020/runs/x", c.outputDir());
    GenerateConfig sweep = generate("prior.F={grid: [0.01, 0.05, 5]}", "prior.k={grid: [0.05, 0.06, 3]}",
        "generate.seeds-per-point=2");
    assertEquals(30, sweep.samples());
  }

  @Test
  void unknownKeyIsRefusedWithASuggestion() {
    ConfigException e = refused("generate.sampels=10");
    assertEquals("generate.sampels", e.key());
    assertTrue(e.getMessage().contains("did you mean generate.samples"), e.getMessage());
  }

  @Test
  void wrongTypeNamesKeyAndValue() {
    ConfigException e = refused("generate.samples=many");
    assertEquals("generate.samples", e.key());
    assertTrue(e.getMessage().contains("'many'"), e.getMessage());
    assertEquals("output.overwrite", refused("output.overwrite=maybe").key());
    assertEquals("simulation.grayscott.kernel", refused("simulation.grayscott.kernel=cuda").key());
  }

  @Test
  void outOfRangeValuesNameTheKeyAndValue() {
    ConfigException samples = refused("generate.samples=0");
    assertEquals("generate.samples", samples.key());
    assertTrue(samples.getMessage().contains("found 0"), samples.getMessage());
    assertEquals("generate.samples", refused("generate.samples=-5").key());
    assertEquals("generate.partitions", refused("generate.partitions=0").key());
    assertEquals("simulation.grayscott.size", refused("simulation.grayscott.size=2").key());
    assertEquals("simulation.grayscott.dt", refused("simulation.grayscott.dt=-1").key());
    assertEquals("simulation.grayscott.disc-radius", refused("simulation.grayscott.disc-radius=40").key());
  }

  @Test
  void priorRangeWithLoAboveHiIsRefused() {
    ConfigException e = refused("prior.F=[0.06, 0.01]");
    assertEquals("prior.F", e.key());
    assertTrue(e.getMessage().contains("[0.06, 0.01]"), e.getMessage());
    assertEquals("prior.F", refused("prior.F=[0.01]").key());
    assertEquals("prior.F", refused("prior.F={grid: [0.01, 0.02, 2.5]}").key());
    assertEquals("prior.Dx", refused("prior.Dx=0.1").key());
  }

  @Test
  void unstableGrayScottStepIsRefusedForAnyValueThePriorAllows() {
    // Da up to 0.3 with dt = 1: 4 * 0.3 = 1.2 >= 1, though most of the range is stable
    ConfigException e = refused("prior.Da=[0.1, 0.3]");
    assertEquals("prior.Da", e.key());
    assertTrue(e.getMessage().contains("unstable"), e.getMessage());
    assertTrue(e.getMessage().contains("simulation.grayscott.dt"), e.getMessage());
    // exactly on the bound is unstable too
    assertEquals("prior.Db", refused("prior.Db=0.25").key());
    // a smaller step makes the same prior acceptable
    GenerateConfig ok = generate("prior.Da=[0.1, 0.3]", "simulation.grayscott.dt=0.5");
    assertInstanceOf(GrayScottSystem.class, ok.system());
  }

  @Test
  void gridSweepSampleCountMustAgree() {
    ConfigException e = refused("prior.F={grid: [0.01, 0.05, 5]}", "generate.samples=7");
    assertEquals("generate.samples", e.key());
    assertTrue(e.getMessage().contains("5 samples"), e.getMessage());
    assertEquals("generate.seeds-per-point", refused("generate.seeds-per-point=3").key());
  }

  @Test
  void malformedSetAndMissingFileAreRefused() {
    assertEquals("--set", refused("generate.samples").key());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(new File("no/such.conf"), List.of()));
    assertEquals("--conf", missing.key());
    assertEquals("system", refused("system=lorenz").key());
  }

  @Test
  void sparkKeysThatBeginOtherSparkKeysAreAllPassedOnVerbatim() {
    // Given --set spark.authenticate and spark.authenticate.secret, which HOCON would nest into one another,
    // and a secret that looks like a number
    Map<String, String> spark = ConfigLoader.load(null, List.of("spark.authenticate=true",
        "spark.authenticate.secret=0123e4", "spark.network.crypto.enabled=true", "generate.samples=10",
        "spark.authenticate.secret=0123e5")).sparkSettings();
    // then Spark gets every key, each value as written, the last one given winning
    assertEquals(Map.of("spark.authenticate", "true", "spark.authenticate.secret", "0123e5",
        "spark.network.crypto.enabled", "true"), spark);
  }

  @Test
  void quotedSparkKeysInAFileArePassedOnAndSetOverridesThem(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("cluster.conf");
    Files.writeString(conf, """
        "spark.authenticate" = true
        "spark.authenticate.secret" = from-the-file
        spark.ui.enabled = false
        """);
    Map<String, String> spark = ConfigLoader.load(conf.toFile(), List.of()).sparkSettings();
    assertEquals(Map.of("spark.authenticate", "true", "spark.authenticate.secret", "from-the-file",
        "spark.ui.enabled", "false"), spark);
    spark = ConfigLoader.load(conf.toFile(), List.of("spark.authenticate.secret=from-set")).sparkSettings();
    assertEquals("from-set", spark.get("spark.authenticate.secret"));
    assertEquals("true", spark.get("spark.authenticate"));
  }
}
