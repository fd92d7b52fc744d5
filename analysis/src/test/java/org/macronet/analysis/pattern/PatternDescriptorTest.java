package org.macronet.analysis.pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class PatternDescriptorTest {

  private static final int SIZE = 64;

  private static PatternDescriptor describe(float[] pattern, int size) {
    return PatternDescriptor.of(pattern, 0, size);
  }

  private static void assertSameDescriptor(PatternDescriptor expected, PatternDescriptor actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": size");
    assertArrayEquals(expected.features(), actual.features(), 1e-9, what + ": features");
    assertArrayEquals(expected.spectrum(), actual.spectrum(), 1e-12, what + ": spectrum");
  }

  @Test
  void stripesOfPeriod8HaveWavelength8AndPeriod16Wavelength16() {
    assertEquals(8, describe(SyntheticPatterns.stripes(SIZE, 8), SIZE).dominantWavelength(), 1e-9);
    assertEquals(16, describe(SyntheticPatterns.stripes(SIZE, 16), SIZE).dominantWavelength(), 1e-9);
    // a sine has all its power at |k| = 64 / 8 = 8: the spectrum is one bin
    double[] spectrum = describe(SyntheticPatterns.stripes(SIZE, 8), SIZE).spectrum();
    assertEquals(SIZE / 2, spectrum.length);
    assertEquals(1, spectrum[8 - 1], 1e-12);
  }

  @Test
  void aGridThatIsNotAPowerOfTwoIsDescribedToo() {
    // 12 cells, period 4: |k| = 3
    PatternDescriptor d = describe(SyntheticPatterns.stripes(12, 4), 12);
    assertEquals(4, d.dominantWavelength(), 1e-9);
    assertEquals(6, d.spectrum().length);
    assertEquals(1, d.spectrum()[2], 1e-12);
  }

  @Test
  void spotsAreManyComponentsOfOneSize() {
    // a 4 x 4 lattice of discs of radius 4, period 16
    float[] spots = SyntheticPatterns.spots(SIZE, 16, 4, 8.3, 7.6);
    int disc = 0;
    for (int i = 0; i < SIZE * SIZE; i++) {
      disc += spots[SIZE * SIZE + i] > 0 ? 1 : 0;
    }
    PatternDescriptor d = describe(spots, SIZE);
    assertEquals(16, d.components());
    assertEquals(disc / 16.0, d.meanComponentSize(), 1e-12, "every disc has the same cells");
    assertTrue(d.meanComponentSize() > 40 && d.meanComponentSize() < 60, "about pi 4^2 cells, found "
        + d.meanComponentSize());
    assertEquals(disc / (double) (SIZE * SIZE), d.area(), 1e-12);
    assertEquals(16, d.dominantWavelength(), 1e-9, "the lattice's fundamental");
  }

  @Test
  void stripesOnATorusAreOneComponentEach() {
    // b = 0.25 + 0.2 sin(2 pi x / 8) <= 0.1 only at x = 6 mod 8: 8 bands 7 cells wide, wrapping in y
    PatternDescriptor d = describe(SyntheticPatterns.stripes(SIZE, 8), SIZE);
    assertEquals(8, d.components());
    assertEquals(7 * SIZE, d.meanComponentSize(), 1e-12);
    assertEquals(7.0 / 8, d.area(), 1e-12);
    // period 16: sin <= -0.75 at x = 11, 12, 13 mod 16: 4 bands of 13 columns
    PatternDescriptor wide = describe(SyntheticPatterns.stripes(SIZE, 16), SIZE);
    assertEquals(4, wide.components());
    assertEquals(13 * SIZE, wide.meanComponentSize(), 1e-12);
  }

  @Test
  void aDecayedRunHasNoPatternAndAZeroSpectrum() {
    PatternDescriptor d = describe(SyntheticPatterns.uniform(SIZE, 1, 0), SIZE);
    assertArrayEquals(new double[] {0, 1, 0, 0, 0, 0, 0, 0}, d.features(), 0);
    assertArrayEquals(new double[SIZE / 2], d.spectrum(), 0);
    assertTrue(d.flat());
  }

  @Test
  void aConstantFieldAboveTheThresholdIsOneComponentCoveringTheTorus() {
    PatternDescriptor d = describe(SyntheticPatterns.uniform(SIZE, 0.5f, 0.25f), SIZE);
    assertEquals(0, d.dominantWavelength(), 0);
    assertEquals(0.25, d.meanB(), 1e-12);
    assertEquals(0, d.varianceB(), 1e-15);
    assertEquals(1, d.area(), 0);
    assertEquals(1, d.components());
    assertEquals(SIZE * SIZE, d.meanComponentSize(), 0);
    assertArrayEquals(new double[SIZE / 2], d.spectrum(), 0);
  }

  @Test
  void aNearlyFlatFieldCountsAsFlat() {
    float[] p = SyntheticPatterns.uniform(16, 1, 0);
    p[16 * 16 + 5] = 1e-5f; // variance about 4e-13, below the default 1e-8
    PatternDescriptor d = describe(p, 16);
    assertTrue(d.flat());
    assertArrayEquals(new double[8], d.spectrum(), 0);
    PatternDescriptor strict = PatternDescriptor.of(p, 0, 16, new PatternDescriptor.Settings(0.1, 0));
    assertEquals(1, sum(strict.spectrum()), 1e-12, "with no floor the tiny bump has a spectrum");
  }

  @Test
  void theSpectrumSumsToOne() {
    for (float[] p : new float[][] {
        SyntheticPatterns.random(16, 3), SyntheticPatterns.spots(SIZE, 16, 5, 3, 3), SyntheticPatterns.stripes(SIZE, 8)}) {
      int size = p.length == 2 * 16 * 16 ? 16 : SIZE;
      assertEquals(1, sum(describe(p, size).spectrum()), 1e-12);
    }
  }

  @Test
  void shiftsRotationsAndReflectionsLeaveTheDescriptorUnchanged() {
    int size = 16;
    float[] p = SyntheticPatterns.random(size, 42);
    PatternDescriptor d = describe(p, size);
    assertSameDescriptor(d, describe(SyntheticPatterns.roll(p, size, 5, 11), size), "rolled by (5, 11)");
    assertSameDescriptor(d, describe(SyntheticPatterns.roll(p, size, -3, 0), size), "rolled by (-3, 0)");
    assertSameDescriptor(d, describe(SyntheticPatterns.rotate(p, size), size), "turned by 90 degrees");
    assertSameDescriptor(d, describe(SyntheticPatterns.transpose(p, size), size), "transposed");
    float[] stripes = SyntheticPatterns.stripes(SIZE, 8);
    assertSameDescriptor(describe(stripes, SIZE), describe(SyntheticPatterns.rotate(stripes, SIZE), SIZE),
        "stripes along x and along y");
    float[] spots = SyntheticPatterns.spots(SIZE, 16, 4, 8.3, 7.6);
    assertSameDescriptor(describe(spots, SIZE), describe(SyntheticPatterns.roll(spots, SIZE, 23, 9), SIZE),
        "shifted spots");
    assertTrue(d.components() > 1 && d.area() > 0 && d.area() < 1, "the random field is a real test case: " + d);
  }

  @Test
  void theOffsetSelectsAPatternInABatch() {
    float[] first = SyntheticPatterns.stripes(16, 8);
    float[] second = SyntheticPatterns.random(16, 7);
    float[] batch = new float[first.length + second.length];
    System.arraycopy(first, 0, batch, 0, first.length);
    System.arraycopy(second, 0, batch, first.length, second.length);
    assertEquals(describe(second, 16), PatternDescriptor.of(batch, first.length, 16));
  }

  @Test
  void featureNamesMatchTheFeatures() {
    PatternDescriptor d = describe(SyntheticPatterns.spots(SIZE, 16, 4, 8.3, 7.6), SIZE);
    assertEquals(d.features().length, PatternDescriptor.featureNames().size());
    assertEquals("dominant_wavelength", PatternDescriptor.featureNames().get(0));
    assertEquals(d.components(), d.features()[PatternDescriptor.featureNames().indexOf("components")], 0);
    assertEquals(d.varianceB(), d.features()[PatternDescriptor.featureNames().indexOf("variance_b")], 0);
  }

  @Test
  void theThresholdIsStrict() {
    float[] p = SyntheticPatterns.uniform(8, 1, 0.1f);
    PatternDescriptor at = PatternDescriptor.of(p, 0, 8, new PatternDescriptor.Settings(0.1f, 1e-8));
    assertEquals(0, at.components(), "b equal to the threshold is not above it");
  }

  @Test
  void descriptorsSurviveJavaSerialisation() throws IOException, ClassNotFoundException {
    PatternDescriptor d = describe(SyntheticPatterns.random(16, 1), 16);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(d);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      Object back = in.readObject();
      assertEquals(d, back);
      assertEquals(d.hashCode(), back.hashCode());
    }
  }

  @Test
  void theSpectrumCannotBeChangedFromOutside() {
    PatternDescriptor d = describe(SyntheticPatterns.stripes(16, 8), 16);
    d.spectrum()[1] = 0.5;
    assertEquals(1, d.spectrum()[1], 1e-12);
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    float[] p = SyntheticPatterns.uniform(8, 1, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatternDescriptor.of(p, 1, 8));
    assertTrue(e.getMessage().contains("offset 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PatternDescriptor.of(p, 0, 1));
    assertTrue(e.getMessage().contains("size"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PatternDescriptor.of(null, 0, 8));
    assertTrue(e.getMessage().contains("pattern"), e.getMessage());
    float[] nan = p.clone();
    nan[64 + 2 * 8 + 3] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> PatternDescriptor.of(nan, 0, 8));
    assertTrue(e.getMessage().contains("channel b at row 2, column 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PatternDescriptor.Settings(Double.NaN, 0));
    assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new PatternDescriptor.Settings(0.1, -1));
    assertTrue(e.getMessage().contains("flatVariance"), e.getMessage());
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s;
  }
}
