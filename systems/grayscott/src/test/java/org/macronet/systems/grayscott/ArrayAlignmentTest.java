package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ArrayAlignment} reads the address of a float array's first element. Checked by reading
 * memory at the addresses it gives (a sentinel written into the array must be there) in JVMs with
 * each way of encoding references: compressed and unscaled (small heap), compressed and shifted
 * (default), shifted by 4 (16-byte object alignment), and uncompressed.
 */
class ArrayAlignmentTest {

  /** Run in a child JVM: exits 0 when every address read back its sentinel, 2 when unknown. */
  public static void main(String[] args) throws Exception {
    if (!ArrayAlignment.known()) {
      System.exit(2);
    }
    Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
    List<float[]> keep = new ArrayList<>();
    int checked = 0;
    for (int size = 2; size < 4000; size += 37) {
      float[] x = new float[size];
      keep.add(x);
      for (int attempt = 0; attempt < 3; attempt++) { // a collection may move x in between
        float sentinel = 1.5f + size + attempt;
        x[0] = sentinel;
        x[size - 1] = -sentinel;
        long address = ArrayAlignment.elementAddress(x);
        if (u.getFloat(address) == sentinel && u.getFloat(address + 4L * (size - 1)) == -sentinel) {
          int skip = ArrayAlignment.floatsToLine(x);
          if ((address + 4L * skip) % ArrayAlignment.LINE != 0 || skip < 0 || skip >= 16) {
            System.err.println("skip " + skip + " from " + address);
            System.exit(1);
          }
          checked++;
          break;
        }
      }
    }
    if (checked != keep.size()) {
      System.err.println("read back " + checked + " of " + keep.size() + " arrays");
      System.exit(1);
    }
    System.exit(0);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-Xmx256m", "-Xmx2g", "-Xmx6g", "-XX:ObjectAlignmentInBytes=16", "-XX:-UseCompressedOops"})
  @Timeout(60)
  void addressesReadBackTheArraysContents(String option) throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p = new ProcessBuilder(java, option, "-cp", System.getProperty("java.class.path"),
        ArrayAlignmentTest.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(50, TimeUnit.SECONDS), "child JVM finished");
    // 2: addresses cannot be read on this JVM (not HotSpot): the kernel then runs unaligned
    Assumptions.assumeTrue(p.exitValue() != 2, option + ": addresses unknown on this JVM");
    assertEquals(0, p.exitValue(), option + ": " + out);
  }
}
