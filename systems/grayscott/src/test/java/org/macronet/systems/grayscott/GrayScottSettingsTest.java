package org.macronet.systems.grayscott;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GrayScottSettingsTest {

  private static GrayScottSettings sized(int size, int batch) {
    GrayScottSettings d = GrayScottSettings.defaults();
    return new GrayScottSettings(size, d.steps(), d.dt(), d.discs(), d.discRadius(), d.noise(), d.kernel(), batch,
        d.threads());
  }

  @Test
  void gridsPerCallIsTheBatchUnlessTheirFieldsPassTheMemoryCap() {
    assertEquals(256, GrayScottSettings.defaults().gridsPerCall(), "the default: 256 grids of 64 x 64, 8 MiB");
    assertEquals(256, sized(181, 256).gridsPerCall(), "181^2 x 8 bytes x 256 is just under 64 MiB");
    assertEquals(253, sized(182, 256).gridsPerCall(), "64 MiB / (182^2 x 8 bytes)");
    assertEquals(32, sized(512, 256).gridsPerCall(), "2 MiB a grid");
    assertEquals(1, sized(4096, 256).gridsPerCall(), "at least one, even over the cap");
    assertEquals(5, sized(512, 5).gridsPerCall(), "a batch under the cap is kept");
  }
}
