package org.macronet.jobs.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.macronet.jobs.cli.CommandLineRun.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.jobs.Python;
import org.macronet.jobs.cli.CommandLineRun.Outcome;

/** generate, upsample and evolve through the command line, as a user runs them; pandas reads the pairs. */
class LatticeCommandLineTest {
  @TempDir
  static Path dir;

  @Test
  void theCommandLineRunsTheLatticeJobsAndPandasReadsThePairs() throws Exception {
    String out = dir.resolve("cli").toString();
    List<String> sets = new ArrayList<>();
    for (String s : List.of("system=ising", "output.dir=" + out, "progress.interval=0", "generate.samples=12",
        "simulation.ising.size=8", "simulation.ising.sweeps=6", "simulation.ising.snapshot-every=2",
        "upsample.size=16", "upsample.window=8", "upsample.stride=4", "evolve.patch=4")) {
      sets.add("--set");
      sets.add(s);
    }
    StringBuilder log = new StringBuilder();
    for (String command : List.of("generate", "upsample", "evolve")) {
      List<String> args = new ArrayList<>(List.of(command));
      args.addAll(sets);
      Outcome o = run(args.toArray(new String[0]));
      assertEquals(0, o.status(), command + ": " + o.err());
      log.append(o.out());
    }
    assertTrue(log.toString().contains("evolve: wrote 48 rows"), log.toString());
    Python.requirePandas();
    String script = String.join("\n",
        "import json, pandas as pd, numpy as np",
        "df = pd.read_parquet('" + out + "/pairs')",
        "meta = json.load(open('" + out + "/pairs/_macronet.json'))",
        "assert meta['kind'] == 'patch-pairs' and len(df) == meta['rows'] == 48",
        "assert np.allclose(df['m_1'] - df['m'], df['patch_m_1'] - df['patch_m_0'])",
        "x0 = np.stack(df['spins'].to_numpy()).astype(np.int8).reshape(-1, 16, 16)",
        "assert np.array_equal(x0.mean(axis=(1, 2)), df['m'].to_numpy())",
        "print(int(df['patches'].iloc[0]), float(df['dt'].min()) > 0)");
    assertEquals("16 True", Python.run(script));
  }

}
