package org.macronet.training.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.macronet.training.nn.Activation;

/**
 * The architecture of a RealNVP-style flow on vectors: an optional fixed standardisation, then
 * {@code couplings} times [ActNorm (optional)] + affine coupling, with a fixed random permutation
 * between consecutive couplings drawn from {@code permutationSeed}.
 */
public record RealNvp(int dim, int couplings, int[] hidden, Activation activation, double clamp, boolean actNorm,
    double lastLayerScale, long permutationSeed) {

  public RealNvp {
    if (dim < 2) {
      throw new IllegalArgumentException("a RealNVP flow needs at least 2 dimensions, found " + dim);
    }
    if (couplings < 1) {
      throw new IllegalArgumentException("couplings must be >= 1, found " + couplings);
    }
    hidden = hidden.clone();
  }

  /** The flow, with {@code standardization} first when it is not null. */
  public Flow build(Standardization standardization) {
    return build(standardization, null);
  }

  /**
   * The flow, with {@code standardization} first when it is not null, then, when {@code box} (in
   * the raw columns' units) is not null, a {@link BoxLogit} onto the whole space.
   */
  public Flow build(Standardization standardization, BoxLogit.Bounds box) {
    List<FlowBlock> blocks = new ArrayList<>();
    if (standardization != null) {
      if (standardization.dim() != dim) {
        throw new IllegalArgumentException("standardisation width " + standardization.dim() + " != flow width " + dim);
      }
      blocks.add(standardization);
    }
    if (box != null) {
      if (box.dim() != dim) {
        throw new IllegalArgumentException("box width " + box.dim() + " != flow width " + dim);
      }
      blocks.add(new BoxLogit(standardization != null ? box.standardized(standardization) : box));
    }
    SplittableRandom random = new SplittableRandom(permutationSeed);
    for (int k = 0; k < couplings; k++) {
      if (actNorm) {
        blocks.add(new ActNorm(dim));
      }
      blocks.add(new AffineCoupling(dim, hidden, activation, clamp, lastLayerScale));
      if (k < couplings - 1) {
        blocks.add(Permutation.random(dim, random));
      }
    }
    return new Flow(blocks);
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RealNvp r && dim == r.dim && couplings == r.couplings && Arrays.equals(hidden, r.hidden)
        && activation == r.activation && Double.compare(clamp, r.clamp) == 0 && actNorm == r.actNorm
        && Double.compare(lastLayerScale, r.lastLayerScale) == 0 && permutationSeed == r.permutationSeed;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hidden) * 31 + java.util.Objects.hash(dim, couplings, activation, clamp, actNorm,
        lastLayerScale, permutationSeed);
  }

  @Override
  public String toString() {
    return "RealNvp[dim=" + dim + ", couplings=" + couplings + ", hidden=" + Arrays.toString(hidden) + ", activation="
        + activation.configName() + ", clamp=" + clamp + ", actNorm=" + actNorm + "]";
  }
}
