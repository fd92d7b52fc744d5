package org.macronet.jobs.design;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.Target;
import org.macronet.experiment.TargetChoice;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.dataset.DatasetSchema;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.PairDatasets;
import scala.Tuple2;

/**
 * The targets of a design sweep, chosen on the executors by the study's {@link TargetChoice}: the
 * candidates are the held-out dataset rows (as in training, by the seed and held-out fraction in
 * model.json), or the rows of {@code design.targets-path}, ordered by {@code sample_id} (which must
 * then be unique), or by their index in the input when it has none. Each candidate is classified on its own; only the order keys of the
 * chosen ones reach the driver, then their rows are read again, numbered and spread over
 * {@code design.partitions} partitions.
 */
final class DesignTargets {
  private DesignTargets() {}

  /** A candidate's quantile key and order key, ordered by both. */
  record Ranked(double key, long order) implements Comparable<Ranked>, Serializable {
    @Override
    public int compareTo(Ranked o) {
      int c = Double.compare(key, o.key);
      return c != 0 ? c : Long.compare(order, o.order);
    }
  }

  /** A chosen candidate's number and label. */
  record Chosen(int id, String label) implements Serializable {}

  static JavaRDD<Target> choose(SparkSession spark, ModelArtifact model, Path datasetDir, DesignConfig config,
      DesignStudy study) throws IOException {
    Dataset<Row> ds;
    String where;
    if (config.targetsPath().isEmpty()) {
      ds = PairDatasets.open(spark, datasetDir).filter(PairDatasets.isHeldOut(model.provenance().trainSeed(),
          model.provenance().holdout()));
      where = datasetDir.toString();
    } else {
      where = config.targetsPath();
      try {
        ds = spark.read().parquet(where);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("design.targets-path: cannot read " + where + " as Parquet: "
            + e.getMessage(), e);
      }
    }
    List<String> columns = List.of(ds.columns());
    List<String> vColumns = model.vColumns();
    List<String> missing = vColumns.stream().filter(c -> !columns.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException((config.targetsPath().isEmpty() ? where : "design.targets-path: " + where)
          + " has no column " + String.join(", ", missing) + " (the model's observation), found " + columns);
    }
    String source = config.targetsPath().isEmpty() ? where : "design.targets-path: " + where;
    List<String> extras = study.targetExtras();
    List<String> lacking = extras.stream().filter(c -> !columns.contains(c)).toList();
    if (!lacking.isEmpty()) {
      throw new IllegalArgumentException(source + " has no column " + String.join(", ", lacking) + ", which the "
          + config.system().name() + " study needs to choose targets; found " + columns);
    }
    boolean ids = columns.contains(DatasetSchema.SAMPLE_ID);
    if (ids && !config.targetsPath().isEmpty()) {
      // a file's ids must be unique: they number its rows
      List<Row> twice = ds.groupBy(DatasetSchema.SAMPLE_ID).count().filter(col("count").gt(1)).limit(1)
          .collectAsList();
      if (!twice.isEmpty()) {
        throw new IllegalArgumentException(source + ": sample_id " + twice.get(0).get(0) + " appears "
            + twice.get(0).getLong(1) + " times; the ids of a targets file must be unique (or leave them out)");
      }
    }
    List<String> keep = new ArrayList<>();
    if (ids) {
      keep.add(DatasetSchema.SAMPLE_ID);
    }
    List<String> uColumns = columns.containsAll(model.uColumns()) ? model.uColumns() : List.of();
    keep.addAll(uColumns);
    keep.addAll(vColumns);
    extras.stream().filter(c -> !keep.contains(c)).forEach(keep::add);
    ds = ds.select(keep.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));

