package org.macronet.training.closure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.training.optim.Adam;

class ClosureTrainerTest {
  private static final int SIDE = 16;
  private static final int SITES = SIDE * SIDE;

  /** L = 16, p = 8 (K = 4), c = 2, channels 4/4/4, observables (m, rho). */
  private static ClosureAutoencoder tiny() {
    return new ClosureAutoencoder(SIDE, 8, 2, new int[] {4, 4, 4}, 2);
  }

  private static byte[] randomSpins(SplittableRandom r, int n) {
    byte[] s = new byte[n * SITES];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextBoolean() ? (byte) 1 : (byte) -1;
    }
    return s;
  }

  /** The magnetisation and the mean nearest-neighbour product (periodic) of each state. */
  static float[] observables(byte[] spins, int side) {
    int sites = side * side;
    int n = spins.length / sites;
    float[] obs = new float[2 * n];
    for (int i = 0; i < n; i++) {
      double m = 0;
      double rho = 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int s = spins[i * sites + y * side + x];
          m += s;
          rho += s * (spins[i * sites + y * side + (x + 1) % side] + spins[i * sites + ((y + 1) % side) * side + x]);
        }
      }
      obs[2 * i] = (float) (m / sites);
      obs[2 * i + 1] = (float) (rho / (2 * sites));
    }
    return obs;
  }

  private static ShareSums roundTrip(ShareSums sums) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sums);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ShareSums) in.readObject();
    }
  }

  private static byte[] gather(byte[] spins, int[] picks, int from, int to) {
    byte[] out = new byte[(to - from) * SITES];
    for (int j = from; j < to; j++) {
      System.arraycopy(spins, picks[j] * SITES, out, (j - from) * SITES, SITES);
    }
    return out;
  }

  private static float[] gatherObs(float[] obs, int[] picks, int from, int to) {
    float[] out = new float[(to - from) * 2];
    for (int j = from; j < to; j++) {
      System.arraycopy(obs, picks[j] * 2, out, (j - from) * 2, 2);
    }
    return out;
  }

  @Test
  void fitEqualsSharesComputedElsewhereAndMergedInShareOrder() throws Exception {
    // Given 20 states, minibatches of 10 in 3 shares (3, 3 and 4 states) and 5 steps (the last at lr / 10)
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(11);
    int n = 20;
    byte[] spins = randomSpins(r, n);
    float[] obs = observables(spins, SIDE);
    ClosureTrainer.Settings settings = new ClosureTrainer.Settings(10, 5, 1e-2, 42, 3);
    ClosureTrainer local = new ClosureTrainer(model, settings);
    ClosureTrainer.State fitted = local.initialState();
    double[] losses = local.fit(fitted, spins, obs);

    // When a driver draws the minibatch by hand, computes each share on a thread of its own with a
    // trainer of its own, ships the sums serialised and folds them in share order
    ClosureTrainer driver = new ClosureTrainer(model, settings);
    ClosureTrainer.State state = driver.initialState();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int step = 0; step < 5; step++) {
        SampleRandom order = SampleSeeds.forSample(42, step);
        int[] picks = new int[10];
        for (int j = 0; j < 10; j++) {
          picks[j] = order.nextInt(n);
        }
        int[] starts = {0, 3, 6, 10}; // floor(10 s / 3)
        float[] params = state.params().clone(); // the broadcast
        List<Future<ShareSums>> futures = new ArrayList<>();
        for (int s = 2; s >= 0; s--) { // submitted out of order
          int from = starts[s];
          int to = starts[s + 1];
          futures.add(0, pool.submit(() -> roundTrip(new ClosureTrainer(tiny(), settings)
              .share(params, gather(spins, picks, from, to), gatherObs(obs, picks, from, to), to - from))));
        }
        ShareSums merged = ShareSums.EMPTY;
        for (Future<ShareSums> f : futures) {
          merged = merged.merge(f.get());
        }
        assertEquals(10, merged.count());
        // Then each step's loss and, at the end, parameters, buffers and Adam's state agree bit for bit
        assertEquals(Double.doubleToLongBits(losses[step]), Double.doubleToLongBits(driver.apply(state, merged)),
            "loss of step " + step);
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(5, fitted.step());
    assertEquals(5, state.step());
    assertArrayEquals(fitted.params(), state.params());
    assertArrayEquals(fitted.buffers(), state.buffers());
    assertArrayEquals(fitted.adam().firstMoment(), state.adam().firstMoment());
    assertArrayEquals(fitted.adam().secondMoment(), state.adam().secondMoment());
    // and the shares matter: one batch-norm batch of 10 is another training
    ClosureTrainer whole = new ClosureTrainer(model, new ClosureTrainer.Settings(10, 5, 1e-2, 42, 1));
    ClosureTrainer.State one = whole.initialState();
    whole.fit(one, spins, obs);
    assertFalse(Arrays.equals(one.params(), fitted.params()), "shares of 3, 3, 4 train like one batch of 10");
  }

  @Test
  void oneShareIsTheAutoencodersLossAndAdamDirectly() {
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(12);
    int n = 9;
    byte[] spins = randomSpins(r, n);
    float[] obs = observables(spins, SIDE);
    int batch = 6;
    ClosureTrainer trainer = new ClosureTrainer(model, new ClosureTrainer.Settings(batch, 5, 3e-3, 7, 1));
    ClosureTrainer.State state = trainer.initialState();
    double[] losses = trainer.fit(state, spins, obs);

    float[] params = model.initialParameters(new SplittableRandom(7));
    float[] buffers = model.initialBuffers();
    Adam adam = new Adam(params.length);
    ClosureAutoencoder.Scratch s = model.newScratch(batch);
    for (int step = 0; step < 5; step++) {
      SampleRandom order = SampleSeeds.forSample(7, step);
      int[] picks = new int[batch];
      for (int j = 0; j < batch; j++) {
        picks[j] = order.nextInt(n);
      }
      float[] grad = new float[params.length];
      double loss = model.loss(params, gather(spins, picks, 0, batch), gatherObs(obs, picks, 0, batch), batch, s,
          grad);
      model.updateBuffers(buffers, s);
      adam.step(params, grad, step < 4 ? 3e-3 : 3e-4);
      assertEquals(loss, losses[step], 1e-15 * loss, "loss of step " + step);
    }
    assertArrayEquals(params, state.params());
    assertArrayEquals(buffers, state.buffers());
    assertArrayEquals(adam.firstMoment(), state.adam().firstMoment());
  }

  @Test
  void runningStatisticsMoveTowardsTheCountWeightedMeanOfTheShares() {
    // Given a batch of 7 in two shares, 3 and 4 states, and buffers off their initial values
    ClosureAutoencoder model = tiny();
    SplittableRandom r = new SplittableRandom(13);
    ClosureTrainer trainer = new ClosureTrainer(model, new ClosureTrainer.Settings(7, 10, 1e-3, 3, 2));
    assertEquals(3, ClosureTrainer.shareStart(7, 2, 1));
    ClosureTrainer.State state = trainer.initialState();
    float[] buffers = state.buffers();
    for (int q = 0; q < buffers.length; q++) {
      buffers[q] += (float) (0.3 * r.nextDouble());
    }
    float[] before = buffers.clone();
    byte[] a = randomSpins(r, 3);
    byte[] b = randomSpins(r, 4);
    ShareSums first = trainer.share(state.params(), a, observables(a, SIDE), 3);
    ShareSums second = trainer.share(state.params(), b, observables(b, SIDE), 4);
    // each share's statistics are its batch-norm batch's, as the autoencoder reports them
    ClosureAutoencoder.Scratch s = model.newScratch(4);
    model.loss(state.params(), a, observables(a, SIDE), 3, s, null);
    float[] statsA = s.batchStatistics();
    assertArrayEquals(statsA, first.meanStatistics());
    model.loss(state.params(), b, observables(b, SIDE), 4, s, null);
    float[] statsB = s.batchStatistics();
    assertArrayEquals(statsB, second.meanStatistics());

    // When the step is applied
    trainer.apply(state, ShareSums.EMPTY.merge(first).merge(second));

    // Then r := 0.9 r + 0.1 (3 b_a + 4 b_b) / 7 for every mean and variance
    for (int q = 0; q < buffers.length; q++) {
      double expected = 0.9 * before[q] + 0.1 * (3.0 * statsA[q] + 4.0 * statsB[q]) / 7;
      assertEquals(expected, buffers[q], 1e-6 * (1 + Math.abs(expected)), "buffer " + q);
    }
    assertEquals(1, state.step());
  }

  @Test
  void mergeAddsTheSumsAndTheEmptyValueChangesNothing() {
    ShareSums a = ShareSums.of(2, 0.5, new float[] {1f, -2f}, new float[] {0.25f});
    ShareSums b = ShareSums.of(3, 0.75, new float[] {0.5f, 4f}, new float[] {1f});
    ShareSums c = ShareSums.of(1, 1.5, new float[] {-1f, 0.125f}, new float[] {2f});
    assertSame(a, a.merge(ShareSums.EMPTY));
    assertSame(a, ShareSums.EMPTY.merge(a));
    ShareSums ab = a.merge(b);
    assertEquals(5, ab.count());
    assertEquals(2 * 0.5 + 3 * 0.75, ab.lossSum());
    assertArrayEquals(new double[] {2 * 1 + 3 * 0.5, 2 * -2 + 3 * 4}, ab.gradientSum());
    assertArrayEquals(new float[] {(float) ((2 * 0.25 + 3 * 1.0) / 5)}, ab.meanStatistics());
    // these sums are exact, so both groupings agree
    assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)));
    // the operands are left as they were
    assertArrayEquals(new double[] {2, -4}, a.gradientSum());
    assertThrows(IllegalArgumentException.class, () -> a.merge(ShareSums.of(1, 0, new float[3], new float[1])));
  }

  @Test
  void aNonFiniteLossOrGradientStopsNamingTheStep() {
    ClosureAutoencoder model = tiny();
    ClosureTrainer trainer = new ClosureTrainer(model, new ClosureTrainer.Settings(4, 10, 1e-3, 3, 2));
    ClosureTrainer.State state = new ClosureTrainer.State(model.initialParameters(new SplittableRandom(1)),
        model.initialBuffers(), new Adam(model.parameterCount()), 6);
    float[] kept = state.params().clone();
    float[] grad = new float[model.parameterCount()];
    grad[17] = Float.NaN;
    ShareSums bad = ShareSums.of(2, 0.7, grad, new float[model.bufferCount()]);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.apply(state, bad));
    assertEquals("the closure autoencoder's gradient 17 became NaN at step 6", e.getMessage());
    ShareSums infinite = ShareSums.of(2, Double.POSITIVE_INFINITY, new float[model.parameterCount()],
        new float[model.bufferCount()]);
    e = assertThrows(IllegalStateException.class, () -> trainer.apply(state, infinite));
    assertEquals("the closure autoencoder's loss became Infinity at step 6", e.getMessage());
    assertArrayEquals(kept, state.params());
    assertEquals(6, state.step());

    // and in a fit, from parameters that overflow
    ClosureTrainer.State broken = trainer.initialState();
    Arrays.fill(broken.params(), Float.NaN);
    byte[] spins = randomSpins(new SplittableRandom(2), 4);
    e = assertThrows(IllegalStateException.class, () -> trainer.fit(broken, spins, observables(spins, SIDE)));
    assertTrue(e.getMessage().endsWith("at step 0"), e.getMessage());
  }

  @Test
  void settingsRefuseShareCountsTheBatchCannotFill() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClosureTrainer.Settings(4, 10, 1e-3, 1, 5));
    assertEquals("the closure shares must lie in [1, batch = 4], found 5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ClosureTrainer.Settings(4, 10, 0, 1, 1));
    assertEquals("the closure learning rate must be positive and finite, found 0.0", e.getMessage());
    ClosureTrainer trainer = new ClosureTrainer(tiny(), new ClosureTrainer.Settings(10, 1, 1e-3, 1, 3));
    byte[] spins = randomSpins(new SplittableRandom(3), 5);
    e = assertThrows(IllegalArgumentException.class,
        () -> trainer.share(trainer.initialState().params(), spins, observables(spins, SIDE), 5));
    assertEquals("a share holds 1 to 4 states for a batch of 10 in 3 shares, found 5", e.getMessage());
  }
  /**
   * Stripes of period 4 or 8 with 1 to period - 1 rows of +1 per period: 10 states, whose
   * magnetisations run from -0.75 to 0.75; horizontal stripes, or (transposed) vertical ones,
   * which have the same magnetisation and nearest-neighbour correlation.
   */
  static byte[] stripes(boolean vertical) {
    List<byte[]> states = new ArrayList<>();
    for (int period : new int[] {4, 8}) {
      for (int up = 1; up < period; up++) {
        byte[] s = new byte[SITES];
        for (int y = 0; y < SIDE; y++) {
          for (int x = 0; x < SIDE; x++) {
            s[y * SIDE + x] = (vertical ? x : y) % period < up ? (byte) 1 : (byte) -1;
          }
        }
        states.add(s);
      }
    }
    byte[] out = new byte[states.size() * SITES];
    for (int i = 0; i < states.size(); i++) {
      System.arraycopy(states.get(i), 0, out, i * SITES, SITES);
    }
    return out;
  }

  /** Rectangles of +1 (a width of 2 to 16 columns, 4 to 16 rows) on -1: 12 states of varying magnetisation. */
  static byte[] blocks() {
    byte[] out = new byte[12 * SITES];
    for (int i = 0; i < 12; i++) {
      int rows = 4 * (1 + i % 4);
      int cols = 2 + 14 * (i / 4) / 2;
      for (int y = 0; y < SIDE; y++) {
        for (int x = 0; x < SIDE; x++) {
          out[i * SITES + y * SIDE + x] = y < rows && x < cols ? (byte) 1 : (byte) -1;
        }
      }
    }
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Test
  void aShortFitOnStripesAndBlocksLowersTheReconstructionLoss() {
    byte[] spins = concat(stripes(false), stripes(true), blocks());
    float[] obs = observables(spins, SIDE);
    int n = spins.length / SITES;
    ClosureAutoencoder model = new ClosureAutoencoder(SIDE, 8, 2, new int[] {8, 8, 8}, 2);
    ClosureTrainer trainer = new ClosureTrainer(model, new ClosureTrainer.Settings(16, 200, 1e-2, 5, 2));
    ClosureTrainer.State state = trainer.initialState();
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    double before = model.evaluate(state.params(), state.buffers(), spins, obs, n, s);
    double[] losses = trainer.fit(state, spins, obs);
    double after = model.evaluate(state.params(), state.buffers(), spins, obs, n, s);
    // a coin's 0.69 at the start; about 0.26 after 200 steps (inference mode, running statistics)
    assertTrue(before > 0.6, "initial BCE " + before);
    assertTrue(after < 0.5 * before, "the inference-mode BCE falls: " + before + " -> " + after);
    double early = Arrays.stream(losses, 0, 20).average().orElseThrow();
    double late = Arrays.stream(losses, 180, 200).average().orElseThrow();
    assertTrue(late < 0.6 * early, "the training loss falls: " + early + " -> " + late);
  }

  /**
   * The point of a closure: horizontal and vertical stripes have the same m and rho, so the
   * decoder can tell them apart only through the closure. After training, along the line joining
   * the two families' mean closures, the means lie further apart than 4 within-family standard
   * deviations (7 to 10 for seeds 5 to 9), and every state's closure is nearer its own family's
   * mean. (Across that line the closure varies with the stripes' period and magnetisation.)
   */
  @Test
  void theLearnedClosureSeparatesStripesOfTheSameMagnetisationAndCorrelationByOrientation() {
    byte[] horizontal = stripes(false);
    byte[] vertical = stripes(true);
    int family = horizontal.length / SITES;
    assertArrayEquals(observables(horizontal, SIDE), observables(vertical, SIDE), "same m and rho");
    byte[] spins = concat(horizontal, vertical);
    float[] obs = observables(spins, SIDE);
    int n = 2 * family;
    ClosureAutoencoder model = new ClosureAutoencoder(SIDE, 8, 2, new int[] {8, 8, 8}, 2);
    ClosureTrainer trainer = new ClosureTrainer(model, new ClosureTrainer.Settings(16, 600, 1e-2, 5, 2));
    ClosureTrainer.State state = trainer.initialState();
    trainer.fit(state, spins, obs);
    ClosureAutoencoder.Scratch s = model.newScratch(n);
    assertTrue(model.evaluate(state.params(), state.buffers(), spins, obs, n, s) < 0.1, "the stripes are learnt");
    float[] z = new float[n * 2];
    model.encode(state.params(), state.buffers(), spins, n, false, s, z);

    double[][] centre = new double[2][2];
    for (int i = 0; i < n; i++) {
      centre[i / family][0] += z[2 * i] / family;
      centre[i / family][1] += z[2 * i + 1] / family;
    }
    double apart = Math.hypot(centre[1][0] - centre[0][0], centre[1][1] - centre[0][1]);
    double ux = (centre[1][0] - centre[0][0]) / apart;
    double uy = (centre[1][1] - centre[0][1]) / apart;
    for (int f = 0; f < 2; f++) {
      double squares = 0;
      for (int i = f * family; i < (f + 1) * family; i++) {
        double along = (z[2 * i] - centre[f][0]) * ux + (z[2 * i + 1] - centre[f][1]) * uy;
        squares += along * along;
        double own = Math.hypot(z[2 * i] - centre[f][0], z[2 * i + 1] - centre[f][1]);
        double other = Math.hypot(z[2 * i] - centre[1 - f][0], z[2 * i + 1] - centre[1 - f][1]);
        assertTrue(own < other, "state " + i + " lies nearer the other family's mean closure");
      }
      double spread = Math.sqrt(squares / family);
      assertTrue(apart > 4 * spread, "family means " + apart + " apart, a family's spread " + spread);
    }
  }
}
