package org.macronet.experiment;

import java.io.Serializable;

/**
 * A design target: an observation v* whose macrostate the designs share.
 *
 * @param id {@code target_id}, from 0 in the order the study's {@link TargetChoice} gives; -1 while
 *     a candidate is being classified
 * @param sampleId the dataset row it came from; null for a target from a file without ids
 * @param label the class it was chosen for ({@link TargetChoice#labels()}), "" when there is one
 * @param u its parameters in the model's u column order, or null when unknown (a file of observations)
 * @param v its observation, in the model's v layout
 * @param extras the values of the study's {@link DesignStudy#targetExtras()} columns, NaN where absent
 */
public record Target(int id, Long sampleId, String label, float[] u, float[] v, double[] extras)
    implements Serializable {

  /** This target numbered {@code id}, chosen for {@code label}. */
  public Target numbered(int newId, String newLabel) {
    return new Target(newId, sampleId, newLabel, u, v, extras);
  }
}
