package org.macronet.systems.grayscott;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Gray-Scott kernel on an OpenCL device (GPU preferred, else CPU, e.g. PoCL), through
 * Aparapi.
 *
 * <p><b>Device residency.</b> The kernel runs in Aparapi's explicit buffer mode. {@link #advance}
 * copies the batch into its own ping-pong arrays, {@code put}s the initial fields and the
 * per-grid parameters once, runs all {@code steps} Euler steps in a single multi-pass
 * {@code execute(range, steps)} (pass {@code p} reads buffer {@code p & 1} and writes the other,
 * the parity coming from the pass id, so no data goes back to Java between steps) and then
 * {@code get}s only the two final fields. One work-item per cell of the whole batch, over the exact
 * 3D range {@code (size, size, count)} with work-groups of {@code (w, 1, 1)}, {@code w} the
 * largest divisor of {@code size} up to {@value #MAX_GROUP_WIDTH} (measured on PoCL: this beats a
 * padded 1D range with a bounds guard by about 3x, and one work-item per row by about 10%).
 *
 * <p>Why one multi-pass {@code execute} rather than {@code steps} single executes: Aparapi pins
 * the Java arrays only for the duration of one {@code execute}, and when it finds at the next one
 * that the garbage collector has moved an array it silently recreates the device buffer from the
 * (stale) Java array, which would throw away the device-side state between steps. Within one
 * {@code execute} nothing can move. The price: Aparapi holds the arrays with JNI
 * {@code GetPrimitiveArrayCritical} for the whole call, which on JDK 17 (GC locker) defers
 * garbage collections of the whole JVM until {@code advance} returns; keep batches to a size
 * whose {@code advance} takes seconds, not minutes.
 *
 * <p><b>Device selection and fallback.</b> {@link #open()} lists Aparapi's OpenCL devices and
 * tries GPUs first (most compute units first), then accelerators, then CPUs; each candidate must
 * pass a three-step self test against {@link JavaGrayScottKernel} on the device. When an OpenCL
 * run fails, Aparapi marks the device failed for the kernel class (for the rest of the JVM's
 * life) and retries on its next preferred device, in the end its Java thread pool (JTP); with the
 * device named in the {@link Range}, as here, that retry ends in an {@link AssertionError}. This
 * class accepts neither: {@code advance} turns the failure into an {@link IllegalStateException},
 * and checks before and after every run that Aparapi has not marked the device failed, so a
 * silent JTP run cannot pass for an OpenCL one.
 *
 * <p>The instance switches its Aparapi {@link OpenCLDevice} (an object Aparapi shares per device)
 * to {@code setSharedMemory(false)}: Aparapi's default {@code CL_MEM_USE_HOST_PTR} makes the
 * device buffer alias a Java array that the GC may move once Aparapi unpins it.
 *
 * <p><b>Threads.</b> An instance is not thread-safe: use it from one thread at a time (Aparapi
 * kernels are stateful). Use one instance per thread for parallel work. {@link #close()} disposes
 * the Aparapi kernel and its device buffers.
 *
 * <p><b>Logging.</b> Aparapi logs to {@code java.util.logging} logger {@code com.aparapi}, at
 * level {@code WARNING} unless the system property {@code com.aparapi.logLevel} says otherwise;
 * this class leaves that alone and logs its own device choice at {@code FINE} to
 * {@code org.macronet.systems.grayscott.OpenClGrayScottKernel}. The native part of Aparapi
 * prints OpenCL errors straight to stderr.
 */
public final class OpenClGrayScottKernel implements GrayScottKernel {
  private static final Logger LOG = Logger.getLogger(OpenClGrayScottKernel.class.getName());

  /** Upper bound on the work-group width along x. */
  static final int MAX_GROUP_WIDTH = 64;

  private final OpenCLDevice device;
  private final String description;
  private final OpenClGrayScottStepKernel kernel;

  private int count = -1;
  private int size = -1;
  private Range range;
  private boolean closed;

  private OpenClGrayScottKernel(OpenCLDevice device) {
    this.device = device;
    // Aparapi defaults to CL_MEM_USE_HOST_PTR ("shared memory"): the device buffer would alias
    // the Java array, which the GC may move once Aparapi unpins it. Device-owned copies
    // (CL_MEM_COPY_HOST_PTR) are safe given that each advance is a single execute.
    device.setSharedMemory(false);
    this.description = "opencl (" + platformName(device) + ": " + device.getName() + ", "
        + device.getType() + ")";
    this.kernel = new OpenClGrayScottStepKernel();
    this.kernel.setExplicit(true);
  }

  /**
   * The kernel on the best OpenCL device (GPU, else accelerator, else CPU such as PoCL), or
   * empty when there is none: the Aparapi native library or {@code libOpenCL} cannot load, or
   * no OpenCL platform with a device is installed. Compiles the kernel and runs a self test on
   * the device (about half a second on PoCL).
   *
   * @throws IllegalStateException if devices exist but the kernel fails on every one of them
   */
  public static Optional<OpenClGrayScottKernel> open() {
    return open(discover());
  }

  /**
   * Like {@link #open()}, but only on a GPU or accelerator: on a CPU the Java kernel is faster
   * than a CPU OpenCL device (BENCHMARKS.md), so {@code kernel = auto} uses this.
   */
  public static Optional<OpenClGrayScottKernel> openAccelerator() {
    Discovery all = discover();
    List<OpenCLDevice> accelerators = new ArrayList<>();
    for (OpenCLDevice d : all.devices) {
      if (d.getType() == Device.TYPE.GPU || d.getType() == Device.TYPE.ACC) {
        accelerators.add(d);
      }
    }
    return open(new Discovery(accelerators, accelerators.isEmpty() ? "no OpenCL GPU or accelerator" : null));
  }

  private static synchronized Optional<OpenClGrayScottKernel> open(Discovery found) {
    if (found.devices.isEmpty()) {
      LOG.fine(() -> "no OpenCL kernel: " + found.problem);
      return Optional.empty();
    }
    List<String> failures = new ArrayList<>();
    for (OpenCLDevice d : found.devices) {
      OpenClGrayScottKernel k = null;
      try {
        k = new OpenClGrayScottKernel(d);
        k.selfTest();
        OpenClGrayScottKernel chosen = k;
        LOG.fine(() -> "Gray-Scott kernel: " + chosen.description());
        return Optional.of(k);
      } catch (RuntimeException | LinkageError | AssertionError e) {
        failures.add(d.getName() + " (" + d.getType() + "): " + e);
        LOG.log(Level.WARNING, "OpenCL device " + d.getName() + " failed the Gray-Scott self test", e);
        if (k != null) {
          k.close();
        }
      }
    }
    throw new IllegalStateException("OpenCL devices are present but the Gray-Scott kernel failed on all of them: "
        + String.join("; ", failures));
  }

  /**
   * The kernel on the best OpenCL device.
   *
   * @throws IllegalStateException naming the problem when there is no usable OpenCL device
   */
  public static OpenClGrayScottKernel require() {
    Optional<OpenClGrayScottKernel> k = open();
    if (k.isPresent()) {
      return k.get();
    }
    throw new IllegalStateException("no OpenCL device for the Gray-Scott kernel: " + discover().problem);
  }

  @Override
  public String name() {
    return "opencl";
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void advance(GrayScottBatch batch, int steps) {
    if (closed) {
      throw new IllegalStateException("OpenCL Gray-Scott kernel is closed");
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be non-negative, found " + steps);
    }
    if (steps == 0) {
      return;
    }
    checkDeviceNotFailed();
    shape(batch.count, batch.size);
    OpenClGrayScottStepKernel k = kernel;
    int total = k.a0.length;
    System.arraycopy(batch.a, 0, k.a0, 0, total);
    System.arraycopy(batch.b, 0, k.b0, 0, total);
    for (int g = 0; g < batch.count; g++) {
      k.da[g] = batch.da[g];
      k.db[g] = batch.db[g];
      k.feed[g] = batch.feed[g];
      k.feedKill[g] = batch.feed[g] + batch.kill[g];
    }
    k.dt = batch.dt;
    k.parity = 0;
    k.put(k.a0).put(k.b0).put(k.da).put(k.db).put(k.feed).put(k.feedKill);
    try {
      k.execute(range, steps);
    } catch (RuntimeException | AssertionError e) {
      // When an OpenCL run fails Aparapi marks the device failed and retries on the next device;
      // with the device named in the Range that retry ends in an AssertionError ("user supplied
      // Device incompatible ..."), which is reported here rather than leaked as an Error.
      throw new IllegalStateException("OpenCL Gray-Scott kernel failed on " + description
          + " (Aparapi tried to fall back to Java; see its messages on stderr)", e);
    }
    checkDeviceNotFailed();
    // after `steps` passes from parity 0 the fields sit in buffer (steps & 1)
    float[] a = (steps & 1) == 0 ? k.a0 : k.a1;
    float[] b = (steps & 1) == 0 ? k.b0 : k.b1;
    k.get(a).get(b);
    System.arraycopy(a, 0, batch.a, 0, total);
    System.arraycopy(b, 0, batch.b, 0, total);
  }

  /** Disposes the Aparapi kernel and its device buffers; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      kernel.dispose();
    }
  }

  /** (Re)allocates the host mirrors of the device buffers when the batch shape changes. */
  private void shape(int newCount, int newSize) {
    if (newCount == count && newSize == size) {
      return;
    }
    int cells = Math.multiplyExact(newSize, newSize);
    int total = Math.multiplyExact(newCount, cells);
    OpenClGrayScottStepKernel k = kernel;
    // New array objects: Aparapi notices the new references and replaces the device buffers.
    k.a0 = new float[total];
    k.a1 = new float[total];
    k.b0 = new float[total];
    k.b1 = new float[total];
    k.da = new float[newCount];
    k.db = new float[newCount];
    k.feed = new float[newCount];
    k.feedKill = new float[newCount];
    k.size = newSize;
    k.cells = cells;
    int deviceMax = device.getMaxWorkGroupSize();
    int[] itemSizes = device.getMaxWorkItemSize();
    if (itemSizes != null && itemSizes.length > 0 && itemSizes[0] > 0) {
      deviceMax = deviceMax > 0 ? Math.min(deviceMax, itemSizes[0]) : itemSizes[0];
    }
    int width = groupWidth(newSize, deviceMax > 0 ? deviceMax : MAX_GROUP_WIDTH);
    range = Range.create3D(device, newSize, newSize, newCount, width, 1, 1);
    count = newCount;
    size = newSize;
  }

  /** The largest divisor of {@code size} that is at most {@value #MAX_GROUP_WIDTH} and {@code deviceMax}. */
  static int groupWidth(int size, int deviceMax) {
    int limit = Math.max(1, Math.min(MAX_GROUP_WIDTH, deviceMax));
    for (int w = Math.min(size, limit); w > 1; w--) {
      if (size % w == 0) {
        return w;
      }
    }
    return 1;
  }

  /** Throws if Aparapi has given up on the device for this kernel (and would run it in Java). */
  private void checkDeviceNotFailed() {
    List<Device> failed = KernelManager.instance().getPreferences(kernel).getFailedDevices();
    if (failed.contains(device)) {
      throw new IllegalStateException("Aparapi fell back from OpenCL device " + description
          + " to Java execution (the OpenCL run failed; see the Aparapi messages on stderr); refusing to run"
          + " the Gray-Scott kernel in Aparapi's Java thread pool");
    }
  }

  /** One step of a tiny batch on the device, checked against the Java reference. */
  private void selfTest() {
    GrayScottBatch probe = new GrayScottBatch(2, 5, 1f);
    for (int i = 0; i < probe.a.length; i++) {
      probe.a[i] = 1f - 0.01f * (i % 7);
      probe.b[i] = 0.02f * (i % 5);
    }
    probe.setParameters(0, 0.2097, 0.105, 0.037, 0.06);
    probe.setParameters(1, 0.16, 0.08, 0.025, 0.055);
    GrayScottBatch expected = probe.copy();
    advance(probe, 3);
    try (JavaGrayScottKernel java = new JavaGrayScottKernel(1)) {
      java.advance(expected, 3);
    }
    for (int i = 0; i < probe.a.length; i++) {
      if (Math.abs(probe.a[i] - expected.a[i]) > 1e-5f || Math.abs(probe.b[i] - expected.b[i]) > 1e-5f) {
        throw new IllegalStateException("OpenCL Gray-Scott self test on " + description + " disagrees with Java at cell "
            + i + ": a " + probe.a[i] + " vs " + expected.a[i] + ", b " + probe.b[i] + " vs " + expected.b[i]);
      }
    }
  }


  private static String platformName(OpenCLDevice d) {
    OpenCLPlatform p = d.getOpenCLPlatform();
    return p == null || p.getName() == null ? "unknown platform" : p.getName().trim();
  }

  private static Discovery discovered;

  /**
   * OpenCL devices in order of preference, or none and why. Found once per JVM and under a
   * lock: Aparapi's platform query is not safe to run from several tasks at once (concurrent
   * calls saw no platform at all).
   */
  private static synchronized Discovery discover() {
    if (discovered == null) {
      discovered = discoverNow();
    }
    return discovered;
  }

  private static Discovery discoverNow() {
    List<OpenCLDevice> all;
    try {
      if (!OpenCLLoader.isOpenCLAvailable()) {
        return new Discovery(List.of(), "the Aparapi native library (aparapi-jni) or libOpenCL could not be loaded");
      }
      all = OpenCLDevice.listDevices(null);
    } catch (RuntimeException | LinkageError e) {
      return new Discovery(List.of(), "OpenCL is not usable: " + e);
    }
    if (all == null || all.isEmpty()) {
      return new Discovery(List.of(), "no OpenCL platform with a device is installed (no ICD loader entry, e.g. "
          + "install pocl-opencl-icd for a CPU device)");
    }
    List<OpenCLDevice> ordered = new ArrayList<>(all);
    ordered.sort(Comparator.comparingInt((OpenCLDevice d) -> typeRank(d.getType()))
        .thenComparing(Comparator.comparingInt(OpenCLDevice::getMaxComputeUnits).reversed()));
    return new Discovery(ordered, null);
  }

  private static int typeRank(Device.TYPE type) {
    switch (type) {
      case GPU:
        return 0;
      case ACC:
        return 1;
      case CPU:
        return 2;
      default:
        return 3;
    }
  }

  private static final class Discovery {
    final List<OpenCLDevice> devices;
    final String problem;

    Discovery(List<OpenCLDevice> devices, String problem) {
      this.devices = devices;
      this.problem = problem;
    }
  }
}
