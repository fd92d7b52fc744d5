package org.macronet.training.macronet;

import java.util.Arrays;
import org.macronet.training.flow.BoxLogit;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.RealNvp;
import org.macronet.training.flow.Standardization;
import org.macronet.training.flow.image.ImageFlow;
import org.macronet.training.nn.Activation;

/**
 * The architecture of a MacroNet: widths of u and v, macrostate dimension d, whether f_u and f_v
 * share weights, and the RealNVP settings of both flows (couplings, subnet hidden widths,
 * activation, soft clamp c, ActNorm, last-layer initial scale, permutation seed); or, when
 * {@code imageV} is not null, an image flow for v (the Gray-Scott patterns) and RealNVP for u.
 */
public record MacroNetSpec(int uDim, int vDim, int macroDim, boolean shared, int couplings, int[] hidden,
    Activation activation, double clamp, boolean actNorm, double lastLayerScale, long permutationSeed,
    ImageFlow imageV, BoxLogit.Bounds boxU) implements java.io.Serializable {

  public MacroNetSpec {
    if (shared && uDim != vDim) {
      throw new IllegalArgumentException("train.shared needs u and v of one width, found " + uDim + " and " + vDim);
    }
    if (imageV != null && (shared || imageV.dim() != vDim)) {
      throw new IllegalArgumentException("an image flow for v needs separate flows and " + vDim + " values per image, "
          + "found shared=" + shared + " and " + imageV.shape());
    }
    if (boxU != null && (shared || boxU.dim() != uDim)) {
      throw new IllegalArgumentException("a box for u needs separate flows and " + uDim + " columns, found shared="
          + shared + " and " + boxU.dim());
    }
    if (macroDim < 1 || macroDim > Math.min(uDim, vDim)) {
      throw new IllegalArgumentException("train.macro-dim must lie in [1, " + Math.min(uDim, vDim) + "], found " + macroDim);
    }
    hidden = hidden.clone();
  }

  /** No box for u. */
  public MacroNetSpec(int uDim, int vDim, int macroDim, boolean shared, int couplings, int[] hidden,
      Activation activation, double clamp, boolean actNorm, double lastLayerScale, long permutationSeed,
      ImageFlow imageV) {
    this(uDim, vDim, macroDim, shared, couplings, hidden, activation, clamp, actNorm, lastLayerScale, permutationSeed,
        imageV, null);
  }

  /** Both flows RealNVP. */
  public MacroNetSpec(int uDim, int vDim, int macroDim, boolean shared, int couplings, int[] hidden,
      Activation activation, double clamp, boolean actNorm, double lastLayerScale, long permutationSeed) {
    this(uDim, vDim, macroDim, shared, couplings, hidden, activation, clamp, actNorm, lastLayerScale, permutationSeed,
        null, null);
  }

  public RealNvp flowSpec(int dim, long seed) {
    return new RealNvp(dim, couplings, hidden, activation, clamp, actNorm, lastLayerScale, seed);
  }

  /** The network with the given input standardisations (fitted on training data). */
  public MacroNet build(Standardization standardizeU, Standardization standardizeV) {
    Flow fu = flowSpec(uDim, permutationSeed).build(standardizeU, boxU);
    if (shared) {
      return new MacroNet(fu, fu, true, macroDim);
    }
    Flow fv = imageV != null ? imageV.build(standardizeV) : flowSpec(vDim, permutationSeed + 1).build(standardizeV);
    return new MacroNet(fu, fv, false, macroDim);
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacroNetSpec s && uDim == s.uDim && vDim == s.vDim && macroDim == s.macroDim
        && shared == s.shared && couplings == s.couplings && Arrays.equals(hidden, s.hidden)
        && activation == s.activation && Double.compare(clamp, s.clamp) == 0 && actNorm == s.actNorm
        && Double.compare(lastLayerScale, s.lastLayerScale) == 0 && permutationSeed == s.permutationSeed
        && java.util.Objects.equals(imageV, s.imageV) && java.util.Objects.equals(boxU, s.boxU);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hidden) + 31 * java.util.Objects.hash(uDim, vDim, macroDim, shared, couplings, activation,
        clamp, actNorm, lastLayerScale, permutationSeed, imageV, boxU);
  }

  @Override
  public String toString() {
    return "MacroNetSpec[u=" + uDim + ", v=" + vDim + ", d=" + macroDim + ", shared=" + shared + ", couplings="
        + couplings + ", hidden=" + Arrays.toString(hidden) + ", activation=" + activation.configName() + ", clamp="
        + clamp + ", actNorm=" + actNorm + (imageV != null ? ", v=" + imageV : "") + (boxU != null ? ", u in " + boxU
        : "") + "]";
  }
}
