package org.macronet.jobs.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.Python;
import org.macronet.jobs.TestSpark;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.dataset.ContentChecksum;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.dataset.PartitionChecksum;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;

/** The generate job on a real local Spark, writing real Parquet. */
class GenerateJobTest {
  private static SparkSession spark;
  private static final PrintStream QUIET = TestSpark.QUIET;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = TestSpark.local("GenerateJobTest");
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  private static GenerateConfig config(String out, String... sets) {
    List<String> all = new ArrayList<>(List.of("output.dir=" + out, "progress.interval=0"));
    all.addAll(List.of(sets));
    return GenerateConfig.from(ConfigLoader.load(null, all));
  }

  /** A small but real Gray-Scott configuration: 16 x 16 grids, 200 steps, uneven blocks. */
  private static String[] tinyTuring(String... more) {
    List<String> s = new ArrayList<>(List.of("system=grayscott", "generate.samples=23", "simulation.grayscott.size=16",
        "simulation.grayscott.steps=200", "simulation.grayscott.disc-radius=2", "simulation.grayscott.batch=5",
        "simulation.grayscott.kernel=java", "generate.block=7", "generate.seed=99"));
    s.addAll(List.of(more));
    return s.toArray(new String[0]);
  }

  private static DatasetMetadata generate(GenerateConfig c) throws IOException {
    return GenerateJob.run(spark, c, QUIET);
  }

  private static List<Row> rowsById(String datasetDir) {
    return spark.read().parquet(datasetDir).orderBy("sample_id").collectAsList();
  }

  @Test
  void sameConfigurationGivesSameRowsAndChecksumOnAnyPartitioning() throws IOException {
    List<String> checksums = new ArrayList<>();
    List<List<Row>> rows = new ArrayList<>();
    for (int partitions : new int[] {1, 3, 8}) {
      String out = dir.resolve("det-" + partitions).toString();
      DatasetMetadata md = generate(config(out, tinyTuring("generate.partitions=" + partitions)));
      assertEquals(23, md.rows());
      checksums.add(md.checksum());
      rows.add(rowsById(out + "/dataset"));
    }
    assertEquals(1, new HashSet<>(checksums).size(), "checksums differ across partitionings: " + checksums);
    for (int i = 1; i < rows.size(); i++) {
      assertEquals(rows.get(0), rows.get(i), "rows differ between 1 and " + new int[] {1, 3, 8}[i] + " partitions");
    }
    // a different seed changes the content
    DatasetMetadata other = generate(config(dir.resolve("det-seed").toString(), tinyTuring("generate.seed=100")));
    assertNotEquals(checksums.get(0), other.checksum());
  }

