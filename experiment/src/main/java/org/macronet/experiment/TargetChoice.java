package org.macronet.experiment;

import java.io.Serializable;
import java.util.List;

/**
 * How a study picks its targets among the candidate rows (the held-out rows, or the rows of a
 * targets file), each first {@link Classifier classified} on its own:
 * <ul>
 *   <li>{@link Rule#FIRST_BY_ID}: for each label in order, the first {@code count} candidates of
 *       that label by {@code sample_id} (by index in the input without ids); targets are numbered
 *       label by label;</li>
 *   <li>{@link Rule#QUANTILES}: {@code count} candidates at evenly spaced quantiles of the key:
 *       target t is the candidate of rank {@link #quantileRank} by key, ties by {@code sample_id}.</li>
 * </ul>
 *
 * @param labels the labels of FIRST_BY_ID, in target order; one ("") for QUANTILES
 * @param classifier null when every candidate qualifies, with label "" (the job then reads no more
 *     than the ids to choose)
 */
public record TargetChoice(Rule rule, List<String> labels, int count, Classifier classifier) implements Serializable {

  public enum Rule {
    FIRST_BY_ID,
    QUANTILES
  }

  /** A candidate's class and key, or null when it cannot be a target. */
  public interface Classifier extends Serializable {
    Candidate classify(Target candidate);
  }

  /** A candidate's label (one of {@link #labels()}) and key (QUANTILES ranks by it). */
  public record Candidate(String label, double key) implements Serializable {}

  public TargetChoice {
    labels = List.copyOf(labels);
    if (labels.isEmpty() || (rule == Rule.QUANTILES && labels.size() != 1)) {
      throw new IllegalArgumentException(rule + " needs " + (rule == Rule.QUANTILES ? "one label" : "labels")
          + ", found " + labels);
    }
    if (classifier == null && (rule != Rule.FIRST_BY_ID || labels.size() != 1)) {
      throw new IllegalArgumentException("only FIRST_BY_ID with one label may take every candidate");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive, found " + count);
    }
  }

  /** The first {@code count} candidates by sample id, every one eligible. */
  public static TargetChoice first(int count) {
    return new TargetChoice(Rule.FIRST_BY_ID, List.of(""), count, null);
  }

  /** For each label, the first {@code count} eligible candidates of that label by sample id. */
  public static TargetChoice firstPerLabel(List<String> labels, int count, Classifier classifier) {
    return new TargetChoice(Rule.FIRST_BY_ID, labels, count, classifier);
  }

  /** {@code count} candidates at evenly spaced quantiles of {@code key}. */
  public static TargetChoice quantiles(int count, Classifier key) {
    return new TargetChoice(Rule.QUANTILES, List.of(""), count, key);
  }

  /**
   * The rank, among n candidates ordered by key, of quantile target {@code t}: {@code (t + 1.0) /
   * (count + 1) * (n - 1)} computed in doubles and truncated. Floating-point rounding puts it one
   * below the exact floor for some (t, count, n) (t = 6, count = 9, n = 91: 62, not 63); pinned
   * runs were chosen with exactly this expression, so it stays.
   */
  public long quantileRank(int t, long n) {
    return (long) ((t + 1.0) / (count + 1) * (n - 1));
  }
}
