package org.macronet.jobs.reproduce;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.training.linalg.Blas;

/**
 * What decides the floating-point summation order of training on this JVM, and so the exact bits
 * of trained weights: the Java version, the CPU architecture, the width of the Vector API's
 * preferred float species (the SIMD width the JIT and a Java BLAS use), the BLAS implementation,
 * and for a native BLAS the library loaded and the CPU it picks its kernels for (OpenBLAS chooses
 * its sgemm kernels by CPU model, or by {@code OPENBLAS_CORETYPE}: the Haswell and SkylakeX kernels
 * give different weights on one machine). Two runs whose fingerprints are equal must give
 * identical weights; otherwise only the metrics are comparable, within tolerance.
 */
public final class Platform {
  public static final String JAVA_VERSION = "java_version";
  public static final String OS_ARCH = "os_arch";
  public static final String VECTOR_BITS = "vector_bits";
  public static final String BLAS = "blas";
  public static final String BLAS_LIBRARY = "blas_library";
  public static final String CPU = "cpu";

  private Platform() {}

  /** This JVM's fingerprint, in a fixed key order. */
  public static Map<String, String> current() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(JAVA_VERSION, System.getProperty("java.version"));
    out.put(OS_ARCH, System.getProperty("os.arch"));
    out.put(VECTOR_BITS, vectorBits());
    String blas = Blas.implementation(); // loads the native library, if any, before blasLibrary looks for it
    out.put(BLAS, blas);
    out.put(BLAS_LIBRARY, blas.endsWith("JNIBLAS") ? blasLibrary() : "none (Java)");
    out.put(CPU, cpu());
    return out;
  }

  /**
   * The file names of the native BLAS libraries mapped into this process (Linux:
   * {@code /proc/self/maps}), e.g. {@code libopenblasp-r0.3.21.so}, with the OpenBLAS settings
   * that change its kernels or threads when set; {@code unknown} elsewhere.
   */
  static String blasLibrary() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/maps"))) {
      lines.forEach(line -> {
        int slash = line.indexOf('/');
        if (slash >= 0) {
          String file = line.substring(line.lastIndexOf('/') + 1);
          String lower = file.toLowerCase(java.util.Locale.ROOT);
          if ((lower.contains("blas") || lower.contains("mkl")) && !lower.contains("netlibblasjni")) {
            names.add(file);
          }
        }
      });
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
    StringBuilder s = new StringBuilder(names.isEmpty() ? "unknown" : String.join(", ", names));
    for (String env : new String[] {"OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS"}) {
      String v = System.getenv(env);
      if (v != null && !v.isBlank()) {
        s.append(' ').append(env).append('=').append(v.trim());
      }
    }
    return s.toString();
  }

  /** {@code vendor family F model M (model name)} from {@code /proc/cpuinfo}, else {@code unknown}. */
  static String cpu() {
    Map<String, String> fields = new java.util.HashMap<>();
    try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/cpuinfo"))) {
      lines.takeWhile(line -> !line.isBlank()).forEach(line -> {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
      });
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
    if (fields.containsKey("vendor_id")) {
      return fields.get("vendor_id") + " family " + fields.getOrDefault("cpu family", "?") + " model "
          + fields.getOrDefault("model", "?") + " (" + fields.getOrDefault("model name", "?") + ")";
    }
    // other architectures name the CPU differently (aarch64: CPU implementer, CPU part)
    String implementer = fields.get("CPU implementer");
    return implementer != null ? "implementer " + implementer + " part " + fields.getOrDefault("CPU part", "?")
        : "unknown";
  }

  /**
   * The preferred float species' bit size ({@code FloatVector.SPECIES_PREFERRED}), read
   * reflectively so that this class loads on a JVM started without
   * {@code --add-modules jdk.incubator.vector}; then "none".
   */
  static String vectorBits() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return "none (jdk.incubator.vector not loaded)";
    }
    try {
      Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
      Object bits = Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
      return String.valueOf(bits);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return "unknown (" + e.getClass().getSimpleName() + ")";
    }
  }

  /**
   * The keys on which two fingerprints differ, each as {@code key: baseline -> actual}; empty when
   * they are equal. A key missing on one side counts as a difference.
   */
  public static Map<String, String> differences(Map<String, String> baseline, Map<String, String> actual) {
    Map<String, String> out = new LinkedHashMap<>();
    java.util.Set<String> keys = new java.util.LinkedHashSet<>(baseline.keySet());
    keys.addAll(actual.keySet());
    for (String k : keys) {
      String b = baseline.get(k);
      String a = actual.get(k);
      if (b == null || !b.equals(a)) {
        out.put(k, (b == null ? "(none)" : b) + " -> " + (a == null ? "(none)" : a));
      }
    }
    return out;
  }
}