    RowReader reader = new RowReader(where, ids, uColumns, model.net().uDim(), vColumns, model.net().vDim(), extras);
    TargetChoice choice = study.choice();
    Map<Long, List<Chosen>> chosen;
    if (choice.classifier() == null) {
      chosen = firstOfAll(ds, ids, choice.count());
    } else {
      JavaRDD<Tuple2<Long, TargetChoice.Candidate>> candidates = keyed(ds, ids)
          .map(t -> new Tuple2<>(t._1(), choice.classifier().classify(reader.target(t._2(), t._1()))))
          .filter(t -> t._2() != null).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        chosen = choice.rule() == TargetChoice.Rule.QUANTILES ? quantiles(candidates, choice)
            : firstPerLabel(candidates, choice);
      } finally {
        candidates.unpersist(false);
      }
    }
    int total = chosen.values().stream().mapToInt(List::size).sum();
    int partitions = Math.max(1, Math.min(config.partitions(), total));
    Map<Long, List<Chosen>> picked = chosen;
    return keyed(ds, ids).filter(t -> picked.containsKey(t._1())).flatMapToPair(t -> {
      Target target = reader.target(t._2(), t._1());
      List<Tuple2<Integer, Target>> out = new ArrayList<>();
      for (Chosen c : picked.get(t._1())) {
        out.add(new Tuple2<>(c.id(), target.numbered(c.id(), c.label())));
      }
      return out.iterator();
    }).partitionBy(new HashPartitioner(partitions)).values();
  }

  /**
   * Rows keyed by sample_id, or by their index in the input when it has no ids (Spark's order of
   * its files and row groups: stable for the same files, not necessarily the order of their names).
   */
  private static JavaPairRDD<Long, Row> keyed(Dataset<Row> ds, boolean ids) {
    if (ids) {
      return ds.javaRDD().mapToPair(r -> {
        if (r.isNullAt(0)) {
          throw new IllegalArgumentException("a target row has no sample_id; fill it or leave the column out");
        }
        return new Tuple2<>(r.getLong(0), r);
      });
    }
    return ds.javaRDD().zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
  }

  /**
   * Every candidate qualifies: the first {@code count} order keys, found on the id column alone (a
   * top-k per partition), so that no observation is read to choose.
   */
  private static Map<Long, List<Chosen>> firstOfAll(Dataset<Row> ds, boolean ids, int count) {
    Map<Long, List<Chosen>> out = new HashMap<>();
    if (ids) {
      List<Row> first = ds.select(col(DatasetSchema.SAMPLE_ID)).orderBy(DatasetSchema.SAMPLE_ID).limit(count)
          .collectAsList();
      for (int i = 0; i < first.size(); i++) {
        out.put(first.get(i).getLong(0), List.of(new Chosen(i, "")));
      }
    } else {
      long rows = Math.min(count, ds.count());
      for (int i = 0; i < rows; i++) {
        out.put((long) i, List.of(new Chosen(i, "")));
      }
    }
    return out;
  }

  /** For each label in order, its first {@code count} candidates by order key, numbered label by label. */
  private static Map<Long, List<Chosen>> firstPerLabel(JavaRDD<Tuple2<Long, TargetChoice.Candidate>> candidates,
      TargetChoice choice) {
    Map<Long, List<Chosen>> out = new HashMap<>();
    int next = 0;
    for (String label : choice.labels()) {
      List<Long> first = candidates.filter(t -> label.equals(t._2().label())).map(Tuple2::_1)
          .takeOrdered(choice.count());
      for (long key : first) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(new Chosen(next++, label));
      }
    }
    return out;
  }

  /** The candidates at the choice's quantile ranks of the key (ties by order key). */
  private static Map<Long, List<Chosen>> quantiles(JavaRDD<Tuple2<Long, TargetChoice.Candidate>> candidates,
      TargetChoice choice) {
    long n = candidates.count();
    Map<Long, List<Chosen>> out = new HashMap<>();
    if (n == 0) {
      return out;
    }
    Set<Long> ranks = new TreeSet<>();
    for (int t = 0; t < choice.count(); t++) {
      ranks.add(choice.quantileRank(t, n));
    }
    List<Tuple2<Ranked, Long>> hits = candidates.map(t -> new Ranked(t._2().key(), t._1()))
        .sortBy(r -> r, true, candidates.getNumPartitions()).zipWithIndex()
        .filter(t -> ranks.contains(t._2())).collect();
    Map<Long, Long> orderByRank = new HashMap<>();
    hits.forEach(h -> orderByRank.put(h._2(), h._1().order()));
    for (int t = 0; t < choice.count(); t++) {
      long order = orderByRank.get(choice.quantileRank(t, n));
      out.computeIfAbsent(order, k -> new ArrayList<>()).add(new Chosen(t, ""));
    }
    return out;
  }

  /** A candidate row as a {@link Target} (unnumbered), with the errors naming where it came from. */
  record RowReader(String where, boolean ids, List<String> uColumns, int uDim, List<String> vColumns, int vDim,
      List<String> extras) implements Serializable {

    Target target(Row r, long order) {
      Long sampleId = ids ? order : null;
      String row = where + ": " + (ids ? "sample_id " + order : "row " + order);
      float[] u = uColumns.isEmpty() ? null : PairDatasets.packRow(r, uColumns, uDim, row, "the model's have");
      float[] v = PairDatasets.packRow(r, vColumns, vDim, row, "the model's have");
      double[] x = new double[extras.size()];
      List<String> names = List.of(r.schema().fieldNames());
      for (int i = 0; i < x.length; i++) {
        int at = names.indexOf(extras.get(i));
        Object value = at < 0 || r.isNullAt(at) ? null : r.get(at);
        if (value != null && !(value instanceof Number)) {
          throw new IllegalArgumentException(row + ": column " + extras.get(i) + " must be a number, found "
              + value);
        }
        x[i] = value == null ? Double.NaN : ((Number) value).doubleValue();
      }
      return new Target(-1, sampleId, "", u, v, x);
    }
  }
}
