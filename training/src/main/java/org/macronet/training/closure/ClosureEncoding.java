package org.macronet.training.closure;

/**
 * The macrostate's closure columns from a trained {@link ClosureAutoencoder} in inference mode
 * (running statistics): a state's closure (the mean of its K patches' encodings), a single patch's
 * encoding, and the closure after one patch of a state changed.
 *
 * <p>The encoder always runs on batches of exactly {@link #BATCH} states (or patches), the last
 * batch padded with copies of its last row, so that the BLAS calls see the same sizes however many
 * rows a caller passes at once: a row's closure does not depend on how the rows are grouped, bit
 * for bit. Single-threaded; one instance per thread (it owns its scratch).
 */
public final class ClosureEncoding {
  /** States (or patches) per encoder pass. */
  public static final int BATCH = 16;

  private final ClosureAutoencoder model;
  private final float[] params;
  private final float[] buffers;
  private final ClosureAutoencoder.Scratch scratch;
  private final int closure;
  private final int sites;
  private final int patchSites;
  private final byte[] stateBatch;
  private final float[] patchBatch;
  private final float[] out;

  /** The trained model's parameters and running statistics, copied. */
  public ClosureEncoding(ClosureAutoencoder model, float[] params, float[] buffers) {
    if (params.length != model.parameterCount() || buffers.length != model.bufferCount()) {
      throw new IllegalArgumentException(params.length + " parameters and " + buffers.length
          + " buffers for a model of " + model.parameterCount() + " and " + model.bufferCount());
    }
    this.model = model;
    this.params = params.clone();
    this.buffers = buffers.clone();
    this.scratch = model.newScratch(BATCH);
    this.closure = model.closureDimension();
    this.sites = model.latticeSide() * model.latticeSide();
    this.patchSites = model.patchSide() * model.patchSide();
    this.stateBatch = new byte[BATCH * sites];
    this.patchBatch = new float[BATCH * patchSites];
    this.out = new float[BATCH * closure];
  }

  public ClosureAutoencoder model() {
    return model;
  }

  /** c, the closure's width. */
  public int closureDimension() {
    return closure;
  }

  /**
   * The closures of n states (n x c, row-major): each the mean over its K patches of their
   * encodings.
   *
   * @param spins n states of L^2 spins (+-1), row-major
   */
  public float[] stateClosure(byte[] spins, int n) {
    if (n < 0 || spins.length < (long) n * sites) {
      throw new IllegalArgumentException(spins.length + " spins for " + n + " states of " + sites);
    }
    float[] result = new float[n * closure];
    for (int i0 = 0; i0 < n; i0 += BATCH) {
      int m = Math.min(BATCH, n - i0);
      System.arraycopy(spins, i0 * sites, stateBatch, 0, m * sites);
      for (int j = m; j < BATCH; j++) {
        System.arraycopy(spins, (i0 + m - 1) * sites, stateBatch, j * sites, sites);
      }
      model.encode(params, buffers, stateBatch, BATCH, false, scratch, out);
      System.arraycopy(out, 0, result, i0 * closure, m * closure);
    }
    return result;
  }

  /**
   * The encodings of n single patches (n x c): each patch a lattice of its own, K = 1, as the
   * patch-only baseline's closure.
   *
   * @param patches n patches of p^2 spins (+-1), row-major
   */
  public float[] patchClosure(byte[] patches, int n) {
    if (n < 0 || patches.length < (long) n * patchSites) {
      throw new IllegalArgumentException(patches.length + " spins for " + n + " patches of " + patchSites);
    }
    float[] result = new float[n * closure];
    for (int i0 = 0; i0 < n; i0 += BATCH) {
      int m = Math.min(BATCH, n - i0);
      for (int q = 0; q < m * patchSites; q++) {
        byte spin = patches[i0 * patchSites + q];
        if (spin != 1 && spin != -1) {
          throw new IllegalArgumentException("spins must be +1 or -1, found " + spin + " in patch "
              + (i0 + q / patchSites));
        }
        patchBatch[q] = spin;
      }
      for (int j = m; j < BATCH; j++) {
        System.arraycopy(patchBatch, (m - 1) * patchSites, patchBatch, j * patchSites, patchSites);
      }
      model.encodePatches(params, buffers, patchBatch, BATCH, scratch, out);
      System.arraycopy(out, 0, result, i0 * closure, m * closure);
    }
    return result;
  }

  /**
   * The closures after one patch of each of n states changed, without encoding the states again:
   * {@code z1 := z0 + (enc(patch1) - enc(patch0)) / K}, in double, rounded once.
   *
   * @param closures0       the states' closures before (n x c)
   * @param patches0        the changed patches before (n x p^2)
   * @param patches1        and after
   * @param patchesPerState K, the patches of a state
   */
  public float[] increment(float[] closures0, byte[] patches0, byte[] patches1, int patchesPerState) {
    if (closures0.length % closure != 0) {
      throw new IllegalArgumentException(closures0.length + " closure values are no whole number of rows of "
          + closure);
    }
    if (patchesPerState < 1) {
      throw new IllegalArgumentException("a state has at least one patch, found " + patchesPerState);
    }
    int n = closures0.length / closure;
    if (patches0.length != n * patchSites || patches1.length != n * patchSites) {
      throw new IllegalArgumentException(patches0.length + " and " + patches1.length + " patch spins for " + n
          + " closures, " + patchSites + " each");
    }
    float[] before = patchClosure(patches0, n);
    float[] after = patchClosure(patches1, n);
    float[] result = new float[closures0.length];
    for (int q = 0; q < result.length; q++) {
      result[q] = (float) (closures0[q] + ((double) after[q] - before[q]) / patchesPerState);
    }
    return result;
  }
}
