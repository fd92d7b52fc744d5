package org.macronet.experiment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.macronet.analysis.report.Metric;
import org.macronet.analysis.report.Report;

/**
 * What an analysis finds, gathered in order: metrics for {@code metrics.json}, the bars, notes
 * (lines that are not bars: counts, figures left out), figures as PNG bytes by file name, and the
 * report's system sections.
 */
public final class Findings {
  private final Map<String, Object> metrics = new LinkedHashMap<>();
  private final List<Metric> bars = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, byte[]> figures = new LinkedHashMap<>();
  private final Map<String, String> captions = new LinkedHashMap<>();
  private final Report report;

  public Findings(Report report) {
    this.report = report;
  }

  /** A figure drawn onto a stream. */
  public interface Drawing {
    void draw(OutputStream out) throws IOException;
  }

  public Map<String, Object> metrics() {
    return metrics;
  }

  public List<Metric> bars() {
    return bars;
  }

  public List<String> notes() {
    return notes;
  }

  public Map<String, byte[]> figures() {
    return figures;
  }

  public Report report() {
    return report;
  }

  public Findings metric(String name, Object value) {
    metrics.put(name, value);
    return this;
  }

  public Findings bar(Metric bar) {
    bars.add(bar);
    return this;
  }

  public Findings note(String note) {
    notes.add(note);
    return this;
  }

  /** Draws figure {@code name} (a file name ending in .png). */
  public Findings figure(String name, Drawing drawing) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    drawing.draw(b);
    figures.put(name, b.toByteArray());
    return this;
  }

  /**
   * Draws figure {@code name} with a caption for the report: what is drawn, its units and how
   * many samples (e.g. "macrostate against the energy H (J) of 1,969 held-out rows").
   */
  public Findings figure(String name, String caption, Drawing drawing) throws IOException {
    if (caption == null || caption.isBlank()) {
      throw new IllegalArgumentException("figure " + name + ": the caption must not be blank");
    }
    figure(name, drawing);
    captions.put(name, caption.strip());
    return this;
  }

  /** The captions of the figures that have one, by figure name. */
  public Map<String, String> captions() {
    return captions;
  }
}
