package org.macronet.systems.grayscott;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The kernels' building blocks, implemented once in plain Java ({@link JavaGrayScottScalar}) and
 * once with the incubating Vector API ({@code VectorGrayScottEngine}, loaded only when the
 * {@code jdk.incubator.vector} module is in the boot layer).
 *
 * <p>Two layouts are used:
 * <ul>
 *   <li><b>padded rows</b> (any grid): a grid of side {@code n} is held as {@code n} rows of
 *       {@code stride = n + 2} floats, cell {@code (y, x)} at {@code y * stride + x + 1}; columns 0
 *       and {@code n + 1} are halo copies of columns {@code n - 1} and 0, so the west and east
 *       neighbours of every interior cell are plain unit-offset loads;</li>
 *   <li><b>interleaved</b> (vector path only, batches of small grids): {@code lanes} grids share one
 *       array, cell {@code (y, x)} of grid {@code lane} at {@code ((y + 1) * n + x) * lanes + lane}
 *       after a halo row (a copy of row {@code n - 1}; another copy of row 0 follows the last row),
 *       so one vector holds the same cell of {@code lanes} grids and every neighbour is a
 *       whole-vector load, with per-lane parameters; a row's ends wrap around in registers.</li>
 * </ul>
 */
interface JavaGrayScottRows {

  /** Row stride of the padded layout. */
  static int stride(int n) {
    return n + 2;
  }

  /** Array length of one field of a grid of side {@code n} in padded layout. */
  static int paddedLength(int n) {
    return (n + 2) * (n + 2);
  }

  /**
   * Refreshes the halo of interior rows {@code [y0, y1)} of a padded-layout field: their two halo
   * columns, then the halo row that copies row 0 (if {@code y0 == 0}) and the one that copies
   * row {@code n - 1} (if {@code y1 == n}).
   */
  static void halo(float[] f, int n, int y0, int y1) {
    final int p = n + 2;
    for (int y = y0; y < y1; y++) {
      int c = (y + 1) * p;
      f[c] = f[c + n];
      f[c + n + 1] = f[c + 1];
    }
    if (y0 == 0) {
      System.arraycopy(f, p, f, (n + 1) * p, p);
    }
    if (y1 == n) {
      System.arraycopy(f, n * p, f, 0, p);
    }
  }

  /** Copies grid {@code g} of {@code src} (dense, row-major) into padded layout {@code dst}, halo included. */
  static void pad(float[] src, int g, int n, float[] dst) {
    int base = g * n * n;
    int p = n + 2;
    for (int y = 0; y < n; y++) {
      System.arraycopy(src, base + y * n, dst, (y + 1) * p + 1, n);
    }
    halo(dst, n, 0, n);
  }

  /** Copies a padded-layout grid back into grid {@code g} of {@code dst}. */
  static void unpad(float[] src, int n, float[] dst, int g) {
    int base = g * n * n;
    int p = n + 2;
    for (int y = 0; y < n; y++) {
      System.arraycopy(src, (y + 1) * p + 1, dst, base + y * n, n);
    }
  }

  /**
   * One Euler step of interior rows {@code [y0, y1)} of one padded-layout grid, (a, b) -> (na, nb),
   * then {@link #halo} of those rows in na and nb. Only those rows and their halo cells are written.
   *
   * @param p per-grid coefficients from {@link #coefficients}
   */
  void stepRows(float[] a, float[] b, float[] na, float[] nb, int n, int y0, int y1, float[] p);

  /** Name of the path for {@link GrayScottKernel#description()}. */
  String pathName();

  /** Grids per interleaved group, or 0 where the path has no interleaved layout. */
  int lanes();

  /**
   * Advances by {@code steps} steps every grid of {@code batch} that {@code next} hands out (a grid
   * index, or -1 when none is left) in the interleaved layout, {@code lanes()} at a time; several
   * threads may share one {@code next}.
   */
  void advanceInterleaved(GrayScottBatch batch, IntSupplier next, int steps);

  /** The grids {@code 0 .. count - 1}, one each call, then -1; threads may share it. */
  static IntSupplier grids(int count) {
    AtomicInteger next = new AtomicInteger();
    return () -> {
      int i = next.getAndIncrement();
      return i < count ? i : -1;
    };
  }

  /** Number of coefficients in {@link #coefficients}. */
  int COEFFS = 7;

  /**
   * The update folded into per-grid constants (algebraically the contract's formula):
   * <pre>
   *   a' = a * ca + fa + dtDa * (aN + aS + aW + aE) - dt * a b^2
   *   b' = b * cb      + dtDb * (bN + bS + bW + bE) + dt * a b^2
   *   ca = 1 - dt F - 4 dt Da,  fa = dt F,  cb = 1 - dt (F + k) - 4 dt Db
   * </pre>
   * Returned as {ca, fa, dtDa, cb, dtDb, dt, -dt}.
   */
  static float[] coefficients(GrayScottBatch batch, int g) {
    double dt = batch.dt;
    double da = batch.da[g];
    double db = batch.db[g];
    double f = batch.feed[g];
    double k = batch.kill[g];
    return new float[] {
      (float) (1 - dt * f - 4 * dt * da), (float) (dt * f), (float) (dt * da),
      (float) (1 - dt * (f + k) - 4 * dt * db), (float) (dt * db), (float) dt, (float) -dt
    };
  }
}
