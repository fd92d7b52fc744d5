package org.macronet.systems.grayscott;

import com.aparapi.Kernel;

/**
 * The Aparapi kernel behind {@link OpenClGrayScottKernel}: one work-item per cell of the
 * whole batch over a 3D range {@code (x, y, grid) = (size, size, count)}, one pass per Euler
 * step. The range is exact (no padding), so the body has no bounds guard: PoCL's work-group
 * vectoriser runs this branch-light form about three times faster than a 1D range with a
 * guard and divisions. Aparapi translates {@link #run()} to OpenCL C; the
 * body therefore keeps to what Aparapi can translate (scalars, 1D primitive arrays, no
 * objects, no writes to scalar fields).
 *
 * <p>The fields are ping-ponged: a pass with source parity 0 reads {@code (a0, b0)} and writes
 * {@code (a1, b1)}, parity 1 the other way round. The source parity of a pass is
 * {@code (getPassId() + parity) & 1}, so one {@code execute(range, steps)} runs all the steps
 * on the device without a round trip to Java between them; {@link #parity} lets a caller
 * start from the other buffer.
 *
 * <p>Package-private and driven only by {@link OpenClGrayScottKernel}; fields are package
 * visible so that the owner can set them (Aparapi reads them by reflection).
 */
final class OpenClGrayScottStepKernel extends Kernel {
  /** Field a, buffer 0 and 1; each {@code count * size * size}, grid-major, row-major. */
  float[] a0;
  float[] a1;
  /** Field b, buffer 0 and 1. */
  float[] b0;
  float[] b1;
  /** Per-grid Da, Db, F and F + k (the sum taken in float, as the Java reference does). */
  float[] da;
  float[] db;
  float[] feed;
  float[] feedKill;
  /** Grid side. */
  int size;
  /** Cells per grid, {@code size * size}. */
  int cells;
  /** Time step. */
  float dt;
  /** Source parity of pass 0. */
  int parity;

  @Override
  public void run() {
    int n = size;
    int x = getGlobalId(0);
    int y = getGlobalId(1);
    int g = getGlobalId(2);
    int base = g * cells;
    int row = base + y * n;
    int gid = row + x;
    int west = row + (x == 0 ? n - 1 : x - 1);
    int east = row + (x == n - 1 ? 0 : x + 1);
    int up = base + (y == 0 ? n - 1 : y - 1) * n + x;
    int down = base + (y == n - 1 ? 0 : y + 1) * n + x;

    float av = 0f;
    float bv = 0f;
    float lapA = 0f;
    float lapB = 0f;
    int src = (getPassId() + parity) & 1;
    if (src == 0) {
      av = a0[gid];
      bv = b0[gid];
      lapA = a0[west] + a0[east] + a0[up] + a0[down] - 4f * av;
      lapB = b0[west] + b0[east] + b0[up] + b0[down] - 4f * bv;
    } else {
      av = a1[gid];
      bv = b1[gid];
      lapA = a1[west] + a1[east] + a1[up] + a1[down] - 4f * av;
      lapB = b1[west] + b1[east] + b1[up] + b1[down] - 4f * bv;
    }
    float abb = av * bv * bv;
    float na = av + dt * (da[g] * lapA - abb + feed[g] * (1f - av));
    float nb = bv + dt * (db[g] * lapB + abb - feedKill[g] * bv);
    if (abs(nb) < GrayScottKernel.B_FLOOR) {
      nb = 0f;
    }
    if (src == 0) {
      a1[gid] = na;
      b1[gid] = nb;
    } else {
      a0[gid] = na;
      b0[gid] = nb;
    }
  }
}
