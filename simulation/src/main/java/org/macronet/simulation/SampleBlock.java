package org.macronet.simulation;

/**
 * A block of consecutive samples in columnar form, as a simulator produces them.
 *
 * @param sampleIds the samples' stable ids (their index in the run)
 * @param seeds     each sample's own seed, from which all its randomness was drawn
 * @param scalars   {@code scalars[c][r]}: scalar column {@code c} (in {@link PairSystem#scalarColumns()} order) of row {@code r}
 * @param arrays    {@code arrays[r]}: the array observation of row {@code r}, or {@code null} when the system has none
 */
public record SampleBlock(long[] sampleIds, long[] seeds, double[][] scalars, float[][] arrays) {

  public int size() {
    return sampleIds.length;
  }
}
