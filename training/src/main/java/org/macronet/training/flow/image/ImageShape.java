package org.macronet.training.flow.image;

/**
 * The shape of the images in a flow's rows: {@code channels} planes of {@code height x width}
 * pixels, stored channel-major ({@code [channel][y][x]}), so the first half of the channels is a
 * prefix of the row.
 */
public record ImageShape(int channels, int height, int width) implements java.io.Serializable {

  public ImageShape {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException("an image needs positive channels, height and width, found " + channels + " x "
          + height + " x " + width);
    }
  }

  public int pixels() {
    return height * width;
  }

  /** Values per row: channels x height x width. */
  public int dim() {
    return channels * height * width;
  }

  /** The shape after a 2 x 2 squeeze: 4 C x H/2 x W/2. */
  public ImageShape squeezed() {
    if (height % 2 != 0 || width % 2 != 0) {
      throw new IllegalArgumentException("a squeeze needs even sides, found " + this);
    }
    return new ImageShape(4 * channels, height / 2, width / 2);
  }

  /** The first {@code c} channels. */
  public ImageShape withChannels(int c) {
    return new ImageShape(c, height, width);
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
