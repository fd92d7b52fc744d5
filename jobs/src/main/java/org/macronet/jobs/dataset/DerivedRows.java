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
        if (!(v[0] instanceof Long id) || !(v[1] instanceof Long)) {
          throw new IllegalStateException("a derived row must start with sample_id and seed as longs");
        }
        Field.checkRow(fields, v, 2, "sample " + id);
        sum.addRow(ContentChecksum.canonical(v));
        return EnsembleSchema.internalRow((Long) v[0], (Long) v[1], java.util.Arrays.copyOfRange(v, 2, v.length));
      }
    }, false);
    return new Result(internal, d);
  }

  /** The internal rows to write, and the checksum they produce. */
  public record Result(JavaRDD<InternalRow> rows, DerivedRows checksums) {}

  /** The checksum of every partition's rows, once all have been written. */
  public ContentChecksum checksum() {
    return PartitionChecksum.combine(parts.value(), partitions);
  }
}
