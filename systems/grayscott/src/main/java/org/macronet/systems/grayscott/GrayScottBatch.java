package org.macronet.systems.grayscott;

/**
 * A batch of square periodic Gray-Scott grids, each with its own parameters, advanced
 * together by a {@link GrayScottKernel}. Fields are float32, grid {@code g} occupying
 * {@code [g * size * size, (g + 1) * size * size)} of {@link #a} and {@link #b}, row-major.
 *
 * <p>The arrays are the caller's: kernels read the initial state from them and write the
 * final state back, and keep no reference after {@code advance} returns.
 */
public final class GrayScottBatch {
  public final int count;
  public final int size;
  public final float dt;
  public final float[] a;
  public final float[] b;
  public final float[] da;
  public final float[] db;
  public final float[] feed;
  public final float[] kill;

  public GrayScottBatch(int count, int size, float dt) {
    if (count < 1) {
      throw new IllegalArgumentException("batch count must be positive, found " + count);
    }
    if (size < 3) {
      throw new IllegalArgumentException("grid size must be at least 3, found " + size);
    }
    this.count = count;
    this.size = size;
    this.dt = dt;
    int cells = Math.multiplyExact(Math.multiplyExact(count, size), size);
    this.a = new float[cells];
    this.b = new float[cells];
    this.da = new float[count];
    this.db = new float[count];
    this.feed = new float[count];
    this.kill = new float[count];
  }

  /** Sets the parameters of grid {@code g}. */
  public void setParameters(int g, double daValue, double dbValue, double f, double k) {
    da[g] = (float) daValue;
    db[g] = (float) dbValue;
    feed[g] = (float) f;
    kill[g] = (float) k;
  }

  /** An independent copy: same shape, fields and parameters. */
  public GrayScottBatch copy() {
    GrayScottBatch dst = new GrayScottBatch(count, size, dt);
    System.arraycopy(a, 0, dst.a, 0, a.length);
    System.arraycopy(b, 0, dst.b, 0, b.length);
    System.arraycopy(da, 0, dst.da, 0, count);
    System.arraycopy(db, 0, dst.db, 0, count);
    System.arraycopy(feed, 0, dst.feed, 0, count);
    System.arraycopy(kill, 0, dst.kill, 0, count);
    return dst;
  }

  /** Cells per grid. */
  public int cellsPerGrid() {
    return size * size;
  }
}
