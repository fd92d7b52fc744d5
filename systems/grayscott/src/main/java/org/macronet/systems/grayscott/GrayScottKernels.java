package org.macronet.systems.grayscott;

/** Opens the Gray-Scott kernel that a {@link GrayScottSettings.KernelChoice} asks for. */
public final class GrayScottKernels {
  private GrayScottKernels() {}

  /**
   * {@code java}: the Java kernel. {@code opencl}: the OpenCL kernel on the best device (GPU,
   * else accelerator, else CPU), or an error naming the problem. {@code auto}: OpenCL on a GPU
   * or accelerator when there is one, else the Java kernel, which outruns CPU OpenCL devices.
   */
  public static GrayScottKernel open(GrayScottSettings.KernelChoice choice, int javaThreads) {
    return switch (choice) {
      case JAVA -> new JavaGrayScottKernel(javaThreads);
      case OPENCL -> OpenClGrayScottKernel.require();
      case AUTO -> OpenClGrayScottKernel.openAccelerator()
          .<GrayScottKernel>map(k -> k)
          .orElseGet(() -> new JavaGrayScottKernel(javaThreads));
    };
  }
}
