package org.macronet.simulation.grayscott;

/**
 * Advances a batch of Gray-Scott grids by explicit Euler steps of the
 * 5-point periodic Laplacian (dx = 1):
 *
 * <pre>
 *   a' = a + dt * ( Da lap(a) - a b^2 + F (1 - a) )
 *   b' = b + dt * ( Db lap(b) + a b^2 - (F + k) b )
 *   lap(x)[i, j] = x[i-1, j] + x[i+1, j] + x[i, j-1] + x[i, j+1] - 4 x[i, j]
 * </pre>
 *
 * A new b whose magnitude is below the smallest normal float (1.18e-38) is stored as 0. Where b
 * dies out it decays by (1 - (F + k) dt) a step into the subnormal range and, rounded, never
 * leaves it (8 x 1.4e-45 times 0.94 rounds to itself), and x86 cores compute on subnormal
 * operands on a slow path: a dead pattern would run several times slower at every remaining
 * step. The flushed values are 40 orders of magnitude below the pattern's; C compiled with
 * -ffast-math (the benchmark reference) flushes them too.
 *
 * Implementations agree to float rounding; which one ran is reported by {@link #description()}.
 * A kernel may hold native resources: close it when done.
 */
public interface GrayScottKernel extends AutoCloseable {

  /** Short, stable name of the implementation: {@code java} or {@code opencl}. */
  String name();

  /** What ran, for logs and dataset metadata, e.g. {@code opencl (Portable Computing Language: cpu-...)}. */
  String description();

  /** Advances every grid of {@code batch} by {@code steps} steps, in place. */
  void advance(GrayScottBatch batch, int steps);

  @Override
  default void close() {}
}
