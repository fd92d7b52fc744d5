package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingLogTest {

  private static LossAggregator.LossTerms terms(double x) {
    return new LossAggregator.LossTerms(x, x / 2, -x, 2 * x);
  }

  private static void steps(TrainingLog log, long from, long to, long last) {
    for (long s = from; s <= to; s++) {
      log.add(s, terms(s), 10.0 * s, 1e-3 / s, s == last);
    }
  }

  @Test
  void eachRowIsTheMeanOfItsWindowAndTheLastStepClosesAShortOne() {
    TrainingLog log = new TrainingLog(4);
    steps(log, 1, 10, 10);
    List<TrainingLog.Row> rows = log.rows();
    assertEquals(List.of(4L, 8L, 10L), rows.stream().map(TrainingLog.Row::step).toList());
    assertEquals(2.5, rows.get(0).loss(), 1e-12);        // (1 + 2 + 3 + 4) / 4
    assertEquals(1.25, rows.get(0).predictive(), 1e-12);
    assertEquals(-6.5, rows.get(1).nllU(), 1e-12);       // -(5 + 6 + 7 + 8) / 4
    assertEquals(19.0, rows.get(2).nllV(), 1e-12);       // 2 (9 + 10) / 2
    assertEquals(95.0, rows.get(2).gradientNorm(), 1e-12);
    assertEquals((1e-3 / 9 + 1e-3 / 10) / 2, rows.get(2).learningRate(), 1e-18);
  }

  @Test
  void aResumedLogMatchesAnUninterruptedOneThroughItsCsv() throws IOException {
    TrainingLog whole = new TrainingLog(5);
    steps(whole, 1, 23, 23);
    TrainingLog before = new TrainingLog(5);
    steps(before, 1, 13, 23);           // killed after step 13; the checkpoint was at step 10
    TrainingLog resumed = TrainingLog.read(new StringReader(before.toCsv()), 5, "log");
    resumed.truncate(10);
    steps(resumed, 11, 23, 23);
    assertEquals(whole.toCsv(), resumed.toCsv());
    assertEquals(whole.rows(), TrainingLog.read(new StringReader(whole.toCsv()), 5, "log").rows());
  }

  @Test
  void aWindowGivesAboutTwoHundredRows() {
    assertEquals(60, TrainingLog.forSteps(12_000, 0).window());
    assertEquals(50, TrainingLog.forSteps(12_000, 500).window());   // divides the checkpoint interval
    assertEquals(1, TrainingLog.forSteps(50, 500).window());
    assertEquals(2, TrainingLog.forSteps(201, 0).window());
    assertEquals(7, TrainingLog.forSteps(3000, 7).window());
  }

  @Test
  void badInputIsRefusedNamingWhere() {
    assertThrows(IllegalArgumentException.class, () -> new TrainingLog(0));
    IOException header = assertThrows(IOException.class,
        () -> TrainingLog.read(new StringReader("step,loss\n1,2\n"), 1, "runs/x/training.csv"));
    assertTrue(header.getMessage().startsWith("runs/x/training.csv: not a training log"), header.getMessage());
    IOException line = assertThrows(IOException.class,
        () -> TrainingLog.read(new StringReader(TrainingLog.HEADER + "\n1,2,3\n"), 1, "f"));
    assertTrue(line.getMessage().contains("f line 2: expected 7 fields, found 3"), line.getMessage());
  }
}
