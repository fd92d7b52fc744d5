package org.macronet.jobs.dataset;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The content checksum of one partition's rows, as a task reports it through an accumulator. */
public record PartitionChecksum(int partition, ContentChecksum checksum) implements Serializable {

  /**
   * The dataset's checksum from its partitions'. Spark applies a result task's accumulator
   * updates once, from its successful attempt; keying by partition makes that explicit.
   *
   * @throws IllegalStateException when a partition's checksum is missing
   */
  public static ContentChecksum combine(List<PartitionChecksum> parts, int partitions) {
    Map<Integer, ContentChecksum> byPartition = new TreeMap<>();
    for (PartitionChecksum p : parts) {
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
