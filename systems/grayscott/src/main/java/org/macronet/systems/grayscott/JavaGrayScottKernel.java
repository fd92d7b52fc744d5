package org.macronet.systems.grayscott;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The Gray-Scott kernel for machines without OpenCL: plain Java, work spread over a fixed
 * number of threads, each piece of work advanced for all its steps while it sits in cache.
 *
 * <p>Two implementations of the inner loops, chosen once per kernel:
 * <ul>
 *   <li><b>java-vector</b>, the incubating Vector API ({@code jdk.incubator.vector}), used when
 *       that module is in the boot layer (run the JVM with
 *       {@code --add-modules jdk.incubator.vector}) and the system property
 *       {@code macronet.grayscott.scalar} is not {@code true};</li>
 *   <li><b>java-scalar</b>, plain loops, otherwise.</li>
 * </ul>
 *
 * <p>Work is split by batch shape: with the vector path, grids of side up to
 * {@link #MAX_INTERLEAVED_SIZE} are processed {@code lanes} at a time in an interleaved layout
 * (one vector = the same cell of {@code lanes} grids; see {@link JavaGrayScottRows}); other grids
 * (larger ones, a small remainder, or everything on the scalar path) use padded rows with halo
 * columns, one grid per thread, or, when there are fewer such grids than threads, each grid split
 * into bands of rows with a barrier per step.
 *
 * <p>The update is the contract's formula with its constants folded (see
 * {@link JavaGrayScottRows#coefficients}) and, on the vector path, fused multiply-adds; results
 * agree with a plain evaluation of the formula to float rounding (about 1e-6 of the field scale
 * after hundreds of steps).
 */
public final class JavaGrayScottKernel implements GrayScottKernel {

  /**
   * Largest grid side for which the vector path interleaves grids (measured on Zen 5, 1 thread:
   * interleaved 6.9e9 / 4.9e9 / 3.0e9 cell-updates/s at sides 64 / 128 / 256 against 3.0e9 /
   * 2.9e9 / 1.8e9 for padded rows; memory per group of 16 grids ~260 n^2 bytes).
   */
  static final int MAX_INTERLEAVED_SIZE = 256;

  private static final String VECTOR_ENGINE = "org.macronet.systems.grayscott.VectorGrayScottEngine";

  private final int threads;
  private final ExecutorService pool;
  private final JavaGrayScottRows engine;
  private final Object splitLock = new Object();

  /** @param threads worker threads; 1 runs on the caller's thread */
  public JavaGrayScottKernel(int threads) {
    this(threads, true);
  }

  /**
   * @param threads worker threads; 1 runs on the caller's thread
   * @param allowVector whether the Vector API path may be used (if available)
   */
  public JavaGrayScottKernel(int threads, boolean allowVector) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive, found " + threads);
    }
    this.threads = threads;
    JavaGrayScottRows vector = allowVector ? loadVectorEngine() : null;
    this.engine = vector != null ? vector : JavaGrayScottScalar.INSTANCE;
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

  /** The Vector API engine, or null where {@code jdk.incubator.vector} is not in the boot layer. */
  private static JavaGrayScottRows loadVectorEngine() {
    if (Boolean.getBoolean("macronet.grayscott.scalar")
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      JavaGrayScottRows e = (JavaGrayScottRows) Class.forName(VECTOR_ENGINE).getDeclaredConstructor().newInstance();
      return e.lanes() >= 2 ? e : null;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public String description() {
    String t = threads + (threads == 1 ? " thread" : " threads");
    return engine.lanes() > 0
        ? engine.pathName() + " (" + t + ", " + (engine.lanes() * Float.SIZE) + "-bit)"
        : engine.pathName() + " (" + t + ")";
  }

  /** Worker threads. */
  public int threads() {
    return threads;
  }

  /** Whether the Vector API path is in use. */
  public boolean vectorized() {
    return engine.lanes() > 0;
  }

  @Override
  public void advance(GrayScottBatch batch, int steps) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be non-negative, found " + steps);
    }
    if (steps == 0) {
      return;
    }
    final int n = batch.size;
    final int count = batch.count;
    final int lanes = engine.lanes();
    List<Runnable> tasks = new ArrayList<>();
    int g = 0;
    if (lanes > 0 && n <= MAX_INTERLEAVED_SIZE) {
      // whole groups of lanes, and a rest of at least half a group, are interleaved; the streams
      // (one per thread, at most one per group) pull grids from one counter, so a lane whose grid
      // finishes early takes the next one
      int rest = count % lanes;
      int interleaved = rest > 0 && (2 * rest >= lanes || n < lanes) ? count : count - rest;
      int groups = (interleaved + lanes - 1) / lanes;
      IntSupplier grids = JavaGrayScottRows.grids(interleaved);
      for (int k = 0; k < Math.min(threads, groups); k++) {
        tasks.add(() -> engine.advanceInterleaved(batch, grids, steps));
      }
      g = interleaved;
    }
    int first = g;
    if (threads == 1 || tasks.size() + (count - first) >= threads) {
      for (int r = first; r < count; r++) {
        int gr = r;
        tasks.add(() -> advanceRows(batch, gr, steps));
      }
      runAll(tasks);
    } else {
      runAll(tasks);
      for (int r = first; r < count; r++) {
        advanceRowsSplit(batch, r, steps);
      }
    }
  }

  /** Advances grid {@code g} in padded-row layout on this thread. */
  private void advanceRows(GrayScottBatch batch, int g, int steps) {
    int n = batch.size;
    int len = JavaGrayScottRows.paddedLength(n);
    float[] a = new float[len];
    float[] b = new float[len];
    float[] a2 = new float[len];
    float[] b2 = new float[len];
    JavaGrayScottRows.pad(batch.a, g, n, a);
    JavaGrayScottRows.pad(batch.b, g, n, b);
    float[] p = JavaGrayScottRows.coefficients(batch, g);
    for (int s = 0; s < steps; s++) {
      engine.stepRows(a, b, a2, b2, n, 0, n, p);
      float[] t = a;
      a = a2;
      a2 = t;
      t = b;
      b = b2;
      b2 = t;
    }
    JavaGrayScottRows.unpad(a, n, batch.a, g);
    JavaGrayScottRows.unpad(b, n, batch.b, g);
  }

  /** Advances grid {@code g} with all threads, each owning a band of rows, a barrier per step. */
  private void advanceRowsSplit(GrayScottBatch batch, int g, int steps) {
    final int n = batch.size;
    final int parts = Math.min(threads, n);
    int len = JavaGrayScottRows.paddedLength(n);
    final float[][] f = {new float[len], new float[len], new float[len], new float[len]};
    JavaGrayScottRows.pad(batch.a, g, n, f[0]);
    JavaGrayScottRows.pad(batch.b, g, n, f[1]);
    final float[] p = JavaGrayScottRows.coefficients(batch, g);
    final SpinBarrier barrier = new SpinBarrier(parts);
    List<Runnable> work = new ArrayList<>();
    for (int k = 0; k < parts; k++) {
      final int y0 = n * k / parts;
      final int y1 = n * (k + 1) / parts;
      work.add(() -> {
        try {
          float[] a = f[0];
          float[] b = f[1];
          float[] a2 = f[2];
          float[] b2 = f[3];
          for (int s = 0; s < steps; s++) {
            engine.stepRows(a, b, a2, b2, n, y0, y1, p);
            barrier.await();
            float[] t = a;
            a = a2;
            a2 = t;
            t = b;
            b = b2;
            b2 = t;
          }
        } catch (RuntimeException | Error e) {
          barrier.breakBarrier();
          throw e;
        }
      });
    }
    synchronized (splitLock) {
      runParallel(work);
    }
    int last = steps % 2 == 0 ? 0 : 2;
    JavaGrayScottRows.unpad(f[last], n, batch.a, g);
    JavaGrayScottRows.unpad(f[last + 1], n, batch.b, g);
  }

  /** Runs independent tasks, pulled dynamically by up to {@code threads} threads (the caller included). */
  private void runAll(List<Runnable> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    if (pool == null || tasks.size() == 1) {
      for (Runnable t : tasks) {
        t.run();
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
        tasks.get(i).run();
      }
    };
    List<Runnable> workers = new ArrayList<>();
    for (int t = 0; t < Math.min(threads, tasks.size()); t++) {
      workers.add(worker);
    }
    runParallel(workers);
  }

  /** Runs each of {@code work} on its own thread: the first on the caller, the rest on the pool. */
  private void runParallel(List<Runnable> work) {
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 1; i < work.size(); i++) {
      futures.add(pool.submit(work.get(i)));
    }
    Throwable failure = null;
    try {
      work.get(0).run();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while advancing Gray-Scott grids", e);
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = e.getCause();
        }
      }
    }
    if (failure != null) {
      throw new IllegalStateException("Gray-Scott kernel thread failed", failure);
    }
  }

  /** A reusable barrier that spins briefly, then yields, then parks; steps last tens of microseconds. */
  private static final class SpinBarrier {
    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;

    SpinBarrier(int parties) {
      this.parties = parties;
    }

    void await() {
      int gen = generation;
      if (arrived.incrementAndGet() == parties) {
        arrived.set(0);
        generation = gen + 1;
        return;
      }
      int spins = 0;
      while (generation == gen) {
        if (broken) {
          throw new IllegalStateException("another Gray-Scott kernel thread failed");
        }
        spins++;
        if (spins < 20_000) {
          Thread.onSpinWait();
        } else if (spins < 21_000) {
          Thread.yield();
        } else {
          LockSupport.parkNanos(20_000);
        }
      }
    }

    void breakBarrier() {
      broken = true;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
