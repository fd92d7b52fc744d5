package org.macronet.systems.grayscott;

import java.util.function.IntSupplier;

/** Plain-Java implementation of {@link JavaGrayScottRows}: padded rows, no interleaving. */
final class JavaGrayScottScalar implements JavaGrayScottRows {

  static final JavaGrayScottScalar INSTANCE = new JavaGrayScottScalar();

  @Override
  public String pathName() {
    return "java-scalar";
  }

  @Override
  public int lanes() {
    return 0;
  }

  @Override
  public void advanceInterleaved(GrayScottBatch batch, IntSupplier next, int steps) {
    throw new UnsupportedOperationException("the scalar path has no interleaved layout");
  }

  @Override
  public void stepRows(float[] a, float[] b, float[] na, float[] nb, int n, int y0, int y1, float[] p) {
    stepRowsScalar(a, b, na, nb, n, y0, y1, p);
  }

  static void stepRowsScalar(float[] a, float[] b, float[] na, float[] nb, int n, int y0, int y1, float[] p) {
    final float ca = p[0];
    final float fa = p[1];
    final float dda = p[2];
    final float cb = p[3];
    final float ddb = p[4];
    final float dt = p[5];
    final int p2 = n + 2;
    for (int y = y0; y < y1; y++) {
      final int c = (y + 1) * p2;
      for (int i = c + 1; i <= c + n; i++) {
        float av = a[i];
        float bv = b[i];
        float sa = (a[i - p2] + a[i + p2]) + (a[i - 1] + a[i + 1]);
        float sb = (b[i - p2] + b[i + p2]) + (b[i - 1] + b[i + 1]);
        float abb = dt * (av * (bv * bv));
        na[i] = av * ca + fa + dda * sa - abb;
        float nbv = bv * cb + ddb * sb + abb;
        nb[i] = Math.abs(nbv) < GrayScottKernel.B_FLOOR ? 0f : nbv;
      }
    }
    JavaGrayScottRows.halo(na, n, y0, y1);
    JavaGrayScottRows.halo(nb, n, y0, y1);
  }
}
