package org.macronet.analysis.figure;

import java.util.List;

/**
 * One row of a {@link Figures#patternGrid pattern grid}: a target's pattern first, then the
 * patterns designed for it. Each pattern is a Gray-Scott field, channel a then channel b
 * ({@code 2 size^2} values, row-major); the grid draws b. The arrays are not copied.
 *
 * @param label a short text above the row (e.g. "target 3, median pct 4.0"), or null for none
 * @param patterns at least one pattern, none null
 */
public record PatternRow(String label, List<float[]> patterns) {

  public PatternRow {
    String name = label == null ? "pattern row" : "pattern row '" + label + "'";
    if (patterns == null || patterns.isEmpty()) {
      throw new IllegalArgumentException(name + " must hold at least one pattern, found "
          + (patterns == null ? "null" : "none"));
    }
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i) == null) {
        throw new IllegalArgumentException(name + ": pattern " + i + " must not be null");
      }
    }
    patterns = List.copyOf(patterns);
  }
}
