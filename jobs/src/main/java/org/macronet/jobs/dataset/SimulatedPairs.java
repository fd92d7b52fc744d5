package org.macronet.jobs.dataset;

import java.util.List;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SampleBlock;
import org.macronet.training.data.PairData;

/** A simulated {@link SampleBlock} as training {@link PairData}, without a dataset in between. */
public final class SimulatedPairs {
  private SimulatedPairs() {}

  /**
   * A simulated block of a system whose u and v columns are all scalars, packed
   * as pairs in the order of {@link PairSystem#uColumns()} and {@link PairSystem#vColumns()}.
   */
  public static PairData ofScalars(PairSystem system, SampleBlock block) {
    return new PairData(packScalars(system, block, system.uColumns()), system.uColumns().size(),
        packScalars(system, block, system.vColumns()), system.vColumns().size(), block.sampleIds());
  }

  /**
   * A simulated block packed as pairs: u the system's u columns (scalars), v its array
   * observation when it has one (a trajectory, an image), else its
   * v columns as {@link #ofScalars} packs them.
   */
  public static PairData of(PairSystem system, SampleBlock block) {
    if (system.arrayColumn().isEmpty()) {
      return ofScalars(system, block);
    }
    int n = block.size();
    int vDim = system.arrayColumn().get().length();
    float[] v = new float[n * vDim];
    for (int i = 0; i < n; i++) {
      System.arraycopy(block.arrays()[i], 0, v, i * vDim, vDim);
    }
    return new PairData(packScalars(system, block, system.uColumns()), system.uColumns().size(), v, vDim,
        block.sampleIds());
  }

  private static float[] packScalars(PairSystem system, SampleBlock block, List<String> columns) {
    int n = block.size();
    int w = columns.size();
    float[] out = new float[n * w];
    for (int k = 0; k < w; k++) {
      int c = system.scalarColumns().indexOf(columns.get(k));
      if (c < 0) {
        throw new IllegalArgumentException(columns.get(k) + " is not a scalar column of " + system.name());
      }
      for (int i = 0; i < n; i++) {
        out[i * w + k] = (float) block.scalars()[c][i];
      }
    }
    return out;
  }
}
