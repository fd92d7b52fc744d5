package org.macronet.training.sde;

import org.macronet.training.linalg.Cholesky;

/**
 * The negative log-likelihood (up to constants) of one observed increment under the SDE's
 * Euler-Maruyama step: with the residual X = z1 - z0 - f(z0) dt and the covariance
 * S = lambda dt sigma sigma^T + eps I,
 *
 * <pre>
 *   loss = X^T S^-1 X + log det S
 * </pre>
 *
 * computed through the Cholesky factor of S (a solve for S^-1 X, the factor's diagonal for the
 * log-determinant), never by inverting S. lambda scales the modelled variance: a patch's increment
 * has K times the whole lattice's variance, so lambda = K makes the model's sigma the lattice's.
 *
 * <p>Gradients: dloss/dX = 2 S^-1 X = 2 y, and with G = S^-1 - y y^T (symmetric),
 * dloss/dS = G, so dloss/dsigma = 2 lambda dt G sigma. One instance per thread.
 */
public final class IncrementLoss {
  private final int d;
  private final double lambda;
  private final double eps;
  private final Cholesky cholesky;
  private final double[] s;
  private final double[] y;
  private final double[] inverse;

  /**
   * @param d      the state's dimension
   * @param lambda the variance scale (K for patch increments, 1 for the naive model)
   * @param eps    the ridge added to S's diagonal (1e-4 in the reference)
   */
  public IncrementLoss(int d, double lambda, double eps) {
    if (!(lambda > 0) || !(eps >= 0) || !Double.isFinite(lambda) || !Double.isFinite(eps)) {
      throw new IllegalArgumentException("need lambda > 0 and eps >= 0, found " + lambda + ", " + eps);
    }
    this.d = d;
    this.lambda = lambda;
    this.eps = eps;
    this.cholesky = new Cholesky(d);
    this.s = new double[d * d];
    this.y = new double[d];
    this.inverse = new double[d * d];
  }

  public int dimension() {
    return d;
  }

  /**
   * The loss of one increment, and when {@code dResidual} is not null its gradients: dloss/dX into
   * {@code dResidual} (d values) and dloss/dsigma into {@code dSigma} (d x d, row-major), both
   * overwritten.
   *
   * @param residual X = z1 - z0 - f(z0) dt (d values)
   * @param sigma    the diffusion matrix at z0 (d x d, row-major)
   * @param dt       the increment's duration
   */
  public double loss(double[] residual, double[] sigma, double dt, double[] dResidual, double[] dSigma) {
    double scale = lambda * dt;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
          sum += sigma[i * d + k] * sigma[j * d + k];
        }
        double v = scale * sum + (i == j ? eps : 0);
        s[i * d + j] = v;
        s[j * d + i] = v;
      }
    }
    cholesky.factor(s);
    cholesky.solve(residual, y);
    double quadratic = 0;
    for (int i = 0; i < d; i++) {
      quadratic += residual[i] * y[i];
    }
    double loss = quadratic + cholesky.logDeterminant();
    if (dResidual != null) {
      for (int i = 0; i < d; i++) {
        dResidual[i] = 2 * y[i];
      }
      cholesky.inverse(inverse);
      // G = S^-1 - y y^T; dsigma = 2 lambda dt G sigma
      for (int i = 0; i < d; i++) {
        for (int k = 0; k < d; k++) {
          double sum = 0;
          for (int j = 0; j < d; j++) {
            sum += (inverse[i * d + j] - y[i] * y[j]) * sigma[j * d + k];
          }
          dSigma[i * d + k] = 2 * scale * sum;
        }
      }
    }
    return loss;
  }
}
