package org.macronet.analysis.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptorDistanceTest {

  private static final int SIZE = 64;

  private static PatternDescriptor describe(float[] pattern) {
    return PatternDescriptor.of(pattern, 0, SIZE);
  }

  /** A stand-in for patterns of random parameters: spots, stripes and decayed runs of several scales. */
  private static List<PatternDescriptor> reference() {
    List<PatternDescriptor> out = new ArrayList<>();
    for (int period : new int[] {8, 16, 32}) {
      out.add(describe(SyntheticPatterns.spots(SIZE, period, period / 4.0, 1.5, 2.5)));
      out.add(describe(SyntheticPatterns.spots(SIZE, period, period / 3.0, 0.5, 0.5)));
      out.add(describe(SyntheticPatterns.stripes(SIZE, period)));
    }
    out.add(describe(SyntheticPatterns.uniform(SIZE, 1, 0)));
    out.add(describe(SyntheticPatterns.uniform(SIZE, 1, 0)));
    return out;
  }

  private static final DescriptorDistance DISTANCE = DescriptorDistance.fit(reference());

  private final PatternDescriptor spots = describe(SyntheticPatterns.spots(SIZE, 16, 4, 8.3, 7.6));
  private final PatternDescriptor shiftedSpots =
      describe(SyntheticPatterns.roll(SyntheticPatterns.spots(SIZE, 16, 4, 8.3, 7.6), SIZE, 21, 5));
  private final PatternDescriptor stripes = describe(SyntheticPatterns.stripes(SIZE, 16));
  private final PatternDescriptor uniform = describe(SyntheticPatterns.uniform(SIZE, 1, 0));

  @Test
  void zeroToItselfAndSymmetric() {
    for (PatternDescriptor d : List.of(spots, stripes, uniform)) {
      assertEquals(0, DISTANCE.distance(d, d), 0);
    }
    assertEquals(DISTANCE.distance(spots, stripes), DISTANCE.distance(stripes, spots), 0);
    assertEquals(DISTANCE.distance(spots, uniform), DISTANCE.distance(uniform, spots), 0);
  }

  @Test
  void spotsAreCloserToShiftedSpotsThanToStripesAndDecayedRunsFarFromBoth() {
    double shifted = DISTANCE.distance(spots, shiftedSpots);
    double toStripes = DISTANCE.distance(spots, stripes);
    assertTrue(shifted < 1e-6, "a shift changes nothing, found " + shifted);
    assertTrue(toStripes > 1, "spots and stripes of one period differ, found " + toStripes);
    double uniformToSpots = DISTANCE.distance(uniform, spots);
    double uniformToStripes = DISTANCE.distance(uniform, stripes);
    assertTrue(Double.isFinite(uniformToSpots) && Double.isFinite(uniformToStripes));
    assertTrue(uniformToSpots > toStripes && uniformToStripes > toStripes,
        "no pattern is further from either than they are from each other: " + uniformToSpots + ", "
            + uniformToStripes + " against " + toStripes);
  }

  @Test
  void spectraWithNearPeaksAreCloserThanSpectraWithFarPeaks() {
    PatternDescriptor stripes8 = describe(SyntheticPatterns.stripes(SIZE, 8));
    PatternDescriptor stripes16 = stripes;
    PatternDescriptor stripes32 = describe(SyntheticPatterns.stripes(SIZE, 32));
    // peaks at |k| = 8, 4, 2: the earth mover's distance is 4 and 6 bins
    assertEquals(4, DescriptorDistance.earthMovers(stripes8.spectrum(), stripes16.spectrum()), 1e-12);
    assertEquals(6, DescriptorDistance.earthMovers(stripes8.spectrum(), stripes32.spectrum()), 1e-12);
  }

  @Test
  void theTriangleInequalityHolds() {
    List<PatternDescriptor> all = new ArrayList<>(reference());
    all.addAll(List.of(spots, stripes, uniform, describe(SyntheticPatterns.spots(SIZE, 32, 6, 4, 4))));
    for (PatternDescriptor x : all) {
      for (PatternDescriptor y : all) {
        for (PatternDescriptor z : all) {
          double direct = DISTANCE.distance(x, z);
          double via = DISTANCE.distance(x, y) + DISTANCE.distance(y, z);
          assertTrue(direct <= via * (1 + 1e-12) + 1e-12, direct + " > " + via);
        }
      }
    }
  }

  @Test
  void smallCaseMatchesHandComputation() {
    // Given two 4 x 4 descriptors that differ in wavelength (2 and 4) and spectrum ((1, 0) and (0, 1)):
    // std of the wavelength over them is 1; their mean spectrum is (0.5, 0.5), W to it is 0.5 for
    // both, so s_W = 0.5; W between them is 1. Then d = sqrt((2 / 1)^2 + (1 / 0.5)^2) = sqrt(8).
    PatternDescriptor a = new PatternDescriptor(4, new double[] {1, 0}, 2, 1, 0, 0, 0, 0, 0, 0);
    PatternDescriptor b = new PatternDescriptor(4, new double[] {0, 1}, 4, 1, 0, 0, 0, 0, 0, 0);
    DescriptorDistance distance = DescriptorDistance.fit(List.of(a, b));
    assertEquals(1, distance.scales()[0], 1e-15);
    assertEquals(DescriptorDistance.DEFAULT_FLOOR, distance.scales()[1], 0, "a constant feature gets the floor");
    assertEquals(0.5, distance.spectrumScale(), 1e-15);
    assertEquals(Math.sqrt(8), distance.distance(a, b), 1e-12);
  }

  @Test
  void aReferenceOfDecayedRunsOnlyStillGivesFiniteDistances() {
    DescriptorDistance flat = DescriptorDistance.fit(List.of(uniform, uniform));
    double d = flat.distance(spots, uniform);
    assertTrue(Double.isFinite(d) && d > 0, "found " + d);
  }

  @Test
  void theDistanceSurvivesJavaSerialisation() throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(DISTANCE);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      DescriptorDistance back = (DescriptorDistance) in.readObject();
      assertEquals(DISTANCE.distance(spots, stripes), back.distance(spots, stripes), 0);
    }
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DescriptorDistance.fit(List.of(spots)));
    assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
    PatternDescriptor small = PatternDescriptor.of(SyntheticPatterns.stripes(16, 8), 0, 16);
    e = assertThrows(IllegalArgumentException.class, () -> DescriptorDistance.fit(List.of(spots, small)));
    assertTrue(e.getMessage().contains("descriptor 1 has size 16"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DISTANCE.distance(spots, small));
    assertTrue(e.getMessage().contains("grid size 16"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DescriptorDistance.fit(List.of(spots, stripes), 0));
    assertTrue(e.getMessage().contains("floor"), e.getMessage());
  }
}
