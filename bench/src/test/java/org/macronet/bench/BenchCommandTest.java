package org.macronet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.cli.CommandLineRun.run;

import org.junit.jupiter.api.Test;
import org.macronet.jobs.cli.CommandLineRun.Outcome;

/** {@code macronet bench} through the command line, found as a contributed command. */
class BenchCommandTest {

  @Test
  void helpListsTheContributedCommand() {
    Outcome help = run("help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("  bench      measure the Gray-Scott kernels and the generate job; with\n"), help.out());
    assertTrue(help.out().contains("\n             'bench flows [THREADS] [STEPS]'"), help.out());
  }

  @Test
  void benchRefusesAnUnknownWorkloadOrTrainingKeyBeforeMeasuringAnything() {
    Outcome workload = run("bench", "--set", "bench.workloads=w1,train-steps");
    assertEquals(2, workload.status());
    assertTrue(workload.err().contains("bench.workloads: must list some of w1, w2, generate, train-step, train-comm, "
        + "found 'train-steps'"), workload.err());
    assertTrue(workload.out().isEmpty(), workload.out());
    Outcome batch = run("bench", "--set", "bench.workloads=train-step", "--set", "bench.train.batches=0");
    assertEquals(2, batch.status());
    assertTrue(batch.err().contains("bench.train.batches: each batch must lie in [1, bench.train.rows = 20000], found 0"),
        batch.err());
  }

  @Test
  void benchImageFlowPrintsBothNetworksAndRefusesABadStepCount() {
    Outcome bad = run("bench", "image-flow", "0");
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("bench image-flow STEPS: must be a positive integer, found '0'"), bad.err());
    assertTrue(bad.out().isEmpty(), bad.out());
    Outcome ok = run("bench", "image-flow", "1", "1");
    assertEquals(0, ok.status(), ok.err());
    assertTrue(ok.out().contains("RESULT image-flow net=I1 ") && ok.out().contains(" net=I2 "), ok.out());
    assertTrue(ok.out().contains(" batch=1 params=1272224 "), ok.out());
  }

}
