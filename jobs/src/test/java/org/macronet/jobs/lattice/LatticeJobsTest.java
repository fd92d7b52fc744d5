package org.macronet.jobs.lattice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.simulation.lattice.SpinLattice;

/** {@code upsample} and {@code evolve} on a real local Spark, from a real Ising dataset. */
class LatticeJobsTest {
  private static SparkSession spark;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("LatticeJobsTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  /** 12 trajectories of 8 x 8, 6 sweeps, a snapshot every 2 (48 snapshots), upsampled to 32 x 32. */
  private static ConfigLoader conf(String out, String... more) {
    List<String> s = new ArrayList<>(List.of("system=ising", "output.dir=" + out, "progress.interval=0",
        "generate.samples=12", "generate.partitions=3", "simulation.ising.size=8", "simulation.ising.sweeps=6",
        "simulation.ising.snapshot-every=2", "upsample.size=32", "upsample.window=8", "upsample.stride=4",
        "upsample.events=64", "upsample.random-states=5", "evolve.patch=8"));
    s.addAll(List.of(more));
    return ConfigLoader.load(null, s);
  }

  private static Map<String, String> runAll(String out, String... more) throws IOException {
    Map<String, String> sums = new HashMap<>();
    sums.put("dataset", GenerateJob.run(spark, GenerateConfig.from(conf(out, more)), TestSpark.QUIET).checksum());
    sums.put("upsampled", UpsampleJob.run(spark, UpsampleConfig.from(conf(out, more)), TestSpark.QUIET).checksum());
    sums.put("pairs", EvolveJob.run(spark, EvolveConfig.from(conf(out, more)), TestSpark.QUIET).checksum());
    return sums;
  }

  @Test
  void sameRowsOnAnyPartitioningOfTheInput() throws IOException {
    Map<String, String> a = runAll(dir.resolve("a").toString());
    Map<String, String> b = runAll(dir.resolve("b").toString(), "generate.partitions=1");
    assertEquals(a, b);
    // the jobs read their inputs in different splits: 3 files against 1
    assertNotEquals(spark.read().parquet(dir.resolve("a/dataset").toString()).javaRDD().getNumPartitions(),
        spark.read().parquet(dir.resolve("b/dataset").toString()).javaRDD().getNumPartitions());
    // the files agree with their descriptions (what inspect --verify checks)
    for (String folder : List.of("upsampled", "pairs")) {
      assertEquals(a.get(folder), DatasetChecksums.compute(spark.read().parquet(dir.resolve("a/" + folder).toString()))
          .checksum(), folder);
    }
    Map<String, String> other = runAll(dir.resolve("c").toString(), "upsample.seed=2", "evolve.seed=2");
    assertEquals(a.get("dataset"), other.get("dataset"));
    assertNotEquals(a.get("upsampled"), other.get("upsampled"));
    assertNotEquals(a.get("pairs"), other.get("pairs"));
  }

  @Test
  void upsampledStatesAndPairsHoldWhatTheContractSays() throws IOException {
    String out = dir.resolve("contract").toString();
    runAll(out, "upsample.events=0");
    List<Row> source = spark.read().parquet(out + "/dataset").orderBy("sample_id", "sweep").collectAsList();
    List<Row> states = spark.read().parquet(out + "/upsampled").orderBy("sweep", "sample_id").collectAsList();
    assertEquals(48 + 5, states.size());
    Map<String, Double> sourceM = new HashMap<>();
    for (Row r : source) {
      sourceM.put(r.getLong(0) + "/" + r.getInt(5), r.getDouble(7));
    }
    int random = 0;
    for (Row s : states) {
      int sweep = s.getAs("sweep");
      byte[] spins = bytes(s.getList(s.fieldIndex("spins")));
      assertEquals(32 * 32, spins.length);
      assertEquals(SpinLattice.magnetisation(spins), (double) s.getAs("m"), 0.0);
      if (sweep < 0) {
        random++;
      } else {
        // without relaxation events upsampling is block copy, which keeps m exactly
        assertEquals(sourceM.get(s.getLong(0) + "/" + sweep), (double) s.getAs("m"), 0.0);
      }
    }
    assertEquals(5, random);

    List<Row> pairs = spark.read().parquet(out + "/pairs").collectAsList();
    assertEquals(states.size(), pairs.size());
    DatasetMetadata md = DatasetMetadata.read(org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()),
        new org.apache.hadoop.fs.Path(out, "pairs"));
    assertEquals(DatasetMetadata.PATCH_PAIRS, md.kind());
    for (Row p : pairs) {
      assertEquals(16, (int) p.getAs("patches"));
      assertEquals(8, (int) p.getAs("patch_size"));
      assertTrue((double) p.getAs("dt") > 0);
      byte[] x0 = bytes(p.getList(p.fieldIndex("spins")));
      byte[] before = bytes(p.getList(p.fieldIndex("patch_0")));
      byte[] after = bytes(p.getList(p.fieldIndex("patch_1")));
      int index = p.getAs("patch");
      int px = (index % 4) * 8;
      int py = (index / 4) * 8;
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          assertEquals(x0[(py + y) * 32 + px + x], before[y * 8 + x], "patch_0 is x0's patch " + index);
        }
      }
      assertEquals(SpinLattice.magnetisation(x0), (double) p.getAs("m"), 0.0);
      assertEquals(SpinLattice.brokenBondFraction(x0, 32), (double) p.getAs("rho"), 0.0);
      assertEquals(SpinLattice.magnetisation(after), (double) p.getAs("patch_m_1"), 0.0);
      double dm = (double) p.getAs("m_1") - (double) p.getAs("m");
      assertEquals((double) p.getAs("patch_m_1") - (double) p.getAs("patch_m_0"), dm, 1e-15, "not divided by K");
    }
  }

  private static byte[] bytes(List<Object> list) {
    byte[] b = new byte[list.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (Byte) list.get(i);
    }
    return b;
  }

  @Test
  void badInputIsRefusedByNameAndExistingOutputsStay() throws IOException {
    String out = dir.resolve("bad").toString();
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> UpsampleJob.run(spark,
        UpsampleConfig.from(conf(out)), TestSpark.QUIET), "no dataset yet");
    assertTrue(missing.getMessage().contains("dataset/_macronet.json: missing"), missing.getMessage());
    GenerateJob.run(spark, GenerateConfig.from(conf(out)), TestSpark.QUIET);
    ConfigException size = assertThrows(ConfigException.class,
        () -> UpsampleJob.run(spark, UpsampleConfig.from(conf(out, "upsample.size=24")), TestSpark.QUIET));
    assertEquals("upsample.size", size.key());
    ConfigException patch = assertThrows(ConfigException.class,
        () -> EvolveJob.run(spark, EvolveConfig.from(conf(out, "evolve.source=dataset", "evolve.patch=3")),
            TestSpark.QUIET));
    assertEquals("evolve.patch", patch.key());
    assertEquals("evolve.boundary", assertThrows(ConfigException.class,
        () -> EvolveConfig.from(conf(out, "evolve.boundary=open"))).key());
    assertEquals("evolve.time", assertThrows(ConfigException.class,
        () -> EvolveConfig.from(conf(out, "evolve.time=-1"))).key());
    ConfigException fieldTime = assertThrows(ConfigException.class, () -> EvolveConfig.from(ConfigLoader.load(null,
        List.of("system=predator-prey", "output.dir=" + out, "evolve.time=1"))));
    assertEquals("evolve.time", fieldTime.key());
    assertTrue(fieldTime.getMessage().contains("evolve.events Euler steps"), fieldTime.getMessage());
    // a predator-prey configuration pointed at this run's Ising snapshots
    ConfigException other = assertThrows(ConfigException.class,
        () -> EvolveJob.run(spark, EvolveConfig.from(ConfigLoader.load(null, List.of("system=predator-prey",
            "output.dir=" + out, "evolve.source=dataset"))), TestSpark.QUIET));
    assertEquals("evolve.source", other.key());
    assertTrue(other.getMessage().contains("holds ising data, but the configuration is for predator-prey"),
        other.getMessage());
    // evolve straight from the dataset's 8 x 8 snapshots, then a second run is refused without overwrite
    EvolveJob.run(spark, EvolveConfig.from(conf(out, "evolve.source=dataset", "evolve.patch=4")), TestSpark.QUIET);
    byte[] first = Files.readAllBytes(Path.of(out, "pairs", DatasetMetadata.FILE));
    assertEquals("output.overwrite", assertThrows(ConfigException.class,
        () -> EvolveJob.run(spark, EvolveConfig.from(conf(out, "evolve.source=dataset", "evolve.patch=2")),
            TestSpark.QUIET)).key());
    assertArrayEquals(first, Files.readAllBytes(Path.of(out, "pairs", DatasetMetadata.FILE)));
    // a fixed physical time per evolution: every pair's dt is that time, and the metadata says so
    EvolveJob.run(spark, EvolveConfig.from(conf(out, "evolve.source=dataset", "evolve.patch=4", "evolve.time=0.75",
        "output.overwrite=true")), TestSpark.QUIET);
    List<Row> dts = spark.read().parquet(out + "/pairs").select("dt").distinct().collectAsList();
    assertEquals(1, dts.size(), "one dt: " + dts);
    assertEquals(0.75, dts.get(0).getDouble(0), 0.0);
    DatasetMetadata timed = DatasetMetadata.read(org.apache.hadoop.fs.FileSystem.getLocal(
        new org.apache.hadoop.conf.Configuration()), new org.apache.hadoop.fs.Path(out, "pairs"));
    assertEquals(0.75, ((Number) timed.configuration().get("evolve.time")).doubleValue(), 0.0);
    assertTrue(!timed.configuration().containsKey("evolve.events"), "events are not run: " + timed.configuration());
    // upsampled states made from a dataset that has since been regenerated are refused
    UpsampleJob.run(spark, UpsampleConfig.from(conf(out)), TestSpark.QUIET);
    GenerateJob.run(spark, GenerateConfig.from(conf(out, "generate.seed=99", "output.overwrite=true")),
        TestSpark.QUIET);
    ConfigException stale = assertThrows(ConfigException.class, () -> EvolveJob.run(spark,
        EvolveConfig.from(conf(out, "output.overwrite=true")), TestSpark.QUIET));
    assertEquals("evolve.source", stale.key());
    assertTrue(stale.getMessage().contains("rerun upsample"), stale.getMessage());
  }
}
