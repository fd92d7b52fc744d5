package org.macronet.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the analysis reads back of a design sweep ({@code <run>/design}).
 *
 * @param metrics {@code metrics.json}
 * @param targets rows of {@code targets.parquet}
 * @param designs rows of {@code designs.parquet}
 * @param shownTargets the targets the study picked ({@link DesignStudy#shownTargetIds}): every
 *     column, by name (arrays as float[]), in id order
 * @param shownDesigns their designs of lowest design_id ({@link DesignStudy#shownDesigns()} per
 *     target), every column by name; array columns null past {@link DesignStudy#shownDesignArrays()}
 */
public record DesignOutputs(Map<String, Object> metrics, long targets, long designs,
    List<Map<String, Object>> shownTargets, List<Map<String, Object>> shownDesigns) {

  public DesignOutputs {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    shownTargets = List.copyOf(shownTargets);
    shownDesigns = List.copyOf(shownDesigns);
  }

  /** The shown designs of target {@code id}, in design_id order. */
  public List<Map<String, Object>> designsOf(int id) {
    return shownDesigns.stream().filter(d -> ((Number) d.get("target_id")).intValue() == id).toList();
  }
}
