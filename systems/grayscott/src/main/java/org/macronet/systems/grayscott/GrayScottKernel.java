package org.macronet.systems.grayscott;

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
 * A new b whose magnitude is below {@link #B_FLOOR} (2^-60, 8.7e-19) is stored as 0. Such a b
 * has died out: the reaction term a b^2 that could regrow it is below 1e-36, 17 orders of
 * magnitude under the b it would add to, so b only decays (by 1 - (F + k) dt a step) or is
 * refilled from live neighbours by diffusion, which overwrites 1e-18 within a step. Left alone,
 * a dying b would spend hundreds of steps where b^2 and then b itself are subnormal floats
 * (below 1.18e-38), and rounded it never leaves the subnormal range (8 x 1.4e-45 times 0.94
 * rounds to itself); x86 cores compute on subnormal operands and results on a slow path, at
 * about half speed for the whole grid batch. With the floor, every stored b is 0 or at least
 * 2^-60, so b^2 and a b^2 stay normal floats for a above 2^-6 / dt. The C benchmark reference
 * gets the same effect from -ffast-math, which flushes every subnormal result to 0.
 *
 * Implementations agree to float rounding; which one ran is reported by {@link #description()}.
 * A kernel may hold native resources: close it when done.
 */
public interface GrayScottKernel extends AutoCloseable {

  /** The smallest |b| a step stores; below it, b is stored as 0 (see the class comment). */
  float B_FLOOR = 0x1p-60f;

  /** Short, stable name of the implementation: {@code java} or {@code opencl}. */
  String name();

  /** What ran, for logs and dataset metadata, e.g. {@code opencl (Portable Computing Language: cpu-...)}. */
  String description();

  /** Advances every grid of {@code batch} by {@code steps} steps, in place. */
  void advance(GrayScottBatch batch, int steps);

  @Override
  default void close() {}
}
