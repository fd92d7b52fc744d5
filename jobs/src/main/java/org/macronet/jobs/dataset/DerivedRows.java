package org.macronet.jobs.dataset;

import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.CollectionAccumulator;
import org.macronet.simulation.ensemble.Field;

/**
 * Rows computed on the executors from other rows (upsampled states, partial-evolution pairs),
 * each an {@code Object[]} of {@code sample_id, seed} and then typed fields, turned into Spark's
 * internal rows while each task adds them to its partition's {@link ContentChecksum}. The
 * checksum is a multiset sum, so it does not depend on how the input was split.
 */
public final class DerivedRows implements Serializable {
  private final CollectionAccumulator<PartitionChecksum> parts;
  private final int partitions;

  private DerivedRows(CollectionAccumulator<PartitionChecksum> parts, int partitions) {
    this.parts = parts;
    this.partitions = partitions;
  }

  /**
   * Wraps {@code rows} (not yet computed), each checked against {@code fields} (after
   * {@code sample_id} and {@code seed}); {@link #checksum()} is valid once the returned RDD has
   * been written.
   */
  public static Result of(SparkSession spark, JavaRDD<Object[]> rows, List<Field> fields) {
    DerivedRows d = new DerivedRows(spark.sparkContext().collectionAccumulator("checksums"), rows.getNumPartitions());
    CollectionAccumulator<PartitionChecksum> acc = d.parts;
    JavaRDD<InternalRow> internal = rows.mapPartitionsWithIndex((p, it) -> new Iterator<InternalRow>() {
      private final ContentChecksum sum = new ContentChecksum();
      private boolean published;

      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more && !published) {
          published = true;
          acc.add(new PartitionChecksum(p, sum));
        }
        return more;
      }

      @Override
      public InternalRow next() {
        Object[] v = it.next();
        check(v, fields);
        sum.addRow(ContentChecksum.canonical(v));
        Object[] fields = java.util.Arrays.copyOfRange(v, 2, v.length);
        return EnsembleSchema.internalRow((Long) v[0], (Long) v[1], fields);
      }
    }, false);
    return new Result(internal, d);
  }

  /** Refuses a row whose values do not have the columns' types: a programming error, caught before it is written. */
  static void check(Object[] row, List<Field> fields) {
    if (row.length != fields.size() + 2 || !(row[0] instanceof Long) || !(row[1] instanceof Long)) {
      throw new IllegalStateException("a row of " + row.length + " values for sample_id, seed and " + fields);
    }
    for (int i = 0; i < fields.size(); i++) {
      if (!fields.get(i).accepts(row[i + 2])) {
        throw new IllegalStateException("sample " + row[0] + ": column " + fields.get(i) + " got "
            + (row[i + 2] == null ? "null" : row[i + 2].getClass().getSimpleName()));
      }
    }
  }

  /** The internal rows to write, and the checksum they produce. */
  public record Result(JavaRDD<InternalRow> rows, DerivedRows checksums) {}

  /** The checksum of every partition's rows, once all have been written. */
  public ContentChecksum checksum() {
    return PartitionChecksum.combine(parts.value(), partitions);
  }
}
