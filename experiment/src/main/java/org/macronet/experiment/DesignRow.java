package org.macronet.experiment;

import java.io.Serializable;

/**
 * One row of {@code designs.parquet} from a study: its {@code design_id} and the values of the
 * study's {@link DesignStudy#designColumns()}, in order. A study may write several rows per design
 * (say one per kind of design).
 */
public record DesignRow(int designId, Object[] values) implements Serializable {}
