package org.macronet.experiment;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.macronet.simulation.SampleBlock;

/**
 * What differs by system in MacroNet's design and analysis, for the jobs' one design path and one
 * analysis path. The design job (on Spark) does the orchestration:
 * <ol>
 *   <li>simulates {@link #referenceSamples()} samples from the prior on the executors, keeps
 *       {@link #describeReference} of each and hands the list to {@link #prepare} on the driver;</li>
 *   <li>classifies the candidate rows and picks the targets by {@link #choice()};</li>
 *   <li>per target, on the executors: alpha = m_v(v*), u = f_u^{-1}([alpha, eps]) (and v when
 *       {@link #designsV()}), then {@link Scorer#score} ({@link #openScorer} once per task) gives
 *       the rows of {@code designs.parquet};</li>
 *   <li>per target, from those rows: {@link #summarize} gives its row of {@code targets.parquet}
 *       and a {@link Tally}; the tallies are merged on the executors;</li>
 *   <li>on the driver, {@link #metrics} turns the per-target summaries and the merged tally into
 *       {@code metrics.json}.</li>
 * </ol>
 * The analyze job then computes the held-out macrostates and reads the design outputs, and
 * {@link #analyze} adds bars, metrics, figures and report sections. A study is immutable
 * configuration, serialised to the executors; it must not hold native resources.
 */
public interface DesignStudy extends Serializable {

  /**
   * Settings this study adds to the run's resolved configuration, beyond {@code design.targets},
   * {@code samples}, {@code temperature}, {@code seed} and {@code min-turn}.
   */
  default Map<String, Object> resolved() {
    return Map.of();
  }

  /** How targets are picked. */
  TargetChoice choice();

  /** Scalar dataset columns a candidate carries besides u and v, as {@link Target#extras()}. */
  default List<String> targetExtras() {
    return List.of();
  }

  /** Whether observations are designed too, v = f_v^{-1}([alpha, eps']). */
  default boolean designsV() {
    return false;
  }

  /** Prior samples to simulate as a reference before designing; 0 for none. */
  default int referenceSamples() {
    return 0;
  }

  /** The master seed of the reference samples (sample i is keyed by it and i). */
  default long referenceSeed() {
    return 0;
  }

  /** What is kept of reference sample {@code row} of {@code block}, on the executor. */
  default Serializable describeReference(SampleBlock block, int row) {
    throw new UnsupportedOperationException("this study has no reference");
  }

  /** The context the scorers share, from the reference (in sample order; empty without one). */
  default Serializable prepare(List<Serializable> reference) {
    return null;
  }

  /** A scorer for one task. */
  Scorer openScorer(Serializable context);

  /**
   * Opens the scorer with the designer at hand, for a study that judges designs by the model's
   * own macrostates (their partners'); by default {@link #openScorer(Serializable)}.
   */
  default Scorer openScorer(Serializable context, MacroNetDesigner designer) {
    return openScorer(context);
  }

  /**
   * The macrostate a target's designs are drawn at: by default m_v(v*); a study that knows the
   * target's partners may take their median instead.
   */
  default float[] targetMacrostate(Target target, MacroNetDesigner designer) {
    return designer.macrostatesV(target.v(), 1);
  }

  /** The columns of {@code designs.parquet} after target_id, design_id, target_sample_id and alpha_k. */
  List<Column> designColumns();

  /** The design columns {@link #summarize} reads (leave out large ones); default: all but arrays. */
  default List<String> summaryColumns() {
    return designColumns().stream().filter(c -> c.type() != Column.Type.FLOAT_ARRAY).map(Column::name).toList();
  }

  /** The columns of {@code targets.parquet} after target_id, target_sample_id and alpha_k. */
  List<Column> targetColumns();

  /**
   * One target's summary.
   *
   * @param designs the values of {@link #summaryColumns()} of each of its rows, ordered by
   *     design_id (the rows of one design in no set order)
   */
  TargetSummary summarize(Target target, float[] alpha, List<Object[]> designs);

  /**
   * The sweep's metrics ({@code metrics.json}; its {@code summary} entry is logged).
   *
   * @param targets per target in id order: target_id, target_sample_id, alpha_k and every target
   *     column that is not an array
   * @param tally the targets' tallies, merged
   */
  Map<String, Object> metrics(List<Map<String, Object>> targets, Tally tally);

  /** How many targets {@link #shownTargetIds} picks by default: those of lowest id. */
  default int shownTargets() {
    return 8;
  }

  /**
   * The targets whose rows (arrays included) and first designs the analysis reads.
   *
   * @param targets every target's scalar columns of {@code targets.parquet}, in id order
   * @return by default the {@link #shownTargets()} of lowest id
   */
  default List<Integer> shownTargetIds(List<Map<String, Object>> targets) {
    return targets.stream().limit(shownTargets()).map(t -> ((Number) t.get("target_id")).intValue()).toList();
  }

  /** Designs per shown target, of lowest design_id, whose rows the analysis reads. */
  default int shownDesigns() {
    return 0;
  }

  /** Of those, how many are read with their array columns (the rest with arrays null). */
  default int shownDesignArrays() {
    return 0;
  }

  /** Scalar dataset columns of the held-out rows the analysis needs besides u ({@link HeldOut#extras()}). */
  default List<String> heldOutExtras() {
    return List.of();
  }

  /**
   * How far this system's metrics may move between platforms in a pinned reproduce run, as flat
   * keys of {@code reproduce.tolerance}: {@code <metric or group>.absolute} or {@code .relative}
   * (e.g. {@code design.absolute -> 0.05}). A pinned configuration's own entries override these;
   * anything neither names is compared exactly.
   */
  default Map<String, Double> reproduceTolerances() {
    return Map.of();
  }

  /** The analysis: bars, metrics, notes, figures and report sections into {@code out}. */
  void analyze(AnalysisInputs in, Findings out) throws IOException;
}
