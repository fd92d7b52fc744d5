package org.macronet.systems.grayscott;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API implementation of {@link JavaGrayScottRows}. Loaded reflectively by
 * {@link JavaGrayScottKernel} only when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Interleaved path (batches of grids): one vector holds the same cell of {@code lanes}
 * grids, in rows of n cells with a halo row above and below, so every neighbour is a whole-vector
 * load at a fixed offset, with no lane shifts, and the parameters are per-lane vectors. West and
 * centre are carried in registers from the previous cell, and a row's ends wrap around in
 * registers, so each cell costs three loads per field (east, north, south), like the C
 * reference's register-built neighbours; the update is done in place, each result stored one row
 * earlier in the array, which halves the cache footprint (16 grids of 64^2: ~540 KB).
 * The state starts on a cache line ({@link ArrayAlignment}): on AMD Zen 4, where a 512-bit access
 * runs as two 256-bit halves, every half that crosses a line costs a second access, and the
 * aligned kernel runs about a third faster than one at the array's own 8-byte alignment.
 *
 * <p>Row path (large grids, or too few grids to fill the lanes): the padded layout of
 * {@link JavaGrayScottRows}, one flat loop over a band of rows; west/east are unaligned loads at
 * offset -1/+1; a band whose length is not a multiple of the vector width ends with one
 * overlapping vector.
 *
 * <p>Hot loops are written out in full, with the coefficient vectors created inside the method:
 * a helper method compiled on its own can be too big to inline (then every vector crossing the
 * call is boxed), and vectors passed in as arguments are unboxed from float[] payloads that C2
 * cannot prove unaliased by the loop's float[] stores, i.e. reloaded every iteration. The floor
 * on b ({@link GrayScottKernel#B_FLOOR}) is applied on the bits in integer lanes: a comparison
 * would make a mask, which JDK 17 moves from a mask register to a vector and back for the blend
 * (two more operations and two constant loads per cell-vector; 15 % of the aligned kernel's time).
 */
final class VectorGrayScottEngine implements JavaGrayScottRows {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
  private static final int LINE_FLOATS = ArrayAlignment.LINE / Float.BYTES;
  private static final float B_FLOOR = GrayScottKernel.B_FLOOR;

  /**
   * Steps between the checks for grids that have stopped changing (see advanceInterleaved). A
   * check (two copies of the state and a comparison) costs about 15 steps' time, so it is rare: at
   * 512, 3 % at most (none of the W1 benchmark's grids stops), and 20 % faster on grids from the
   * default prior; at 64 the checks cost a fifth of all time.
   */
  static final int CHECK_EVERY = 512;

  /** Where the interleaved state starts in its array: floats past element 0 (0 .. 15). */
  private final ToIntFunction<float[]> placement;
  /** Steps between the checks for grids that have stopped changing; 0: never checked. */
  private final int checkEvery;
  /** Grids finished early at a fixed point of the update, and in a 2-cycle (for tests and logs). */
  final LongAdder fixedPoints = new LongAdder();
  final LongAdder twoCycles = new LongAdder();

  VectorGrayScottEngine() {
    this(ArrayAlignment::floatsToLine, CHECK_EVERY);
  }

  /**
   * With the state placed by {@code placement} instead of on cache lines, and the checks for
   * grids that have stopped changing every {@code checkEvery} steps (0: none): for tests, where
   * the results must depend on neither.
   */
  VectorGrayScottEngine(ToIntFunction<float[]> placement, int checkEvery) {
    if (checkEvery < 0 || checkEvery == 1) {
      throw new IllegalArgumentException("checkEvery must be 0 or at least 2, found " + checkEvery);
    }
    this.placement = placement;
    this.checkEvery = checkEvery;
  }

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

  /**
   * Advances every grid that {@code next} hands out by {@code steps} steps, {@code lanes} at a time.
   * Each lane takes a grid, and takes the next one as soon as its grid is done, so the lanes need
   * not start or finish together. A grid is done after {@code steps} steps or, earlier, once it
   * has stopped changing: every {@link #CHECK_EVERY} steps (by default) the state is compared, bit for bit, with
   * its two predecessors, and a grid equal to the one before (a fixed point of the float update)
   * or to the one two steps before (a 2-cycle) would only repeat itself, so its final state is
   * known without the remaining steps. Many grids from a wide prior end that way, their b dead and
   * a settled at 1 (a quarter of the default Gray-Scott prior's, most within 1,000 of 5,000
   * steps). The results are the same bits as with every step done, and do not depend on which
   * lane or which call took a grid.
   */
  @Override
  public void advanceInterleaved(GrayScottBatch batch, IntSupplier next, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be non-negative, found " + steps);
    }
    if (steps == 0) {
      return;
    }
    final int n = batch.size;
    final int rows = n + 2;
    final int pl = n * L;
    // state: n + 2 rows of n cells (a halo row above and below) of a at f[off ...] and of b at
    // f[x + off ...]; each step writes its result one row earlier in the array (in place, see
    // sweepInterleaved), so each field has `spare` extra rows in front, and the state is moved back
    // to the end when they run out (every `spare` steps). One array for both fields, b a whole
    // number of rows after a, so that one offset `line` puts a on a cache line and b on a vector's
    // own alignment (ArrayAlignment); the offset is chosen again at every move back, in case the
    // collector has moved the array meanwhile
    final int spare = rows + 16; // empirical: rows + 4 .. rows + 16 ran 7.3e9 on W1, rows and 64 ran 6.3-6.8e9
    final int x = (rows + spare) * pl;
    final int state = rows * pl;
    final float[] f = new float[2 * x + LINE_FLOATS];
    int line = placement.applyAsInt(f) & (LINE_FLOATS - 1);
    int off = line + spare * pl;
    final float[] q = new float[COEFFS * L];
    final int[] grid = new int[L];   // the lane's grid, -1 for none
    Arrays.fill(grid, -1);
    final int[] done = new int[L];   // steps the lane's grid has had
    final long[] since = new long[L]; // the stream's step count when the lane's grid came in
    // the states two steps (older) and one step (newer) before a check, a's rows then b's
    final float[] older = checkEvery > 0 ? new float[2 * state] : null;
    final float[] newer = checkEvery > 0 ? new float[2 * state] : null;
    final int[] changedSinceNewer = new int[L]; // per lane: 0 when the state equals newer
    final int[] changedSinceOlder = new int[L];
    int active = 0;
    for (int lane = 0; lane < L; lane++) {
      grid[lane] = next.getAsInt();
      if (grid[lane] < 0) {
        break;
      }
      load(batch, grid[lane], lane, f, off, x, q);
      active++;
    }
    haloRows(f, off, n);
    haloRows(f, x + off, n);
    for (long t = 0; active > 0; t++) {
      if (off == line) {
        // b first: a's new place ends at x + line, over the start of b's old place when the line
        // moved up
        line = placement.applyAsInt(f) & (LINE_FLOATS - 1);
        System.arraycopy(f, x + off, f, x + line + spare * pl, state);
        System.arraycopy(f, off, f, line + spare * pl, state);
        off = line + spare * pl;
      }
      final long phase = checkEvery > 0 ? t % checkEvery : -1;
      if (phase == 0 || phase == 1) {
        float[] keep = phase == 0 ? older : newer;
        System.arraycopy(f, off, keep, 0, state);
        System.arraycopy(f, x + off, keep, state, state);
      }
      sweepInterleaved(f, off, x, n, q);
      off -= pl;
      if (phase == 1) {
        // the state is now that of step t + 1; older holds step t - 1, newer step t
        compare(f, off, x, n, older, newer, changedSinceOlder, changedSinceNewer);
      }
      for (int lane = 0; lane < L; lane++) {
        if (grid[lane] < 0) {
          continue;
        }
        done[lane]++;
        float[] from = null;
        int fromOff = 0;
        int fromX = 0;
        if (done[lane] == steps) {
          from = f;
          fromOff = off;
          fromX = x;
        } else if (phase == 1 && since[lane] <= t - 1) { // the grid was in the lane for both
          if (changedSinceNewer[lane] == 0) {
            from = f;
            fromOff = off;
            fromX = x;
            fixedPoints.increment();
          } else if (changedSinceOlder[lane] == 0) {
            // a 2-cycle: an even number of steps left ends here, an odd number one step on
            boolean even = (steps - done[lane]) % 2 == 0;
            from = even ? f : newer;
            fromOff = even ? off : 0;
            fromX = even ? x : state;
            twoCycles.increment();
          }
        }
        if (from != null) {
          store(from, fromOff, fromX, lane, n, batch, grid[lane]);
          grid[lane] = next.getAsInt();
          if (grid[lane] >= 0) {
            load(batch, grid[lane], lane, f, off, x, q);
            done[lane] = 0;
            since[lane] = t + 1;
          } else {
            active--;
          }
        }
      }
      // after the lanes' refills (compare, store and load touch the interior rows only)
      haloRows(f, off, n);
      haloRows(f, x + off, n);
    }
  }

  /** Puts grid {@code g} of {@code batch} and its coefficients into {@code lane} of the state at {@code off}. */
  private static void load(GrayScottBatch batch, int g, int lane, float[] f, int off, int x, float[] q) {
    final int n = batch.size;
    final int pl = n * L;
    final int base = g * n * n;
    for (int y = 0; y < n; y++) {
      for (int c = 0; c < n; c++) {
        int i = off + (y + 1) * pl + c * L + lane;
        f[i] = batch.a[base + y * n + c];
        f[x + i] = batch.b[base + y * n + c];
      }
    }
    float[] c = JavaGrayScottRows.coefficients(batch, g);
    for (int k = 0; k < COEFFS; k++) {
      q[k * L + lane] = c[k];
    }
  }

  /** Writes {@code lane} of the state at {@code off} (a) and {@code x + off} (b) of {@code f} into grid {@code g}. */
  private static void store(float[] f, int off, int x, int lane, int n, GrayScottBatch batch, int g) {
    final int pl = n * L;
    final int base = g * n * n;
    for (int y = 0; y < n; y++) {
      for (int c = 0; c < n; c++) {
        int i = off + (y + 1) * pl + c * L + lane;
        batch.a[base + y * n + c] = f[i];
        batch.b[base + y * n + c] = f[x + i];
      }
    }
  }

  /**
   * Per lane, the bits in which the state at {@code off} differs from {@code older} and from
   * {@code newer}, OR-ed over the interior rows of both fields (the halo rows are copies): 0 where
   * the lane's state equals that snapshot.
   */
  private static void compare(float[] f, int off, int x, int n, float[] older, float[] newer,
                              int[] changedSinceOlder, int[] changedSinceNewer) {
    // plain loops (a rare pass over memory): Vector API code run this seldom stays interpreted,
    // where every vector operation allocates
    final int pl = n * L;
    final int state = (n + 2) * pl;
    Arrays.fill(changedSinceOlder, 0);
    Arrays.fill(changedSinceNewer, 0);
    for (int field = 0; field < 2; field++) {
      final int from = field * x + off + pl;
      final int snap = field * state + pl;
      for (int i = 0; i < n * pl; i += L) {
        for (int lane = 0; lane < L; lane++) {
          int now = Float.floatToRawIntBits(f[from + i + lane]);
          changedSinceNewer[lane] |= now ^ Float.floatToRawIntBits(newer[snap + i + lane]);
          changedSinceOlder[lane] |= now ^ Float.floatToRawIntBits(older[snap + i + lane]);
        }
      }
    }
  }

  /** Refreshes the halo rows of an interleaved state at {@code off}: row 0 = row n, row n + 1 = row 1. */
  private static void haloRows(float[] f, int off, int n) {
    final int pl = n * L;
    System.arraycopy(f, off + n * pl, f, off, pl);
    System.arraycopy(f, off + pl, f, off + (n + 1) * pl, pl);
  }

  /**
   * One step of an interleaved state (a at {@code off}, b at {@code x + off}), in place, the
   * result shifted one row down in memory (to {@code off - pl}). Row by row; in a row, west and
   * centre are carried in registers from the previous cell, and the row's ends wrap around in
   * registers (the first cell's west is the last cell, loaded before the row starts; the last
   * cell's east is the first, kept from the start), so the layout has no halo columns to compute
   * or refresh. The value at {@code i - pl} (north of cell i) is last read by cell i, just before
   * it is overwritten.
   */
  private static void sweepInterleaved(float[] f, int off, int x, int n, float[] q) {
    // the per-lane coefficients are loaded here, before the loop: vectors passed in as arguments
    // would be unboxed inside the loop, from float[] payloads that C2 cannot prove unaliased by
    // the loop's stores, i.e. reloaded every iteration
    final FloatVector ca = FloatVector.fromArray(S, q, 0);
    final FloatVector fa = FloatVector.fromArray(S, q, L);
    final FloatVector dda = FloatVector.fromArray(S, q, 2 * L);
    final FloatVector cb = FloatVector.fromArray(S, q, 3 * L);
    final FloatVector ddb = FloatVector.fromArray(S, q, 4 * L);
    final FloatVector dt = FloatVector.fromArray(S, q, 5 * L);
    final IntVector floorBits = IntVector.broadcast(I, Float.floatToRawIntBits(B_FLOOR));
    final int pl = n * L;
    // the whole body is written out here, twice (the row's cells, then its last cell): a helper
    // that C2 compiles on its own before this loop gets hot may then be too big to inline, and
    // vectors crossing a call are boxed
    for (int first = off + pl; first <= off + n * pl; first += pl) {
      final int last = first + (n - 1) * L;
      FloatVector aW = FloatVector.fromArray(S, f, last);
      FloatVector bW = FloatVector.fromArray(S, f, x + last);
      final FloatVector aFirst = FloatVector.fromArray(S, f, first);
      final FloatVector bFirst = FloatVector.fromArray(S, f, x + first);
      FloatVector aC = aFirst;
      FloatVector bC = bFirst;
      for (int i = first; i < last; i += L) {
        FloatVector aE = FloatVector.fromArray(S, f, i + L);
        FloatVector bE = FloatVector.fromArray(S, f, x + i + L);
        FloatVector sa = FloatVector.fromArray(S, f, i - pl).add(FloatVector.fromArray(S, f, i + pl)).add(aW.add(aE));
        FloatVector sb = FloatVector.fromArray(S, f, x + i - pl).add(FloatVector.fromArray(S, f, x + i + pl))
            .add(bW.add(bE));
        FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
        dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(f, i - pl);
        // GrayScottKernel.B_FLOOR on the bits: |b'| - floor < 0 (as integers) -> 0
        IntVector nb = ddb.fma(sb, bC.fma(cb, abbdt)).reinterpretAsInts();
        nb.lanewise(VectorOperators.AND_NOT, nb.and(0x7fffffff).sub(floorBits).lanewise(VectorOperators.ASHR, 31))
            .reinterpretAsFloats().intoArray(f, x + i - pl);
        aW = aC;
        aC = aE;
        bW = bC;
        bC = bE;
      }
      final int i = last;
      FloatVector sa = FloatVector.fromArray(S, f, i - pl).add(FloatVector.fromArray(S, f, i + pl)).add(aW.add(aFirst));
      FloatVector sb = FloatVector.fromArray(S, f, x + i - pl).add(FloatVector.fromArray(S, f, x + i + pl))
          .add(bW.add(bFirst));
      FloatVector abbdt = bC.mul(bC).mul(aC).mul(dt);
      dda.fma(sa, aC.fma(ca, fa)).sub(abbdt).intoArray(f, i - pl);
      IntVector nb = ddb.fma(sb, bC.fma(cb, abbdt)).reinterpretAsInts();
      nb.lanewise(VectorOperators.AND_NOT, nb.and(0x7fffffff).sub(floorBits).lanewise(VectorOperators.ASHR, 31))
          .reinterpretAsFloats().intoArray(f, x + i - pl);
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
    final IntVector floorBits = IntVector.broadcast(I, Float.floatToRawIntBits(B_FLOOR));
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
      IntVector nbv = ddb.fma(sb, bC.fma(cb, abbdt)).reinterpretAsInts();
      nbv.lanewise(VectorOperators.AND_NOT, nbv.and(0x7fffffff).sub(floorBits).lanewise(VectorOperators.ASHR, 31))
          .reinterpretAsFloats().intoArray(nb, i);
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
      IntVector nbv = ddb.fma(sb, bC.fma(cb, abbdt)).reinterpretAsInts();
      nbv.lanewise(VectorOperators.AND_NOT, nbv.and(0x7fffffff).sub(floorBits).lanewise(VectorOperators.ASHR, 31))
          .reinterpretAsFloats().intoArray(nb, i);
    }
    JavaGrayScottRows.halo(na, n, y0, y1);
    JavaGrayScottRows.halo(nb, n, y0, y1);
  }
}
