package org.macronet.training.flow;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** A fixed permutation of the columns, {@code y[j] = x[perm[j]]}; log-det 0. */
public final class Permutation implements FlowBlock {
  private final int[] perm;
  private final int[] inverse;

  public Permutation(int[] perm) {
    this.perm = perm.clone();
    this.inverse = new int[perm.length];
    Arrays.fill(inverse, -1);
    for (int j = 0; j < perm.length; j++) {
      int p = perm[j];
      if (p < 0 || p >= perm.length || inverse[p] != -1) {
        throw new IllegalArgumentException("not a permutation: " + Arrays.toString(perm));
      }
      inverse[p] = j;
    }
  }

  /** A uniformly random permutation other than the identity (when dim > 1), drawn from {@code random}. */
  public static Permutation random(int dim, SplittableRandom random) {
    int[] p = new int[dim];
    do {
      for (int i = 0; i < dim; i++) {
        p[i] = i;
      }
      for (int i = dim - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
    } while (dim > 1 && isIdentity(p));
    return new Permutation(p);
  }

  private static boolean isIdentity(int[] p) {
    for (int i = 0; i < p.length; i++) {
      if (p[i] != i) {
        return false;
      }
    }
    return true;
  }

  public int[] permutation() {
    return perm.clone();
  }

  @Override
  public int dim() {
    return perm.length;
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    gather(x, y, perm, n);
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    gather(y, x, inverse, n);
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    gather(dy, dx, inverse, n);
  }

  private static void gather(float[] from, float[] to, int[] index, int n) {
    int d = index.length;
    for (int i = 0; i < n; i++) {
      int row = i * d;
      for (int j = 0; j < d; j++) {
        to[row + j] = from[row + index[j]];
      }
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "permutation");
    m.put("permutation", perm.clone());
    return m;
  }
}
