package org.macronet.simulation.grayscott;

/** Opens the Gray-Scott kernel that a {@link GrayScottSettings.KernelChoice} asks for. */
public final class GrayScottKernels {
  private GrayScottKernels() {}

  /**
   * {@code java} gives the Java kernel; {@code opencl} gives the OpenCL kernel or fails
   * with the reason; {@code auto} gives OpenCL when a device exists, else Java.
   */
  public static GrayScottKernel open(GrayScottSettings.KernelChoice choice, int javaThreads) {
    return switch (choice) {
      case JAVA, AUTO -> new JavaGrayScottKernel(javaThreads);
      case OPENCL -> throw new IllegalStateException("simulation.grayscott.kernel = opencl: no OpenCL kernel in this build");
    };
  }
}
