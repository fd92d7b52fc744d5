package org.macronet.experiment;

import java.util.List;

/**
 * Scores the designs of targets, on the task that designed them; may hold native resources (a
 * simulation kernel), released by {@link #close()}. One per task, used from one thread.
 */
public interface Scorer extends AutoCloseable {

  /**
   * The rows of {@code target}'s designs.
   *
   * @param alpha the target's macrostate m_v(v*), d values
   * @param u the designed parameters f_u^{-1}([alpha, eps]), samples x uDim, row-major
   * @param v the designed observations f_v^{-1}([alpha, eps']) when the study
   *     {@linkplain DesignStudy#designsV() asks for them}, samples x vDim; else null
   */
  List<DesignRow> score(Target target, float[] alpha, float[] u, float[] v);

  @Override
  default void close() {}
}
