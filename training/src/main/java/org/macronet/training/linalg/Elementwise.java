package org.macronet.training.linalg;

/**
 * The element-wise kernels of the flows and the optimiser, over row-major batches (n rows of
 * width w, row i at {@code i * w}): bias and activation after a matrix product, the activation's
 * derivative fused with the bias gradient, the coupling's soft clamp and exponential, and the
 * Adam update. Implemented once in plain Java ({@link ScalarElementwise}) and once with the
 * incubating Vector API ({@code VectorElementwise}), which {@link #get()} returns when the
 * {@code jdk.incubator.vector} module is in the boot layer (run the JVM with
 * {@code --add-modules jdk.incubator.vector}) and the system property
 * {@code macronet.training.scalar} is not {@code true}.
 *
 * <p>Both give the same bits for the same inputs (the additions of the column sums are made in
 * the same order, and tanh and exp are {@link Math#exp}'s on both paths), so a training run's
 * results do not depend on which path ran it.
 */
public interface Elementwise {

  /** The implementation in use, chosen once per JVM. */
  static Elementwise get() {
    return ElementwiseLoader.INSTANCE;
  }

  /** The scalar implementation (the reference for tests). */
  static Elementwise scalar() {
    return ScalarElementwise.INSTANCE;
  }

  /** {@code java-vector-512} (the vector width in bits) or {@code java-scalar}, for logs and benchmark reports. */
  String description();

  /** {@code Y[i, j] := Y[i, j] + b[j]}. */
  void addBias(float[] y, int n, int w, float[] b, int bOffset);

  /** {@code Y[i, j] := max(Y[i, j] + b[j], 0)}. */
  void biasRelu(float[] y, int n, int w, float[] b, int bOffset);

  /** {@code Y[i, j] := tanh(Y[i, j] + b[j])}. */
  void biasTanh(float[] y, int n, int w, float[] b, int bOffset);

  /**
   * ReLU backward from the layer's output A: {@code D[i, j] := A[i, j] > 0 ? D[i, j] : 0}, then
   * the bias gradient {@code g[j] += sum_i D[i, j]}.
   */
  void reluBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset);

  /**
   * tanh backward from the layer's output A: {@code D[i, j] := D[i, j] (1 - A[i, j]^2)}, then the
   * bias gradient {@code g[j] += sum_i D[i, j]}.
   */
  void tanhBackward(float[] delta, float[] act, int n, int w, float[] g, int gOffset);

  /** ReLU backward on {@code count} contiguous values: {@code D[k] := A[k] > 0 ? D[k] : 0}. */
  void reluMask(float[] delta, float[] act, int count);

  /** {@code Y[yOffset + k] := Y[yOffset + k] + X[xOffset + k]} for k < count. */
  void add(float[] y, int yOffset, float[] x, int xOffset, int count);

  /** The bias gradient of a linear layer: {@code g[j] += sum_i D[i, j]}. */
  void columnSums(float[] delta, int n, int w, float[] g, int gOffset);

  /**
   * The affine coupling's soft clamp and scale on {@code count} contiguous values:
   * {@code s[k] := c tanh(s[k] / c)}, {@code e[k] := exp(s[k])}.
   */
  void softClampExp(float[] s, float[] e, int count, float c);

  /**
   * Adam's update with the bias correction folded into {@code stepSize} and {@code eps}:
   * {@code m := b1 m + (1 - b1) g; v := b2 v + (1 - b2) g^2; p := p - stepSize m / (sqrt(v) + eps)},
   * evaluated in float in exactly this order (both paths give the same bits).
   */
  void adam(float[] p, float[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize, float eps);

  /** {@link #adam(float[], float[], float[], float[], int, float, float, float, float)} with g rounded from double. */
  void adam(float[] p, double[] g, float[] m, float[] v, int count, float b1, float b2, float stepSize, float eps);
}
