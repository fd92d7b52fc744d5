package org.macronet.jobs.dataset;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Rows computed on the executors from other rows (upsampled states, partial-evolution pairs),
 * each an {@code Object[]} of {@code sample_id, seed} and then typed fields, turned into Spark's
 * internal rows while each task adds them to its partition's {@link ContentChecksum}. The
 * checksum is a multiset sum, so it does not depend on how the input was split.
 */
public final class DerivedRows implements Serializable {
  private final CollectionAccumulator<Part> parts;
  private final int partitions;

  /** One partition's checksum. */
  public record Part(int partition, ContentChecksum checksum) implements Serializable {}

  private DerivedRows(CollectionAccumulator<Part> parts, int partitions) {
    this.parts = parts;
    this.partitions = partitions;
  }

  /**
   * Wraps {@code rows} (not yet computed); {@link #checksum()} is valid once the returned RDD has
   * been written.
   */
  public static Result of(SparkSession spark, JavaRDD<Object[]> rows) {
    DerivedRows d = new DerivedRows(spark.sparkContext().collectionAccumulator("checksums"), rows.getNumPartitions());
    CollectionAccumulator<Part> acc = d.parts;
    JavaRDD<InternalRow> internal = rows.mapPartitionsWithIndex((p, it) -> new Iterator<InternalRow>() {
      private final ContentChecksum sum = new ContentChecksum();
      private boolean published;

      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more && !published) {
          published = true;
          acc.add(new Part(p, sum));
        }
        return more;
      }

      @Override
      public InternalRow next() {
        Object[] v = it.next();
        sum.addRow(ContentChecksum.canonical(v));
        Object[] fields = java.util.Arrays.copyOfRange(v, 2, v.length);
        return EnsembleSchema.internalRow((Long) v[0], (Long) v[1], fields);
      }
    }, false);
    return new Result(internal, d);
  }

  /** The internal rows to write, and the checksum they produce. */
  public record Result(JavaRDD<InternalRow> rows, DerivedRows checksums) {}

  /** The checksum of every partition's rows, once all have been written. */
  public ContentChecksum checksum() {
    Map<Integer, ContentChecksum> byPartition = new TreeMap<>();
    List<Part> all = parts.value();
    for (Part p : all) {
      byPartition.putIfAbsent(p.partition(), p.checksum());
    }
    if (byPartition.size() != partitions) {
      throw new IllegalStateException("content checksums arrived from " + byPartition.size() + " of " + partitions
          + " partitions");
    }
    ContentChecksum total = new ContentChecksum();
    byPartition.values().forEach(total::merge);
    return total;
  }
}
