package org.macronet.jobs.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ContentChecksumTest {

  @Test
  void rowFromColumnsEqualsRowFromCanonicalBytes() {
    // NaN with a payload, -0 and a subnormal: raw IEEE bits, not canonicalised values
    float[] array = {1.5f, -0.0f, Float.intBitsToFloat(0x7fc01234), Float.MIN_VALUE, 3e-39f};
    double[] scalars = {0.1, -0.0, Double.longBitsToDouble(0x7ff8000000000abcL)};
    ContentChecksum fromColumns = new ContentChecksum()
        .addRow(7L, -3L, scalars, array)
        .addRow(8L, 4L, scalars, new float[0]);
    ContentChecksum fromBytes = new ContentChecksum()
        .addRow(ContentChecksum.canonical(new Object[] {7L, -3L, 0.1, -0.0, scalars[2], array}))
        .addRow(ContentChecksum.canonical(new Object[] {8L, 4L, 0.1, -0.0, scalars[2], new float[0]}));
    assertEquals(fromBytes.value(), fromColumns.value());
    assertEquals(2, fromColumns.rows());
  }

  @Test
  void rowWithoutArrayEqualsItsCanonicalBytes() {
    ContentChecksum fromColumns = new ContentChecksum().addRow(1L, 2L, new double[] {0.5, 0.25}, null);
    ContentChecksum fromBytes = new ContentChecksum().addRow(ContentChecksum.canonical(new Object[] {1L, 2L, 0.5, 0.25}));
    assertEquals(fromBytes.value(), fromColumns.value());
  }

  @Test
  void orderDoesNotMatterButContentDoes() {
    ContentChecksum ab = new ContentChecksum().addRow(new byte[] {1}).addRow(new byte[] {2});
    ContentChecksum ba = new ContentChecksum().addRow(new byte[] {2}).addRow(new byte[] {1});
    assertEquals(ab.value(), ba.value());
    ContentChecksum merged = new ContentChecksum().addRow(new byte[] {2}).merge(new ContentChecksum().addRow(new byte[] {1}));
    assertEquals(ab.value(), merged.value());
    assertEquals(ab.value(), merged.merge(new ContentChecksum()).value());
    assertNotEquals(ab.value(), new ContentChecksum().addRow(new byte[] {1}).addRow(new byte[] {3}).value());
  }
}
