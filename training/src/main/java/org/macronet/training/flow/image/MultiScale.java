package org.macronet.training.flow.image;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowBlock;

/**
 * The multi-scale split (RealNVP, Glow): the first {@code inner.dim()} values of each row (the
 * first half of the channels, since rows are channel-major) go on through the {@code inner} flow
 * of the next scale; the rest are factored out and pass through unchanged. They stay in the
 * output row, so they still get the standard-normal loss and are drawn like any other latent when
 * the flow is inverted. Log-det: the inner flow's. Parameters: the inner flow's.
 */
public final class MultiScale implements FlowBlock {
  private final Flow inner;
  private final int dim;
  private final int kept;

  public MultiScale(Flow inner, int dim) {
    if (inner.dim() >= dim) {
      throw new IllegalArgumentException("a multi-scale split keeps fewer than its " + dim + " values, found "
          + inner.dim());
    }
    this.inner = inner;
    this.dim = dim;
    this.kept = inner.dim();
  }

  public Flow inner() {
    return inner;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int parameterCount() {
    return inner.parameterCount();
  }

  @Override
  public void initialise(float[] params, int offset, SplittableRandom random) {
    inner.initialise(params, offset, random);
  }

  @Override
  public void initialiseFromData(float[] params, int offset, float[] x, int n) {
    inner.initialiseFromData(params, offset, kept(x, n), n);
  }

  @Override
  public Object newScratch(int maxRows) {
    return new Scratch(maxRows);
  }

  private final class Scratch {
    final Flow.Workspace workspace;
    final float[] in;
    final float[] out;

    Scratch(int maxRows) {
      workspace = inner.newWorkspace(maxRows);
      in = new float[maxRows * kept];
      out = new float[maxRows * kept];
    }
  }

  @Override
  public void forward(float[] params, int offset, float[] x, float[] y, int n, double[] logdet, Object scratch) {
    Scratch s = (Scratch) scratch;
    gather(x, s.in, n);
    inner.forward(params, offset, s.in, n, s.workspace);
    double[] ld = s.workspace.logdet();
    for (int i = 0; i < n; i++) {
      logdet[i] += ld[i];
    }
    merge(s.workspace.output(), x, y, n);
  }

  @Override
  public void inverse(float[] params, int offset, float[] y, float[] x, int n) {
    merge(inner.inverse(params, offset, kept(y, n), n), y, x, n);
  }

  @Override
  public void backward(float[] params, int offset, float[] x, float[] dy, float[] dLogdet, float[] dx, int n,
      Object scratch, float[] grad, int gradOffset) {
    Scratch s = (Scratch) scratch;
    gather(dy, s.in, n);
    inner.backward(params, offset, s.in, dLogdet, n, s.workspace, grad, gradOffset, s.out);
    merge(s.out, dy, dx, n);
  }

  private float[] kept(float[] rows, int n) {
    float[] out = new float[n * kept];
    gather(rows, out, n);
    return out;
  }

  /** out (n x kept) := the first {@code kept} values of each row of {@code rows}. */
  private void gather(float[] rows, float[] out, int n) {
    for (int i = 0; i < n; i++) {
      System.arraycopy(rows, i * dim, out, i * kept, kept);
    }
  }

  /** to := [head row, the rest of the row of {@code tail}] for each of n rows. */
  private void merge(float[] head, float[] tail, float[] to, int n) {
    for (int i = 0; i < n; i++) {
      System.arraycopy(head, i * kept, to, i * dim, kept);
      System.arraycopy(tail, i * dim + kept, to, i * dim + kept, dim - kept);
    }
  }

  @Override
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "multi_scale");
    m.put("dim", dim);
    m.put("kept", kept);
    m.put("next", inner.describe());
    return m;
  }
}
