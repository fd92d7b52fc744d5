package org.macronet.simulation.grayscott;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link JavaGrayScottRows}. Loaded reflectively by
 * {@link JavaGrayScottKernel} only when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Interleaved path (batches of small grids): one vector holds the same cell of
 * {@code lanes} grids, so the stencil is five whole-vector loads per field with no lane
 * shifts, and the parameters are per-lane vectors. Along a row the west/centre/east
 * vectors are carried in registers, so each cell costs three loads per field (east, north,
 * south), like the C reference's register-built neighbours.
 *
 * <p>Row path (large grids): padded rows with halo columns; west/east are unaligned loads
 * at offset -1/+1; a row whose length is not a multiple of the vector width ends with one
 * overlapping vector.
 */
final class VectorGrayScottEngine implements JavaGrayScottRows {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  @Override
  public String pathName() {
    return "java-vector";
  }

  @Override
  public int lanes() {
    return L;
  }

  /** Vector width in bits. */
  static int bits() {
    return S.vectorBitSize();
  }

  // ---------------------------------------------------------------- interleaved path

  @Override
  public void advanceInterleaved(GrayScottBatch batch, int g0, int m, int steps) {
    final int n = batch.size;
    final int cells = n * n;
    final int p = n + 2;
    final int pl = p * L;
    // state: p x p cells (halo ring included) at a[off ...]; each step writes its result one row
    // lower in memory, so the array holds `spare` extra rows and is moved back when they run out
    final int spare = Math.max(p, 16);
    float[] a = new float[(p + spare) * pl + 64];
    float[] b = new float[(p + spare) * pl + 64];
    final int SH = Integer.getInteger("gs.shift", 0);
    int off = spare * pl + SH;
    float[][] q = new float[COEFFS][L];
    for (int lane = 0; lane < m; lane++) {
      int base = (g0 + lane) * cells;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int i = off + (y + 1) * pl + (x + 1) * L + lane;
          a[i] = batch.a[base + y * n + x];
          b[i] = batch.b[base + y * n + x];
        }
      }
      float[] c = JavaGrayScottRows.coefficients(batch, g0 + lane);
      for (int k = 0; k < COEFFS; k++) {
        q[k][lane] = c[k];
      }
    }
    haloInterleaved(a, off, n);
    haloInterleaved(b, off, n);
    FloatVector ca = FloatVector.fromArray(S, q[0], 0);
    FloatVector fa = FloatVector.fromArray(S, q[1], 0);
    FloatVector dda = FloatVector.fromArray(S, q[2], 0);
    FloatVector cb = FloatVector.fromArray(S, q[3], 0);
    FloatVector ddb = FloatVector.fromArray(S, q[4], 0);
    FloatVector dt = FloatVector.fromArray(S, q[5], 0);
    for (int s = 0; s < steps; s++) {
      if (off == SH) {
        System.arraycopy(a, SH, a, spare * pl + SH, p * pl);
        System.arraycopy(b, SH, b, spare * pl + SH, p * pl);
        off = spare * pl + SH;
      }
      sweepInterleaved(a, b, off, n, ca, fa, dda, cb, ddb, dt);
      off -= pl;
      haloInterleaved(a, off, n);
      haloInterleaved(b, off, n);
    }
    for (int lane = 0; lane < m; lane++) {
      int base = (g0 + lane) * cells;
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          int i = off + (y + 1) * pl + (x + 1) * L + lane;
          batch.a[base + y * n + x] = a[i];
          batch.b[base + y * n + x] = b[i];
        }
      }
    }
  }

  /** Refreshes the halo ring of an interleaved (n + 2)^2 state at {@code off}: columns, then rows. */
  private static void haloInterleaved(float[] f, int off, int n) {
    final int pl = (n + 2) * L;
    for (int y = 1; y <= n; y++) {
      int r = off + y * pl;
      FloatVector.fromArray(S, f, r + n * L).intoArray(f, r);
      FloatVector.fromArray(S, f, r + L).intoArray(f, r + (n + 1) * L);
    }
    System.arraycopy(f, off + n * pl, f, off, pl);
    System.arraycopy(f, off + pl, f, off + (n + 1) * pl, pl);
  }

  /**
   * One step of an interleaved state at {@code off}, in place, the result shifted one row down in
   * memory (to {@code off - pl}). One flat loop over the interior rows, halo columns included
   * (computed, then overwritten by the halo refresh): affine indices, so C2 hoists the bounds
   * checks. The value at {@code i - pl} (north of cell i) is last read by cell i, just before it is
   * overwritten; west and centre are carried in registers from the previous cell.
   */
  private static void sweepInterleaved(float[] a, float[] b, int off, int n,
                                       FloatVector ca, FloatVector fa, FloatVector dda,
                                       FloatVector cb, FloatVector ddb, FloatVector dt) {
    // the whole body is written out here (no helper method): a helper that C2 compiles on its own
    // before this loop gets hot may then be too big to inline, and vectors crossing a call are boxed
    final int pl = (n + 2) * L;
    final int start = off + pl + L;
    final int end = off + n * pl + n * L;
    FloatVector aW = FloatVector.fromArray(S, a, start - L);
    FloatVector bW = FloatVector.fromArray(S, b, start - L);
    FloatVector aC = FloatVector.fromArray(S, a, start);
    FloatVector bC = FloatVector.fromArray(S, b, start);
    for (int i = start; i <= end; i += L) {
      FloatVector aE = FloatVector.fromArray(S, a, i + L);
      FloatVector bE = FloatVector.fromArray(S, b, i + L);
      FloatVector sa = FloatVector.fromArray(S, a, i - pl).add(FloatVector.fromArray(S, a, i + pl)).add(aW.add(aE));
      FloatVector sb = FloatVector.fromArray(S, b, i - pl).add(FloatVector.fromArray(S, b, i + pl)).add(bW.add(bE));
      FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
      dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(a, i - pl);
      ddb.fma(sb, bC.fma(cb, abbdt)).intoArray(b, i - pl);
      aW = aC;
      aC = aE;
      bW = bC;
      bC = bE;
    }
  }

  // ---------------------------------------------------------------- padded-row path

  @Override
  public void stepRows(float[] a, float[] b, float[] na, float[] nb, int n, int y0, int y1, float[] p) {
    if (n < L) {
      JavaGrayScottScalar.stepRowsScalar(a, b, na, nb, n, y0, y1, p);
      return;
    }
    FloatVector ca = FloatVector.broadcast(S, p[0]);
    FloatVector fa = FloatVector.broadcast(S, p[1]);
    FloatVector dda = FloatVector.broadcast(S, p[2]);
    FloatVector cb = FloatVector.broadcast(S, p[3]);
    FloatVector ddb = FloatVector.broadcast(S, p[4]);
    FloatVector dt = FloatVector.broadcast(S, p[5]);
    final int s = n + 2;
    final int last = n + 1 - L;
    for (int y = y0; y < y1; y++) {
      final int c = y * s;
      final int u = (y == 0 ? n - 1 : y - 1) * s;
      final int d = (y == n - 1 ? 0 : y + 1) * s;
      // vectors start at columns 1, 1 + L, ...; the last one is pulled back to end at column n
      // (overlapping its predecessor when n is not a multiple of L)
      for (int x0 = 1; x0 < n + 1; x0 += L) {
        final int x = Math.min(x0, last);
        final int i = c + x;
        FloatVector aC = FloatVector.fromArray(S, a, i);
        FloatVector bC = FloatVector.fromArray(S, b, i);
        FloatVector sa = FloatVector.fromArray(S, a, u + x).add(FloatVector.fromArray(S, a, d + x))
            .add(FloatVector.fromArray(S, a, i - 1).add(FloatVector.fromArray(S, a, i + 1)));
        FloatVector sb = FloatVector.fromArray(S, b, u + x).add(FloatVector.fromArray(S, b, d + x))
            .add(FloatVector.fromArray(S, b, i - 1).add(FloatVector.fromArray(S, b, i + 1)));
        FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
        dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(na, i);
        ddb.fma(sb, bC.fma(cb, abbdt)).intoArray(nb, i);
      }
      JavaGrayScottRows.halo(na, n, y);
      JavaGrayScottRows.halo(nb, n, y);
    }
  }
}
