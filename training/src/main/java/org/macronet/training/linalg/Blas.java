package org.macronet.training.linalg;

/**
 * Single-precision matrix products through netlib BLAS ({@code dev.ludovic.netlib}): the system's
 * native BLAS when one is installed (OpenBLAS, with {@code OPENBLAS_NUM_THREADS=1} because the
 * trainers parallelise over examples themselves), else netlib's Java implementation.
 *
 * <p>Arrays are column-major, as in BLAS. A row-major matrix X of n rows and k columns is the
 * column-major k x n matrix X' with leading dimension k, which is how the flows use these calls.
 */
public final class Blas {
  private static final dev.ludovic.netlib.blas.BLAS BLAS = dev.ludovic.netlib.blas.BLAS.getInstance();

  private Blas() {}

  /** The BLAS implementation in use, for logs and benchmark reports. */
  public static String implementation() {
    return BLAS.getClass().getName();
  }

  /**
   * {@code C := alpha * op(A) * op(B) + beta * C} with op(A) m x k, op(B) k x n, C m x n,
   * all column-major at the given offsets and leading dimensions.
   */
  public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
      float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS.sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb,
        beta, c, cOffset, ldc);
  }
}
