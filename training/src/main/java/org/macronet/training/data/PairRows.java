package org.macronet.training.data;

/**
 * Rows of (u, v) pairs read one at a time: held in memory ({@link PairData}) or in a file on
 * local disk ({@link PairFile}), so that training reads the same values either way.
 */
public interface PairRows {
  int rows();

  int uDim();

  int vDim();

  /** The dataset {@code sample_id} of {@code row}. */
  long sampleId(int row);

  /** Copies {@code row}'s u to {@code u[uOffset..uOffset + uDim)} and its v to {@code v[vOffset..vOffset + vDim)}. */
  void read(int row, float[] u, int uOffset, float[] v, int vOffset);

  /**
   * Rows [from, to) packed into {@code u} ((to - from) x uDim) and {@code v} ((to - from) x vDim),
   * for passes over a whole block a chunk at a time.
   */
  default void readRange(int from, int to, float[] u, float[] v) {
    for (int i = from; i < to; i++) {
      read(i, u, (i - from) * uDim(), v, (i - from) * vDim());
    }
  }

  /** The rows at {@code indices}, in that order, in memory. */
  default PairData select(int[] indices) {
    int nu = uDim();
    int nv = vDim();
    float[] su = new float[Math.multiplyExact(indices.length, nu)];
    float[] sv = new float[Math.multiplyExact(indices.length, nv)];
    long[] ids = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      read(indices[k], su, k * nu, sv, k * nv);
      ids[k] = sampleId(indices[k]);
    }
    return new PairData(su, nu, sv, nv, ids);
  }
}
