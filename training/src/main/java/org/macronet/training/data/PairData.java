package org.macronet.training.data;

import java.io.Serializable;

/**
 * Training pairs in memory: row i is (u_i, v_i), packed row-major as floats, with its dataset
 * {@code sample_id}. Serializable (the canonical constructor validates a deserialised copy), so
 * that blocks of rows can be shipped to Spark executors.
 */
public record PairData(float[] u, int uDim, float[] v, int vDim, long[] sampleIds) implements PairRows, Serializable {
  public PairData {
    int rows = sampleIds.length;
    if (uDim <= 0 || vDim <= 0) {
      throw new IllegalArgumentException("u and v need positive widths, found " + uDim + " and " + vDim);
    }
    if (u.length != (long) rows * uDim || v.length != (long) rows * vDim) {
      throw new IllegalArgumentException("pair data of " + rows + " rows needs " + rows * (long) uDim + " u and "
          + rows * (long) vDim + " v values, found " + u.length + " and " + v.length);
    }
  }

  @Override
  public int rows() {
    return sampleIds.length;
  }

  @Override
  public long sampleId(int row) {
    return sampleIds[row];
  }

  @Override
  public void read(int row, float[] uOut, int uOffset, float[] vOut, int vOffset) {
    System.arraycopy(u, row * uDim, uOut, uOffset, uDim);
    System.arraycopy(v, row * vDim, vOut, vOffset, vDim);
  }

  @Override
  public void readRange(int from, int to, float[] uOut, float[] vOut) {
    System.arraycopy(u, from * uDim, uOut, 0, (to - from) * uDim);
    System.arraycopy(v, from * vDim, vOut, 0, (to - from) * vDim);
  }

  /** The rows at {@code indices}, in that order. */
  @Override
  public PairData select(int[] indices) {
    float[] su = new float[indices.length * uDim];
    float[] sv = new float[indices.length * vDim];
    long[] ids = new long[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = indices[k];
      System.arraycopy(u, i * uDim, su, k * uDim, uDim);
      System.arraycopy(v, i * vDim, sv, k * vDim, vDim);
      ids[k] = sampleIds[i];
    }
    return new PairData(su, uDim, sv, vDim, ids);
  }

  /**
   * The u rows followed by the v rows as one (2 rows) x dim matrix, for a shared flow whose u and
   * v live in one space.
   */
  public float[] stackedUV() {
    if (uDim != vDim) {
      throw new IllegalArgumentException("u and v differ in width (" + uDim + " and " + vDim + "); they cannot be stacked");
    }
    float[] both = new float[u.length + v.length];
    System.arraycopy(u, 0, both, 0, u.length);
    System.arraycopy(v, 0, both, u.length, v.length);
    return both;
  }

  /** Rows with a non-finite value are refused with the sample id and column named. */
  public void requireFinite(String uName, String vName) {
    for (int i = 0; i < rows(); i++) {
      for (int j = 0; j < uDim; j++) {
        if (!Float.isFinite(u[i * uDim + j])) {
          throw new IllegalArgumentException("sample_id " + sampleIds[i] + ": " + uName + "[" + j + "] is " + u[i * uDim + j]);
        }
      }
      for (int j = 0; j < vDim; j++) {
        if (!Float.isFinite(v[i * vDim + j])) {
          throw new IllegalArgumentException("sample_id " + sampleIds[i] + ": " + vName + "[" + j + "] is " + v[i * vDim + j]);
        }
      }
    }
  }
}
