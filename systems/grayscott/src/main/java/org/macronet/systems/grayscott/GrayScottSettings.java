package org.macronet.systems.grayscott;

import java.io.Serializable;
import java.util.Locale;
import org.macronet.common.config.ConfigException;

/**
 * The {@code simulation.grayscott.*} settings, validated on construction; every rejection
 * names its key and the value found.
 *
 * @param size       grid side (the pattern has 2 x size x size values)
 * @param steps      explicit Euler steps
 * @param dt         time step (dx = 1)
 * @param discs      number of discs seeded with (a, b) = (0.5, 0.25)
 * @param discRadius disc radius in cells
 * @param noise      relative amplitude of the uniform multiplicative noise on the initial fields
 * @param kernel     which kernel runs the stencil
 * @param batch      grids advanced together per kernel call
 * @param threads    threads of the Java kernel per task (the OpenCL kernel ignores it)
 */
public record GrayScottSettings(int size, int steps, double dt, int discs, double discRadius,
                                double noise, KernelChoice kernel, int batch, int threads)
    implements Serializable {

  public static final String PREFIX = "simulation.grayscott.";

  /** The kernel implementation to use. */
  public enum KernelChoice {
    /** OpenCL when a device exists, else the Java kernel. */
    AUTO,
    JAVA,
    OPENCL;

    public static KernelChoice parse(String key, String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key, "must be one of auto, java, opencl, found '" + value + "'");
      }
    }

    public String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public GrayScottSettings {
    ConfigException.require(size >= 4 && size <= 16384, PREFIX + "size", "must be in [4, 16384], found " + size);
    ConfigException.require(steps >= 0, PREFIX + "steps", "must be non-negative, found " + steps);
    ConfigException.require(Double.isFinite(dt) && dt > 0, PREFIX + "dt", "must be a positive number, found " + dt);
    ConfigException.require(discs >= 0, PREFIX + "discs", "must be non-negative, found " + discs);
    ConfigException.require(Double.isFinite(discRadius) && discRadius > 0 && discRadius < size / 2.0,
        PREFIX + "disc-radius", "must be in (0, size / 2 = " + size / 2.0 + "), found " + discRadius);
    ConfigException.require(Double.isFinite(noise) && noise >= 0 && noise < 1, PREFIX + "noise",
        "must be in [0, 1), found " + noise);
    ConfigException.require(kernel != null, PREFIX + "kernel", "must be one of auto, java, opencl, found null");
    ConfigException.require(batch >= 1, PREFIX + "batch", "must be positive, found " + batch);
    ConfigException.require(threads >= 1, PREFIX + "threads", "must be positive, found " + threads);
  }

  /** Defaults (docs/systems.md): 64 x 64, dt = 1, 5,000 steps, four discs of radius 4, 1% noise. */
  public static GrayScottSettings defaults() {
    return new GrayScottSettings(64, 5000, 1.0, 4, 4.0, 0.01, KernelChoice.AUTO, 256, 1);
  }

  /** Cells per field. */
  public int cells() {
    return size * size;
  }

  /** Fields of the grids advanced together, at most: {@link #gridsPerCall} stays under it. */
  public static final long MAX_BATCH_BYTES = 64L << 20;

  /**
   * Grids advanced together per kernel call: {@code batch}, or fewer where their two fields would
   * take more than {@link #MAX_BATCH_BYTES} (64 MiB: 256 grids of 64 x 64 take 8 MiB, one of
   * 2048 x 2048 32 MiB), and at least one.
   */
  public int gridsPerCall() {
    long perGrid = 2L * Float.BYTES * cells();
    return (int) Math.max(1, Math.min(batch, MAX_BATCH_BYTES / perGrid));
  }
}
