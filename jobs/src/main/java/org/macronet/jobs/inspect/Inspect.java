package org.macronet.jobs.inspect;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.cli.CommandLine;
import org.macronet.jobs.dataset.DatasetChecksums;
import org.macronet.jobs.dataset.DatasetMetadata;
import org.macronet.jobs.generate.GenerateJob;

/**
 * {@code macronet inspect PATH [--verify]}: prints a dataset's description from its
 * {@code _macronet.json} and the Parquet footers (read with parquet-hadoop, no Spark), and
 * with {@code --verify} recomputes the content checksum on Spark and compares.
 */
public final class Inspect {
  private Inspect() {}

  public static int run(CommandLine cl, PrintStream out) throws IOException {
    if (cl.arguments().size() != 1) {
      throw new ConfigException("inspect", "expected one path (a run directory or a dataset directory), found "
          + cl.arguments());
    }
    Configuration hadoop = new Configuration();
    Path path = new Path(cl.arguments().get(0));
    FileSystem fs = path.getFileSystem(hadoop);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException(path + ": no such file or directory");
    }
    Path dataset = fs.exists(new Path(path, DatasetMetadata.FILE)) ? path : new Path(path, GenerateJob.DATASET);
    DatasetMetadata md = DatasetMetadata.read(fs, dataset);
    Footers footers = footers(fs, dataset);
    out.println("dataset      " + fs.makeQualified(dataset));
    out.println("system       " + md.system());
    out.println("rows         " + md.rows() + (footers.rows == md.rows() ? "" : "  (Parquet footers say " + footers.rows + "!)"));
    out.println("files        " + footers.files + " Parquet files, " + footers.bytes + " bytes");
    if (md.isEnsemble()) {
      out.println("kind         " + md.kind() + (md.snapshotsPerSample() > 0 ? ": " + md.snapshotsPerSample()
          + " snapshots per sample, " + md.rows() / md.snapshotsPerSample() + " samples" : ""));
      out.println("parameters   " + md.uColumns());
      out.println("observables  " + md.vColumns());
    } else {
      out.println("u columns    " + md.uColumns());
      out.println("v columns    " + md.vColumns());
    }
    out.println("scalars      " + md.scalarColumns());
    if (md.arrayColumn() != null) {
      out.println("array        " + md.arrayColumn() + " " + md.arrayType() + " " + java.util.Arrays.toString(md.arrayShape())
          + " row-major");
    }
    out.println("schema       " + footers.schema.replace("\n", "\n             ").trim());
    out.println("kernel       " + md.kernel());
    out.println("checksum     " + md.checksum());
    out.println("code version " + md.codeVersion());
    out.println("created      " + md.created() + " (" + String.format("%.1f", md.seconds()) + " s)");
    out.println("configuration");
    for (Map.Entry<String, Object> e : md.configuration().entrySet()) {
      out.println("  " + e.getKey() + " = " + e.getValue());
    }
    if (footers.rows != md.rows()) {
      return 1;
    }
    if (cl.hasFlag("--verify")) {
      try (SparkSession spark = SparkSessions.create("macronet inspect", cl.master(), Map.of())) {
        DatasetChecksums.Result r = DatasetChecksums.compute(spark.read().parquet(dataset.toString()));
        boolean ok = r.checksum().equals(md.checksum()) && r.rows() == md.rows();
        out.println("verify       " + (ok ? "OK" : "MISMATCH: content checksum " + r.checksum() + ", " + r.rows() + " rows"));
        return ok ? 0 : 1;
      }
    }
    return 0;
  }

  private record Footers(int files, long bytes, long rows, String schema) {}

  private static Footers footers(FileSystem fs, Path dataset) throws IOException {
    List<FileStatus> parts = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dataset)) {
      if (s.isFile() && s.getPath().getName().endsWith(".parquet")) {
        parts.add(s);
      }
    }
    long rows = 0;
    long bytes = 0;
    String schema = "";
    for (FileStatus s : parts) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromStatus(s, fs.getConf()))) {
        ParquetMetadata footer = reader.getFooter();
        rows += reader.getRecordCount();
        schema = footer.getFileMetaData().getSchema().toString();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(s.getPath() + ": corrupt Parquet file: " + e.getMessage(), e);
      }
      bytes += s.getLen();
    }
    return new Footers(parts.size(), bytes, rows, schema);
  }
}
