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
