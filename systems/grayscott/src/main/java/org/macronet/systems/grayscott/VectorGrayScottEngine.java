package org.macronet.systems.grayscott;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link JavaGrayScottRows}. Loaded reflectively by
 * {@link JavaGrayScottKernel} only when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Interleaved path (batches of grids): one vector holds the same cell of {@code lanes}
 * grids, in an (n + 2)^2 layout with a halo ring, so every neighbour is a whole-vector load at a
 * fixed offset, with no lane shifts, and the parameters are per-lane vectors. One flat loop per
 * step (affine indices: C2 hoists the bounds checks); west and centre are carried in registers
 * from the previous cell, so each cell costs three loads per field (east, north, south), like
 * the C reference's register-built neighbours; the update is done in place, each result stored
 * one row earlier in the array, which halves the cache footprint (16 grids of 64^2: ~560 KB).
 *
 * <p>Row path (large grids, or too few grids to fill the lanes): the padded layout of
 * {@link JavaGrayScottRows}, one flat loop over a band of rows; west/east are unaligned loads at
 * offset -1/+1; a band whose length is not a multiple of the vector width ends with one
 * overlapping vector.
 *
 * <p>Hot loops are written out in full, with the coefficient vectors created inside the method:
 * a helper method compiled on its own can be too big to inline (then every vector crossing the
 * call is boxed), and vectors passed in as arguments are unboxed from float[] payloads that C2
 * cannot prove unaliased by the loop's float[] stores, i.e. reloaded every iteration.
 */
final class VectorGrayScottEngine implements JavaGrayScottRows {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final float B_FLOOR = GrayScottKernel.B_FLOOR;

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
    // earlier in the array (in place, see sweepInterleaved), so the array holds `spare` extra rows
    // in front and the state is moved back to the end when they run out (every `spare` steps)
    final int spare = p + 16; // empirical: p + 4 .. p + 16 ran 7.3e9 on W1, p and 64 ran 6.3-6.8e9
    float[] a = new float[(p + spare) * pl];
    float[] b = new float[(p + spare) * pl];
    int off = spare * pl;
    float[] q = new float[COEFFS * L];
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
        q[k * L + lane] = c[k];
      }
    }
    haloInterleaved(a, off, n);
    haloInterleaved(b, off, n);
    for (int s = 0; s < steps; s++) {
      if (off == 0) {
        System.arraycopy(a, 0, a, spare * pl, p * pl);
        System.arraycopy(b, 0, b, spare * pl, p * pl);
        off = spare * pl;
      }
      sweepInterleaved(a, b, off, n, q);
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
  private static void sweepInterleaved(float[] a, float[] b, int off, int n, float[] q) {
    // the per-lane coefficients are loaded here, before the loop: vectors passed in as arguments
    // would be unboxed inside the loop, from float[] payloads that C2 cannot prove unaliased by
    // the loop's stores, i.e. reloaded every iteration
    final FloatVector ca = FloatVector.fromArray(S, q, 0);
    final FloatVector fa = FloatVector.fromArray(S, q, L);
    final FloatVector dda = FloatVector.fromArray(S, q, 2 * L);
    final FloatVector cb = FloatVector.fromArray(S, q, 3 * L);
    final FloatVector ddb = FloatVector.fromArray(S, q, 4 * L);
    final FloatVector dt = FloatVector.fromArray(S, q, 5 * L);
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
      FloatVector nb = ddb.fma(sb, bC.fma(cb, abbdt));
      nb.blend(0f, nb.abs().lt(B_FLOOR)).intoArray(b, i - pl); // GrayScottKernel.B_FLOOR
      aW = aC;
      aC = aE;
      bW = bC;
      bC = bE;
    }
  }

  // ---------------------------------------------------------------- padded-row path

  @Override
  public void stepRows(float[] a, float[] b, float[] na, float[] nb, int n, int y0, int y1, float[] q) {
    final int p = n + 2;
    // flat range over the rows, from (y0, 0) to (y1 - 1, n - 1), halo columns in between included
    // (computed, then overwritten by the halo refresh); affine indices, so bounds checks are hoisted
    final int start = (y0 + 1) * p + 1;
    final int end = y1 * p + n; // inclusive
    if (end - start + 1 < L) {
      JavaGrayScottScalar.stepRowsScalar(a, b, na, nb, n, y0, y1, q);
      return;
    }
    final FloatVector ca = FloatVector.broadcast(S, q[0]);
    final FloatVector fa = FloatVector.broadcast(S, q[1]);
    final FloatVector dda = FloatVector.broadcast(S, q[2]);
    final FloatVector cb = FloatVector.broadcast(S, q[3]);
    final FloatVector ddb = FloatVector.broadcast(S, q[4]);
    final FloatVector dt = FloatVector.broadcast(S, q[5]);
    final int lastStart = end - L + 1;
    for (int i = start; i <= lastStart; i += L) {
      FloatVector aC = FloatVector.fromArray(S, a, i);
      FloatVector bC = FloatVector.fromArray(S, b, i);
      FloatVector sa = FloatVector.fromArray(S, a, i - p).add(FloatVector.fromArray(S, a, i + p))
          .add(FloatVector.fromArray(S, a, i - 1).add(FloatVector.fromArray(S, a, i + 1)));
      FloatVector sb = FloatVector.fromArray(S, b, i - p).add(FloatVector.fromArray(S, b, i + p))
          .add(FloatVector.fromArray(S, b, i - 1).add(FloatVector.fromArray(S, b, i + 1)));
      FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
      dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(na, i);
      FloatVector nbv = ddb.fma(sb, bC.fma(cb, abbdt));
      nbv.blend(0f, nbv.abs().lt(B_FLOOR)).intoArray(nb, i);
    }
    if ((end - start + 1) % L != 0) {
      // one last vector ending at `end`, overlapping its predecessor (same values rewritten)
      final int i = lastStart;
      FloatVector aC = FloatVector.fromArray(S, a, i);
      FloatVector bC = FloatVector.fromArray(S, b, i);
      FloatVector sa = FloatVector.fromArray(S, a, i - p).add(FloatVector.fromArray(S, a, i + p))
          .add(FloatVector.fromArray(S, a, i - 1).add(FloatVector.fromArray(S, a, i + 1)));
      FloatVector sb = FloatVector.fromArray(S, b, i - p).add(FloatVector.fromArray(S, b, i + p))
          .add(FloatVector.fromArray(S, b, i - 1).add(FloatVector.fromArray(S, b, i + 1)));
      FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
      dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(na, i);
      FloatVector nbv = ddb.fma(sb, bC.fma(cb, abbdt));
      nbv.blend(0f, nbv.abs().lt(B_FLOOR)).intoArray(nb, i);
    }
    JavaGrayScottRows.halo(na, n, y0, y1);
    JavaGrayScottRows.halo(nb, n, y0, y1);
  }
}
