package org.macronet.analysis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void rendersTitleVerdictMetricsAndFigures() {
    Report report = new Report("Oscillator")
        .heading("Bars")
        .metrics(List.of(
            Metric.atLeast("|rho(macrostate, energy)|", 0.99531, 0.99),
            Metric.atMost("std(r)/mean(r)", 0.12344, 0.1)))
        .heading("Figures")
        .image("Macrostate against energy", "macrostate_energy.png");
    String expected = """
        # Oscillator

        **Bars met: 1 of 2.**

        ## Bars

        | metric | value | bar | result |
        |---|---:|---|---|
        | \\|rho(macrostate, energy)\\| | 0.9953 | >= 0.99 | pass |
        | std(r)/mean(r) | 0.1234 | <= 0.1 | **FAIL** |

        ## Figures

        ![Macrostate against energy](macrostate_energy.png)
        """;
    assertEquals(expected, report.render());
    assertFalse(report.passed());
  }

  @Test
  void keyValueTableKeepsOrderAndFormatsNumbers() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("system", "oscillator");
    values.put("samples", 100000);
    values.put("gamma", 0.5);
    values.put("final loss", 1234567.0);
    String md = new Report("Run").heading(3, "Configuration").paragraph("Trained on\nheld-out data.")
        .table("key", "value", values).render();
    String expected = """
        # Run

        ### Configuration

        Trained on
        held-out data.

        | key | value |
        |---|---|
        | system | oscillator |
        | samples | 100000 |
        | gamma | 0.5 |
        | final loss | 1.235e+06 |
        """;
    assertEquals(expected, md);
  }

  @Test
  void valueThatRoundsToTheBarIsWrittenInFull() {
    String md = new Report("r").metrics(List.of(Metric.atLeast("rho", 0.98996, 0.99))).render();
    assertTrue(md.contains("| rho | 0.98996 | >= 0.99 | **FAIL** |"), md);
  }

  @Test
  void nanValueFails() {
    Metric m = Metric.atMost("cv", Double.NaN, 0.1);
    assertFalse(m.passed());
    Report report = new Report("r").metrics(List.of(m));
    assertTrue(report.render().contains("| cv | NaN | <= 0.1 | **FAIL** |"), report.render());
    assertFalse(report.passed());
  }

  @Test
  void allBarsMetPasses() {
    Report report = new Report("r").metrics(List.of(Metric.atLeast("a", 0.99, 0.99), Metric.atMost("b", 0.05, 0.1)));
    assertTrue(report.passed());
    assertTrue(report.render().contains("**Bars met: 2 of 2.**"));
    assertTrue(new Report("empty").passed());
    assertEquals("# empty\n", new Report("empty").render());
  }

  @Test
  void numbersKeepFourSignificantDigits() {
    assertEquals("0.9953", Report.format(0.99531));
    assertEquals("12", Report.format(12.0));
    assertEquals("-0.5", Report.format(-0.5));
    assertEquals("1.234e-05", Report.format(0.000012344));
    assertEquals("0", Report.format(0.0));
  }

  @Test
  void imagePathWithSpacesIsBracketed() {
    String md = new Report("r").image("a [b]", "figs/my figure.png").render();
    assertTrue(md.contains("![a \\[b\\]](<figs/my figure.png>)"), md);
  }

  @Test
  void wideTableWritesEveryCellAndRefusesRaggedRows() {
    String md = new Report("r").table(List.of("example", "sense", "fraction"),
        List.of(List.of(3, "clockwise", 0.948), List.of(4, "a|b", 1.0))).render();
    assertTrue(md.contains("| example | sense | fraction |\n|---|---|---|\n| 3 | clockwise | 0.948 |\n"
        + "| 4 | a\\|b | 1 |"), md);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Report("r").table(List.of("a", "b"), List.of(List.of(1, 2), List.of(3))));
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("found 1"), e.getMessage());
  }

  @Test
  void badInputIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metric.atLeast("rho", 1, Double.NaN));
    assertTrue(e.getMessage().contains("rho") && e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Report("r").heading(1, "x"));
    assertTrue(e.getMessage().contains("found 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Report("r").metrics(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Report("r").image("alt", " "));
    assertThrows(IllegalArgumentException.class, () -> new Report(null));
  }
}
