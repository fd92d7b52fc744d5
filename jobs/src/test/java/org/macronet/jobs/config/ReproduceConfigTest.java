package org.macronet.jobs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.macronet.jobs.reproduce.Tolerance;
import org.macronet.jobs.reproduce.Tolerances;

/** A pinned configuration's tolerances over its system's defaults. */
class ReproduceConfigTest {

  @Test
  void theConfigurationsTolerancesOverrideTheSystemsAndTheRestFollowThem() {
    File conf = new File("../conf/repro/lds.conf");
    ConfigLoader c = ConfigLoader.load(conf, List.of("reproduce.tolerance.design.absolute=0.1"));
    DesignConfig design = DesignConfig.from(c);
    Map<String, Double> system = design.study().reproduceTolerances();
    assertEquals(Map.of("macrostate_r2.absolute", 0.03, "design.absolute", 0.05), system);
    Tolerances t = ReproduceConfig.from(c, conf, Map.of("design.absolute", 0.05, "spearman_x.relative", 0.2))
        .tolerances();
    // design: the --set over both; held_out_loss: the file's own; spearman_x: only the system has it
    assertEquals(new Tolerance(0.1, 0), t.forMetric("design.anticlockwise_matrices_same_sense").tolerance());
    assertEquals(new Tolerance(0.01, 0.02), t.forMetric("held_out_loss.loss").tolerance());
    assertEquals(new Tolerance(0, 0.2), t.forMetric("spearman_x").tolerance());
    assertEquals(Tolerances.DEFAULT, t.forMetric("held_out_rows").entry());
  }
}