  @Test
  void rowsMatchTheSimulatorAndCarryTheDocumentedSchema() throws IOException {
    String out = dir.resolve("schema").toString();
    GenerateConfig c = config(out, tinyTuring("generate.partitions=3"));
    DatasetMetadata md = generate(c);
    List<Row> rows = rowsById(out + "/dataset");
    assertEquals(List.of("sample_id", "seed", "Da", "Db", "F", "k", "pattern"),
        Arrays.asList(spark.read().parquet(out + "/dataset").columns()));
    assertEquals("array<float>", spark.read().parquet(out + "/dataset").schema().apply("pattern").dataType().simpleString());
    assertArrayEquals(new long[] {2, 16, 16},
        spark.read().parquet(out + "/dataset").schema().apply("pattern").metadata().getLongArray("shape"));
    try (PairSystem.BlockSimulator sim = c.pairSystem().openSimulator()) {
      SampleBlock expected = sim.simulate(new PairSystem.Sampling(99, 1), 17, 3);
      for (int r = 0; r < 3; r++) {
        Row row = rows.get(17 + r);
        assertEquals(17 + r, row.getLong(0));
        assertEquals(expected.seeds()[r], row.getLong(1));
        assertEquals(expected.scalars()[2][r], row.getDouble(4));
        List<Float> pattern = row.getList(6);
        assertEquals(2 * 16 * 16, pattern.size());
        for (int j = 0; j < pattern.size(); j++) {
          assertEquals(expected.arrays()[r][j], pattern.get(j), 0f);
        }
      }
    }
    assertEquals("grayscott", md.system());
    assertArrayEquals(new int[] {2, 16, 16}, md.arrayShape());
    assertTrue(md.kernel().startsWith("java"), md.kernel());
    assertEquals(99L, ((Number) md.configuration().get("generate.seed")).longValue());
    assertEquals("[0.12, 0.2]", md.configuration().get("prior.Da"));
    DatasetMetadata reread = DatasetMetadata.read(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out, "dataset"));
    assertEquals(md.checksum(), reread.checksum());
  }

  @Test
  void checksumComputedWhileWritingEqualsTheOneRecomputedFromTheFiles() throws IOException {
    for (String[] sets : List.of(tinyTuring("generate.partitions=3"), tinyTuring("generate.partitions=8", "generate.block=2"),
        new String[] {"system=oscillator", "generate.samples=50", "generate.partitions=3"},
        new String[] {"system=linear", "generate.samples=40", "generate.partitions=5"})) {
      String out = dir.resolve("inflight-" + sets[0].replace('=', '-') + "-" + sets.length).toString();
      DatasetMetadata md = generate(config(out, sets));
      DatasetChecksums.Result fromFiles = DatasetChecksums.compute(spark.read().parquet(out + "/dataset"));
      assertEquals(md.rows(), fromFiles.rows(), String.join(" ", sets));
      assertEquals(fromFiles.checksum(), md.checksum(), String.join(" ", sets));
    }
  }

  @Test
  void partitionChecksumsCombineOncePerPartition() {
    ContentChecksum a = new ContentChecksum().addRow(new byte[] {1});
    ContentChecksum b = new ContentChecksum().addRow(new byte[] {2});
    ContentChecksum both = new ContentChecksum().addRow(new byte[] {1}).addRow(new byte[] {2});
    // a retried or speculative task's duplicate report of partition 0 counts once
    ContentChecksum combined = PartitionChecksum.combine(List.of(new PartitionChecksum(1, b),
        new PartitionChecksum(0, a), new PartitionChecksum(0, a)), 2);
    assertEquals(both.value(), combined.value());
    assertEquals(2, combined.rows());
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> PartitionChecksum.combine(List.of(new PartitionChecksum(1, b)), 2));
    assertEquals("content checksums arrived from 1 of 2 partitions", missing.getMessage());
  }

  @Test
  void oscillatorAndLinearDatasetsHaveTheirColumns() throws IOException {
    String sho = dir.resolve("sho").toString();
    generate(config(sho, "system=oscillator", "generate.samples=50"));
    assertEquals(List.of("sample_id", "seed", "x0", "p0", "xt", "pt", "tau"),
        Arrays.asList(spark.read().parquet(sho + "/dataset").columns()));
    for (Row r : rowsById(sho + "/dataset")) {
      double e0 = r.getDouble(2) * r.getDouble(2) + r.getDouble(3) * r.getDouble(3);
      double et = r.getDouble(4) * r.getDouble(4) + r.getDouble(5) * r.getDouble(5);
      assertEquals(e0, et, 1e-12);
    }
    String lds = dir.resolve("lds").toString();
    DatasetMetadata md = generate(config(lds, "system=linear", "generate.samples=40", "generate.partitions=3"));
    assertEquals(List.of("sample_id", "seed", "m11", "m12", "m21", "m22", "x0_1", "x0_2", "traj"),
        Arrays.asList(spark.read().parquet(lds + "/dataset").columns()));
    assertArrayEquals(new int[] {8, 2}, md.arrayShape());
    assertEquals(40, spark.read().parquet(lds + "/dataset").count());
  }

  @Test
  void existingDatasetIsKeptUnlessOverwriteIsAskedAndFailedRunsLoseNothing() throws IOException {
    String out = dir.resolve("atomic").toString();
    DatasetMetadata first = generate(config(out, tinyTuring()));
    Path dataset = Path.of(out, "dataset");
    byte[] before = Files.readAllBytes(dataset.resolve(DatasetMetadata.FILE));

    ConfigException refused = assertThrows(ConfigException.class, () -> generate(config(out, tinyTuring("generate.seed=5"))));
    assertEquals("output.overwrite", refused.key());
    assertArrayEquals(before, Files.readAllBytes(dataset.resolve(DatasetMetadata.FILE)));

    // A run that fails inside a task (the reaction blows up with F = 50) leaves the old dataset and no staging
    Exception failed = assertThrows(Exception.class,
        () -> generate(config(out, tinyTuring("output.overwrite=true", "prior.F=50"))));
    assertTrue(String.valueOf(rootMessage(failed)).contains("non-finite"), rootMessage(failed));
    assertArrayEquals(before, Files.readAllBytes(dataset.resolve(DatasetMetadata.FILE)));
    assertEquals(first.rows(), spark.read().parquet(dataset.toString()).count());
    try (Stream<Path> s = Files.list(Path.of(out))) {
      assertEquals(List.of("dataset"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }

    DatasetMetadata replaced = generate(config(out, tinyTuring("output.overwrite=true", "generate.seed=5")));
    assertNotEquals(first.checksum(), replaced.checksum());
    assertEquals(replaced.checksum(), DatasetMetadata.read(org.apache.hadoop.fs.FileSystem.getLocal(new Configuration()),
        new org.apache.hadoop.fs.Path(out, "dataset")).checksum());
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }

  @Test
  void parquetIsReadableWithoutSpark() throws IOException {
    String out = dir.resolve("plain").toString();
    generate(config(out, tinyTuring("generate.partitions=2")));
    List<Path> parts;
    try (Stream<Path> s = Files.list(Path.of(out, "dataset"))) {
      parts = s.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertFalse(parts.isEmpty());
    Set<Long> ids = new HashSet<>();
    for (Path part : parts) {
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
          new org.apache.hadoop.fs.Path(part.toUri())).withConf(new Configuration()).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          ids.add(g.getLong("sample_id", 0));
          double f = g.getDouble("F", 0);
          assertTrue(f >= 0.01 && f < 0.06, "F out of its prior: " + f);
          // a two-level list: the group holds the values as one repeated float field
          Group list = g.getGroup("pattern", 0);
          assertEquals(2 * 16 * 16, list.getFieldRepetitionCount("array"));
          for (int i = 0; i < 2 * 16 * 16; i++) {
            float c = list.getFloat("array", i);
            assertTrue(c >= 0f && c <= 1.5f, "a concentration out of [0, 1.5] at " + i + ": " + c);
          }
        }
      }
    }
    assertEquals(23, ids.size());
  }

  @Test
  void pandasReadsTheDataset() throws Exception {
    Python.requirePandas();
    String out = dir.resolve("pandas").toString();
    DatasetMetadata md = generate(config(out, tinyTuring("generate.partitions=3")));
    Row row5 = rowsById(out + "/dataset").get(5);
    String script = String.join("\n",
        "import json, pandas as pd, numpy as np",
        "df = pd.read_parquet('" + out + "/dataset').sort_values('sample_id').reset_index(drop=True)",
        "meta = json.load(open('" + out + "/dataset/_macronet.json'))",
        "assert len(df) == meta['rows'] == 23, len(df)",
        "assert list(df.columns) == ['sample_id', 'seed', 'Da', 'Db', 'F', 'k', 'pattern'], list(df.columns)",
        "p = np.asarray(df.loc[5, 'pattern'], dtype=np.float32).reshape(meta['columns']['array']['shape'])",
        "assert p.shape == (2, 16, 16)",
        "print(repr(float(df.loc[5, 'F'])), repr(float(p[1, 3, 4])), int(df.loc[5, 'seed']))");
    String[] fields = Python.run(script).split(" ");
    assertEquals(row5.getDouble(4), Double.parseDouble(fields[0]));
    List<Float> pattern = row5.getList(6);
    assertEquals((double) pattern.get(16 * 16 + 3 * 16 + 4), Double.parseDouble(fields[1]));
    assertEquals(row5.getLong(1), Long.parseLong(fields[2]));
    assertEquals(23, md.rows());
  }


  @Test
  void openClKernelRunsInsideTheJobAndAgreesWithJava() throws IOException {
    String java = dir.resolve("k-java").toString();
    String opencl = dir.resolve("k-opencl").toString();
    generate(config(java, tinyTuring("generate.samples=6")));
    DatasetMetadata md = generate(config(opencl, tinyTuring("generate.samples=6", "simulation.grayscott.kernel=opencl")));
    assertTrue(md.kernel().startsWith("opencl ("), md.kernel());
    List<Row> a = rowsById(java + "/dataset");
    List<Row> b = rowsById(opencl + "/dataset");
    for (int r = 0; r < a.size(); r++) {
      assertEquals(a.get(r).getDouble(4), b.get(r).getDouble(4));
      List<Float> pa = a.get(r).getList(6);
      List<Float> pb = b.get(r).getList(6);
      for (int j = 0; j < pa.size(); j++) {
        assertEquals(pa.get(j), pb.get(j), 1e-4f, "row " + r + " cell " + j);
      }
    }
  }

  @Test
  void partitionsCoverEveryIndexOnce() {
    for (int partitions : new int[] {1, 3, 7, 64}) {
      long n = 50;
      long covered = 0;
      for (int p = 0; p < partitions; p++) {
        long a = GenerateJob.partitionStart(p, n, partitions);
        long b = GenerateJob.partitionStart(p + 1, n, partitions);
        assertTrue(b >= a);
        covered += b - a;
      }
      assertEquals(n, covered);
      assertEquals(n, GenerateJob.partitionStart(partitions, n, partitions));
    }
    assertEquals(Long.MAX_VALUE / 2, GenerateJob.partitionStart(1, Long.MAX_VALUE - 1, 2));
  }
}
