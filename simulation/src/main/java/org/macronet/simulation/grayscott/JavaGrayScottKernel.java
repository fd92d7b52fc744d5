package org.macronet.simulation.grayscott;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Gray-Scott kernel for machines without OpenCL: plain Java, grids spread over a
 * fixed number of threads, each grid advanced for all its steps while it sits in cache.
 *
 * <p>The inner loop over a row's interior is written so that HotSpot's superword pass
 * vectorises it (unit stride, no wrap-around, no branches); the two edge columns, which
 * wrap, are done apart.
 */
public final class JavaGrayScottKernel implements GrayScottKernel {
  private final int threads;
  private final ExecutorService pool;

  /** @param threads worker threads; 1 runs on the caller's thread */
  public JavaGrayScottKernel(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, found " + threads);
    }
    this.threads = threads;
    if (threads == 1) {
      this.pool = null;
    } else {
      AtomicInteger n = new AtomicInteger();
      this.pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, "grayscott-java-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public String description() {
    return "java (" + threads + (threads == 1 ? " thread)" : " threads)");
  }

  @Override
  public void advance(GrayScottBatch batch, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be non-negative, found " + steps);
    }
    if (pool == null || batch.count == 1) {
      for (int g = 0; g < batch.count; g++) {
        advanceGrid(batch, g, steps);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, batch.count); t++) {
      futures.add(pool.submit(() -> {
        for (int g = next.getAndIncrement(); g < batch.count; g = next.getAndIncrement()) {
          advanceGrid(batch, g, steps);
        }
      }));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while advancing Gray-Scott grids", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("Gray-Scott kernel thread failed", e.getCause());
      }
    }
  }

  /** Advances grid {@code g} in place; works on private copies so the grid stays in this core's cache. */
  private static void advanceGrid(GrayScottBatch batch, int g, int steps) {
    int n = batch.size;
    int cells = n * n;
    int base = g * cells;
    float[] a = new float[cells];
    float[] b = new float[cells];
    System.arraycopy(batch.a, base, a, 0, cells);
    System.arraycopy(batch.b, base, b, 0, cells);
    float[] a2 = new float[cells];
    float[] b2 = new float[cells];
    float da = batch.da[g];
    float db = batch.db[g];
    float f = batch.feed[g];
    float fk = batch.feed[g] + batch.kill[g];
    float dt = batch.dt;
    for (int s = 0; s < steps; s++) {
      step(a, b, a2, b2, n, da, db, f, fk, dt);
      float[] t = a;
      a = a2;
      a2 = t;
      t = b;
      b = b2;
      b2 = t;
    }
    System.arraycopy(a, 0, batch.a, base, cells);
    System.arraycopy(b, 0, batch.b, base, cells);
  }

  /** One explicit Euler step of one grid: (a, b) -> (na, nb). */
  static void step(float[] a, float[] b, float[] na, float[] nb, int n,
                   float da, float db, float f, float fk, float dt) {
    for (int y = 0; y < n; y++) {
      int c = y * n;
      int u = (y == 0 ? n - 1 : y - 1) * n;
      int d = (y == n - 1 ? 0 : y + 1) * n;
      cell(a, b, na, nb, c, c + n - 1, c + 1, u, d, da, db, f, fk, dt);
      for (int x = 1; x < n - 1; x++) {
        int i = c + x;
        float av = a[i];
        float bv = b[i];
        float lapA = a[i - 1] + a[i + 1] + a[u + x] + a[d + x] - 4f * av;
        float lapB = b[i - 1] + b[i + 1] + b[u + x] + b[d + x] - 4f * bv;
        float abb = av * bv * bv;
        na[i] = av + dt * (da * lapA - abb + f * (1f - av));
        nb[i] = bv + dt * (db * lapB + abb - fk * bv);
      }
      cell(a, b, na, nb, c + n - 1, c + n - 2, c, u + n - 1, d + n - 1, da, db, f, fk, dt);
    }
  }

  private static void cell(float[] a, float[] b, float[] na, float[] nb, int i, int west, int east,
                           int up, int down, float da, float db, float f, float fk, float dt) {
    float av = a[i];
    float bv = b[i];
    float lapA = a[west] + a[east] + a[up] + a[down] - 4f * av;
    float lapB = b[west] + b[east] + b[up] + b[down] - 4f * bv;
    float abb = av * bv * bv;
    na[i] = av + dt * (da * lapA - abb + f * (1f - av));
    nb[i] = bv + dt * (db * lapB + abb - fk * bv);
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
