package org.macronet.training.flow.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.macronet.training.flow.ActNorm;
import org.macronet.training.flow.AffineCoupling;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowBlock;
import org.macronet.training.flow.Permutation;
import org.macronet.training.flow.Standardization;
import org.macronet.training.nn.Activation;
import org.macronet.training.nn.ConvNet;

/**
 * The architecture of a multi-scale flow on images (RealNVP / Glow), built on a periodic grid.
 * Each of the {@code scales} scales is a Haar squeeze (C x H x W to 4C x H/2 x W/2) followed by
 * {@code steps} steps of [channel ActNorm, invertible 1 x 1 channel mixing, affine coupling whose
 * subnet is a conv net k x k, 1 x 1, k x k with {@code hidden[s]} channels]; between scales a
 * multi-scale split sends the first half of the channels on and factors the rest out. After the
 * last scale, {@code headCouplings} dense RealNVP couplings (MLP subnets {@code headHidden}, with
 * ActNorm and fixed permutations from {@code permutationSeed}) mix the remaining latent globally,
 * so that its first outputs, the macrostate, can depend on the whole pattern.
 *
 * <p>The output row is [head latent, factored-out values of the last scale split, ..., of the
 * first], so the first d outputs are the most processed ones.
 */
public record ImageFlow(ImageShape shape, int scales, int steps, int[] hidden, int kernel, Activation activation,
    double clamp, double lastLayerScale, int headCouplings, int[] headHidden, long permutationSeed)
    implements java.io.Serializable {

  public ImageFlow {
    Objects.requireNonNull(shape, "shape");
    if (scales < 1) {
      throw new IllegalArgumentException("an image flow needs at least 1 scale, found " + scales);
    }
    int side = 1 << scales;
    if (shape.height() % side != 0 || shape.width() % side != 0) {
      throw new IllegalArgumentException(scales + " scales need sides divisible by " + side + ", found " + shape);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("an image flow needs at least 1 step per scale, found " + steps);
    }
    if (hidden.length != scales || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("an image flow needs one positive hidden width per scale (" + scales
          + "), found " + Arrays.toString(hidden));
    }
    if (kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException("the conv kernel must be odd, found " + kernel);
    }
    if (!(clamp > 0)) {
      throw new IllegalArgumentException("coupling clamp must be > 0, found " + clamp);
    }
    if (headCouplings < 0 || headCouplings > 0 && headHidden.length == 0) {
      throw new IllegalArgumentException("head couplings must be >= 0 with hidden widths, found " + headCouplings
          + " and " + Arrays.toString(headHidden));
    }
    hidden = hidden.clone();
    headHidden = headHidden.clone();
  }

  public int dim() {
    return shape.dim();
  }

  /** The shape of the values that reach the head: the last scale's squeezed image. */
  public ImageShape deepest() {
    ImageShape s = shape;
    for (int k = 0; k < scales; k++) {
      s = s.squeezed();
      if (k < scales - 1) {
        s = s.withChannels(s.channels() / 2);
      }
    }
    return s;
  }

  /** The flow, with {@code standardization} first when it is not null. */
  public Flow build(Standardization standardization) {
    List<FlowBlock> blocks = new ArrayList<>();
    if (standardization != null) {
      if (standardization.dim() != dim()) {
        throw new IllegalArgumentException("standardisation width " + standardization.dim() + " != flow width "
            + dim());
      }
      blocks.add(standardization);
    }
    blocks.addAll(scale(shape, 0, new SplittableRandom(permutationSeed)));
    return new Flow(blocks);
  }

  private List<FlowBlock> scale(ImageShape in, int s, SplittableRandom permutations) {
    List<FlowBlock> blocks = new ArrayList<>();
    HaarSqueeze squeeze = new HaarSqueeze(in);
    ImageShape x = squeeze.output();
    blocks.add(squeeze);
    int half = x.channels() / 2;
    int[] channels = {half, hidden[s], hidden[s], 2 * (x.channels() - half)};
    int[] kernels = {kernel, 1, kernel};
    for (int k = 0; k < steps; k++) {
      blocks.add(new ChannelActNorm(x));
      blocks.add(new ChannelMixing(x));
      ConvNet net = new ConvNet(channels, kernels, x.height(), x.width(), activation);
      blocks.add(new AffineCoupling(x.dim(), half * x.pixels(), net, clamp, lastLayerScale));
    }
    if (s < scales - 1) {
      blocks.add(new MultiScale(new Flow(scale(x.withChannels(half), s + 1, permutations)), x.dim()));
    } else {
      for (int k = 0; k < headCouplings; k++) {
        blocks.add(new ActNorm(x.dim()));
        blocks.add(new AffineCoupling(x.dim(), headHidden, Activation.RELU, clamp, lastLayerScale));
        if (k < headCouplings - 1) {
          blocks.add(Permutation.random(x.dim(), permutations));
        }
      }
    }
    return blocks;
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  @Override
  public int[] headHidden() {
    return headHidden.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageFlow f && shape.equals(f.shape) && scales == f.scales && steps == f.steps
        && Arrays.equals(hidden, f.hidden) && kernel == f.kernel && activation == f.activation
        && Double.compare(clamp, f.clamp) == 0 && Double.compare(lastLayerScale, f.lastLayerScale) == 0
        && headCouplings == f.headCouplings && Arrays.equals(headHidden, f.headHidden)
        && permutationSeed == f.permutationSeed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shape, scales, steps, Arrays.hashCode(hidden), kernel, activation, clamp, lastLayerScale,
        headCouplings, Arrays.hashCode(headHidden), permutationSeed);
  }

  @Override
  public String toString() {
    return "ImageFlow[shape=" + shape + ", scales=" + scales + ", steps=" + steps + ", hidden="
        + Arrays.toString(hidden) + ", kernel=" + kernel + ", head=" + headCouplings + "x"
        + Arrays.toString(headHidden) + "]";
  }
}
