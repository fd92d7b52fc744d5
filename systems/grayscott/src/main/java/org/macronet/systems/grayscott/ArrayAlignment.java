package org.macronet.systems.grayscott;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Where a float array's elements lie relative to 64-byte cache lines, so that a vector kernel can
 * place its data on line boundaries. The JVM aligns objects to 8 bytes only: a 512-bit vector at
 * an arbitrary float index straddles two cache lines, and on AMD Zen 4 (which executes a 512-bit
 * access as two 256-bit halves) each half that crosses a line costs a second access. Aligning the
 * Gray-Scott kernel's state to a line made it about a third faster (BENCHMARKS.md).
 *
 * <p>The address is read with {@code sun.misc.Unsafe} from a reference to the array, decoding
 * compressed references when the JVM uses them (unscaled, or shifted by log2 of
 * {@code ObjectAlignmentInBytes}; which one is told by whether consecutively allocated objects'
 * references are all multiples of the alignment). It is only ever used to choose an offset: the
 * kernel's results are the same at every offset, and where the address cannot be known the offset
 * is 0. The garbage collector may move an array afterwards; callers that hold an array for long
 * ask again from time to time.
 */
final class ArrayAlignment {

  /** A cache line, in bytes. */
  static final int LINE = 64;

  private static final Object UNSAFE = unsafe();
  /** How a reference decodes to an address: -1 unknown, 64 uncompressed, else the compressed shift. */
  private static final int DECODE = decoding();

  private ArrayAlignment() {}

  /** Whether addresses can be read on this JVM. */
  static boolean known() {
    return DECODE >= 0;
  }

  /**
   * The number of floats (0 .. 15) to skip from {@code array[0]} so that the next element starts a
   * cache line; 0 where the address cannot be read.
   */
  static int floatsToLine(float[] array) {
    long address = elementAddress(array);
    if (address < 0) {
      return 0;
    }
    return (int) ((LINE - address % LINE) % LINE) / Float.BYTES;
  }

  /** The address of {@code array[0]} now, or -1 where it cannot be read. */
  static long elementAddress(float[] array) {
    if (DECODE < 0) {
      return -1;
    }
    sun.misc.Unsafe u = (sun.misc.Unsafe) UNSAFE;
    return address(u, array) + u.arrayBaseOffset(float[].class);
  }

  private static long address(sun.misc.Unsafe u, Object o) {
    Object[] holder = {o};
    long slot = u.arrayBaseOffset(Object[].class);
    if (DECODE == 64) {
      return u.getLong(holder, slot);
    }
    return (u.getInt(holder, slot) & 0xffffffffL) << DECODE;
  }

  private static Object unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static int decoding() {
    if (UNSAFE == null) {
      return -1;
    }
    try {
      sun.misc.Unsafe u = (sun.misc.Unsafe) UNSAFE;
      int alignment = Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .getVMOption("ObjectAlignmentInBytes").getValue());
      if (u.arrayIndexScale(Object[].class) == 8) {
        return 64;
      }
      if (u.arrayIndexScale(Object[].class) != 4 || Integer.bitCount(alignment) != 1) {
        return -1;
      }
      // unscaled references are addresses, all multiples of the alignment; shifted ones of
      // consecutively allocated small objects differ by 2 (16 bytes / 8) and cannot all be
      Object[] probe = new Object[16];
      for (int i = 0; i < probe.length; i++) {
        probe[i] = new Object();
      }
      boolean unscaled = true;
      long slot = u.arrayBaseOffset(Object[].class);
      for (int i = 0; i < probe.length; i++) {
        long narrow = u.getInt(probe, slot + 4L * i) & 0xffffffffL;
        unscaled &= narrow % alignment == 0;
      }
      return unscaled ? 0 : Integer.numberOfTrailingZeros(alignment);
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }
}
