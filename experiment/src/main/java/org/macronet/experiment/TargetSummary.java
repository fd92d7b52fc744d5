package org.macronet.experiment;

import java.io.Serializable;

/**
 * What a study makes of one target's designs.
 *
 * @param values the values of its {@link DesignStudy#targetColumns()}, in order
 * @param tally counts and values that add up over targets into the study's metrics
 */
public record TargetSummary(Object[] values, Tally tally) implements Serializable {}
