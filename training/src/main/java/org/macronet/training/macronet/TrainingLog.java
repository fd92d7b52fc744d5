package org.macronet.training.macronet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loss terms of a training run over its steps, one row per window of {@code window} steps:
 * the step that ends the window and the means over its steps of the loss, L_P, NLL_u, NLL_v, the
 * gradient norm (before clipping) and the learning rate. Written as CSV ({@code training.csv}
 * beside the model) for training curves; a run resumed from a checkpoint continues the log it
 * read back, {@link #truncate truncated} to the checkpoint's step, so the file is the same as an
 * uninterrupted run's.
 */
public final class TrainingLog {
  public static final String HEADER = "step,loss,predictive,nll_u,nll_v,grad_norm,learning_rate";
  /** The number of windows a run's steps are divided into, about. */
  public static final int POINTS = 200;

  /** One window's means. */
  public record Row(long step, double loss, double predictive, double nllU, double nllV, double gradientNorm,
      double learningRate) {}

  private final long window;
  private final List<Row> rows = new ArrayList<>();
  private final double[] sums = new double[6];
  private long count;

  /** A log with windows of {@code window} steps (at least 1). */
  public TrainingLog(long window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be at least 1 step, found " + window);
    }
    this.window = window;
  }

  /**
   * A log of about {@link #POINTS} rows over {@code steps} steps, or somewhat more: the window
   * divides {@code checkpointEvery} (when positive), so that every checkpoint ends a window and a
   * resumed run's log is the uninterrupted run's.
   */
  public static TrainingLog forSteps(long steps, long checkpointEvery) {
    long w = Math.max(1, (steps + POINTS - 1) / POINTS);
    if (checkpointEvery > 0) {
      while (checkpointEvery % w != 0) {
        w--;
      }
    }
    return new TrainingLog(w);
  }

  public long window() {
    return window;
  }

  /** Adds step {@code stepsDone}'s terms; closes a window when the step ends one or is {@code last}. */
  public void add(long stepsDone, LossAggregator.LossTerms terms, double gradientNorm, double learningRate,
      boolean last) {
    sums[0] += terms.loss();
    sums[1] += terms.predictive();
    sums[2] += terms.nllU();
    sums[3] += terms.nllV();
    sums[4] += gradientNorm;
    sums[5] += learningRate;
    count++;
    if (stepsDone % window == 0 || last) {
      rows.add(new Row(stepsDone, sums[0] / count, sums[1] / count, sums[2] / count, sums[3] / count,
          sums[4] / count, sums[5] / count));
      java.util.Arrays.fill(sums, 0);
      count = 0;
    }
  }

  /** The closed windows, in step order. */
  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /**
   * Drops the rows after {@code step} and any open window: where a run resumed from the
   * checkpoint at {@code step} continues. Checkpoints fall on window ends when the checkpoint
   * interval is a multiple of the window.
   */
  public void truncate(long step) {
    rows.removeIf(r -> r.step() > step);
    java.util.Arrays.fill(sums, 0);
    count = 0;
  }

  /** The CSV text: {@link #HEADER}, then one line per row (numbers in full precision). */
  public String toCsv() {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Row r : rows) {
      sb.append(r.step());
      for (double v : new double[] {r.loss(), r.predictive(), r.nllU(), r.nllV(), r.gradientNorm(), r.learningRate()}) {
        sb.append(',').append(v);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * Reads {@link #toCsv()}'s text into a log with windows of {@code window} steps.
   *
   * @param where names the source in errors
   */
  public static TrainingLog read(Reader in, long window, String where) throws IOException {
    TrainingLog log = new TrainingLog(window);
    BufferedReader r = new BufferedReader(in);
    String header = r.readLine();
    if (!HEADER.equals(header)) {
      throw new IOException(where + ": not a training log; expected the header '" + HEADER + "', found '" + header
          + "'");
    }
    String line;
    int n = 1;
    while ((line = r.readLine()) != null) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length != 7) {
        throw new IOException(String.format(Locale.ROOT, "%s line %d: expected 7 fields, found %d", where, n,
            f.length));
      }
      try {
        log.rows.add(new Row(Long.parseLong(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
            Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
      } catch (NumberFormatException e) {
        throw new IOException(where + " line " + n + ": " + e.getMessage(), e);
      }
    }
    return log;
  }
}
