package org.macronet.training.closure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;

/**
 * The closure autoencoder of the learned-SDE method (DESIGN.md 7.4). A spin state of side L is cut
 * into K = (L/p)^2 non-overlapping p x p patches; the encoder maps each patch to c numbers and the
 * state's closure is their mean over the K patches. The decoder maps (observables..., closure) back
 * to the logits of the L x L spins, and the pair is trained with the binary cross-entropy on
 * (s + 1) / 2. As PyTorch modules, with channels {@code ch} (default 32, 64, 128) and
 * T = log2(L / 4) up-sampling stages:
 *
 * <pre>
 * encoder = Sequential(                        # on (n K, 1, p, p), the spins as +-1 floats
 *     [Conv2d(ch[s-1], ch[s], 3, padding=1), BatchNorm2d(ch[s]), LeakyReLU(0.2), MaxPool2d(2)] for each s,
 *     Flatten(), Linear(ch[-1] (p / 2^S)^2, c))
 * decoder = Sequential(                        # on (n, nObs + c)
 *     Linear(nObs + c, ch[-1] 4 4), Unflatten(1, (ch[-1], 4, 4)),
 *     [ConvTranspose2d(u[t], u[t+1], 4, 2, 1), BatchNorm2d(u[t+1]), LeakyReLU(0.2)] for t < T - 1,
 *     ConvTranspose2d(u[T-1], 1, 4, 2, 1))     # logits; the sigmoid lives in the loss
 * </pre>
 *
 * with the decoder's widths u[0] = ch[-1] halved at every stage (at least 1) and u[T] = 1; for
 * L = 64 and the default channels, 128 -> 64 -> 32 -> 16 -> 1.
 *
 * <p>Parameters are one flat float array in the order of PyTorch's {@code state_dict} (each
 * layer's weight, then its bias; a batch norm's gamma then beta). The batch norms' running
 * statistics are a second float array, the buffers, which only {@link #updateBuffers} changes.
 * {@link #tensors} names both as PyTorch would ({@code encoder.0.weight},
 * {@code encoder.1.running_mean}, {@code decoder.0.weight}, ...), so the safetensors file loads with
 * {@code load_state_dict} (which fills in the absent {@code num_batches_tracked}).
 *
 * <p>Single-threaded and deterministic; the caller owns a {@link Scratch} per thread.
 */
public final class ClosureAutoencoder {
  public static final int[] DEFAULT_CHANNELS = {32, 64, 128};
  public static final int DEFAULT_CLOSURE = 2;
  /** (m, rho). */
  public static final int DEFAULT_OBSERVABLES = 2;
  public static final double NEGATIVE_SLOPE = 0.2;

  private final int side;
  private final int patch;
  private final int tiles;
  private final int patches;
  private final int closure;
  private final int observables;
  private final int[] channels;
  private final int[] upChannels;

  private final Conv2d[] conv;
  private final BatchNorm2d[] norm;
  private final MaxPool2d[] pool;
  private final Linear encoderOut;
  private final Linear decoderIn;
  private final ConvTranspose2d[] up;
  private final BatchNorm2d[] upNorm;
  private final LeakyRelu leaky = new LeakyRelu(NEGATIVE_SLOPE);

  private final int[] convAt;
  private final int[] normAt;
  private final int[] normBufferAt;
  private final int encoderOutAt;
  private final int decoderInAt;
  private final int[] upAt;
  private final int[] upNormAt;
  private final int[] upNormBufferAt;
  private final int parameterCount;
  private final int bufferCount;
  private final List<Slot> slots = new ArrayList<>();

  /** One named tensor of the parameters or of the buffers. */
  private record Slot(String name, int[] shape, boolean buffer, int offset) {}

  /** The default architecture: closure dimension 2, channels 32/64/128, observables (m, rho). */
  public ClosureAutoencoder(int latticeSide, int patchSide) {
    this(latticeSide, patchSide, DEFAULT_CLOSURE, DEFAULT_CHANNELS, DEFAULT_OBSERVABLES);
  }

  /**
   * @param latticeSide      L, with L / 4 a power of two and at least 2
   * @param patchSide        p, dividing L and divisible by 2^(channels.length)
   * @param closureDimension c
   * @param channels         the encoder's convolution widths, one per conv/pool stage
   * @param observables      how many observables precede the closure in the decoder's input
   */
  public ClosureAutoencoder(int latticeSide, int patchSide, int closureDimension, int[] channels, int observables) {
    if (channels.length < 1 || Arrays.stream(channels).anyMatch(ch -> ch < 1)) {
      throw new IllegalArgumentException("channels must be one or more positive widths, found "
          + Arrays.toString(channels));
    }
    int stages = channels.length;
    if (latticeSide < 8 || Integer.bitCount(latticeSide) != 1) {
      throw new IllegalArgumentException("the lattice side must be a power of two, at least 8, found " + latticeSide);
    }
    if (patchSide < 1 || latticeSide % patchSide != 0 || patchSide % (1 << stages) != 0) {
      throw new IllegalArgumentException("the patch side must divide the lattice side " + latticeSide
          + " and be divisible by " + (1 << stages) + " for " + stages + " pooling stages, found " + patchSide);
    }
    if (closureDimension < 1) {
      throw new IllegalArgumentException("the closure dimension must be positive, found " + closureDimension);
    }
    if (observables < 0) {
      throw new IllegalArgumentException("the observable count must not be negative, found " + observables);
    }
    this.side = latticeSide;
    this.patch = patchSide;
    this.tiles = latticeSide / patchSide;
    this.patches = tiles * tiles;
    this.closure = closureDimension;
    this.observables = observables;
    this.channels = channels.clone();

    conv = new Conv2d[stages];
    norm = new BatchNorm2d[stages];
    pool = new MaxPool2d[stages];
    convAt = new int[stages];
    normAt = new int[stages];
    normBufferAt = new int[stages];
    int offset = 0;
    int buffers = 0;
    for (int s = 0; s < stages; s++) {
      int width = patchSide >> s;
      int in = s == 0 ? 1 : channels[s - 1];
      conv[s] = new Conv2d(in, channels[s], 3, width, width);
      norm[s] = new BatchNorm2d(channels[s], width, width);
      pool[s] = new MaxPool2d(channels[s], width, width);
      convAt[s] = offset;
      slots.add(new Slot("encoder." + 4 * s + ".weight", conv[s].weightShape(), false, offset));
      slots.add(new Slot("encoder." + 4 * s + ".bias", new int[] {channels[s]}, false, offset + conv[s].biasOffset()));
      offset += conv[s].parameterCount();
      normAt[s] = offset;
      normBufferAt[s] = buffers;
      addNormSlots("encoder." + (4 * s + 1), channels[s], offset, buffers);
      offset += norm[s].parameterCount();
      buffers += norm[s].bufferCount();
    }
    int top = channels[stages - 1];
    int last = patchSide >> stages;
    encoderOut = new Linear(top * last * last, closureDimension);
    encoderOutAt = offset;
    addLinearSlots("encoder." + (4 * stages + 1), encoderOut, offset);
    offset += encoderOut.parameterCount();

    int steps = Integer.numberOfTrailingZeros(latticeSide / 4);
    upChannels = new int[steps + 1];
    upChannels[0] = top;
    for (int t = 1; t <= steps; t++) {
      upChannels[t] = t == steps ? 1 : Math.max(1, upChannels[t - 1] / 2);
    }
    decoderIn = new Linear(observables + closureDimension, top * 16);
    decoderInAt = offset;
    addLinearSlots("decoder.0", decoderIn, offset);
    offset += decoderIn.parameterCount();
    up = new ConvTranspose2d[steps];
    upNorm = new BatchNorm2d[steps - 1];
    upAt = new int[steps];
    upNormAt = new int[steps - 1];
    upNormBufferAt = new int[steps - 1];
    for (int t = 0; t < steps; t++) {
      up[t] = ConvTranspose2d.doubling(upChannels[t], upChannels[t + 1], 4 << t, 4 << t);
      upAt[t] = offset;
      String name = "decoder." + (2 + 3 * t);
      slots.add(new Slot(name + ".weight", up[t].weightShape(), false, offset));
      slots.add(new Slot(name + ".bias", new int[] {upChannels[t + 1]}, false, offset + up[t].biasOffset()));
      offset += up[t].parameterCount();
      if (t < steps - 1) {
        upNorm[t] = new BatchNorm2d(upChannels[t + 1], 8 << t, 8 << t);
        upNormAt[t] = offset;
        upNormBufferAt[t] = buffers;
        addNormSlots("decoder." + (3 + 3 * t), upChannels[t + 1], offset, buffers);
        offset += upNorm[t].parameterCount();
        buffers += upNorm[t].bufferCount();
      }
    }
    this.parameterCount = offset;
    this.bufferCount = buffers;
  }

  private void addNormSlots(String name, int c, int offset, int buffers) {
    slots.add(new Slot(name + ".weight", new int[] {c}, false, offset));
    slots.add(new Slot(name + ".bias", new int[] {c}, false, offset + c));
    slots.add(new Slot(name + ".running_mean", new int[] {c}, true, buffers));
    slots.add(new Slot(name + ".running_var", new int[] {c}, true, buffers + c));
  }

  private void addLinearSlots(String name, Linear layer, int offset) {
    slots.add(new Slot(name + ".weight", new int[] {layer.outputWidth(), layer.inputWidth()}, false, offset));
    slots.add(new Slot(name + ".bias", new int[] {layer.outputWidth()}, false, offset + layer.biasOffset()));
  }

  public int latticeSide() {
    return side;
  }

  public int patchSide() {
    return patch;
  }

  /** K, the patches per state. */
  public int patchCount() {
    return patches;
  }

  public int closureDimension() {
    return closure;
  }

  public int observableCount() {
    return observables;
  }

  /** The decoder's input width, observables plus closure. */
  public int decoderInputWidth() {
    return observables + closure;
  }

  public int parameterCount() {
    return parameterCount;
  }

  public int bufferCount() {
    return bufferCount;
  }

  /** PyTorch's default initialisation, every layer in order from {@code random}; batch norms gamma 1, beta 0. */
  public float[] initialParameters(SplittableRandom random) {
    float[] p = new float[parameterCount];
    for (int s = 0; s < conv.length; s++) {
      conv[s].initialise(p, convAt[s], random);
      norm[s].initialise(p, normAt[s]);
    }
    encoderOut.initialise(p, encoderOutAt, random);
    decoderIn.initialise(p, decoderInAt, random);
    for (int t = 0; t < up.length; t++) {
      up[t].initialise(p, upAt[t], random);
      if (t < upNorm.length) {
        upNorm[t].initialise(p, upNormAt[t]);
      }
    }
    return p;
  }

  /** Running means 0 and running variances 1. */
  public float[] initialBuffers() {
    float[] b = new float[bufferCount];
    for (int s = 0; s < norm.length; s++) {
      norm[s].initialiseBuffers(b, normBufferAt[s]);
    }
    for (int t = 0; t < upNorm.length; t++) {
      upNorm[t].initialiseBuffers(b, upNormBufferAt[t]);
    }
    return b;
  }

  /** Buffers of one thread for batches of up to {@code maxStates} states (or that many times K patches). */
  public Scratch newScratch(int maxStates) {
    if (maxStates < 1) {
      throw new IllegalArgumentException("a scratch needs room for at least one state, found " + maxStates);
    }
    return new Scratch(maxStates);
  }

  /**
   * The closures of n states: each the mean of the encodings of its K patches, into {@code out}
   * (n x c, row-major). In training mode the batch norms use the statistics of the batch's n K
   * patches, and {@code buffers} may be null; otherwise the running statistics in {@code buffers}.
   *
   * @param spins n states of L^2 spins (+-1), each row-major
   */
  public void encode(float[] params, float[] buffers, byte[] spins, int n, boolean train, Scratch s, float[] out) {
    checkBatch(params, spins, n, s);
    if (!train) {
      checkBuffers(buffers);
    }
    s.statisticsFromLoss = false;
    encodeStates(params, train ? null : buffers, spins, n, s);
    System.arraycopy(s.closure, 0, out, 0, n * closure);
  }

  /**
   * The encodings of m single patches (inference mode, each independent of the others), into
   * {@code out} (m x c).
   *
   * @param patchSpins m patches of p^2 values, each row-major
   */
  public void encodePatches(float[] params, float[] buffers, float[] patchSpins, int m, Scratch s, float[] out) {
    checkParameters(params);
    checkBuffers(buffers);
    if (m < 1 || m > s.maxStates * patches || patchSpins.length < m * patch * patch) {
      throw new IllegalArgumentException(m + " patches for a scratch of " + s.maxStates * patches + " and "
          + patchSpins.length + " values");
    }
    s.statisticsFromLoss = false;
    System.arraycopy(patchSpins, 0, s.patches, 0, m * patch * patch);
    encoderForward(params, buffers, m, s);
    System.arraycopy(s.encoded, 0, out, 0, m * closure);
  }

  /**
   * The decoder's logits of the spins being +1 (inference mode), n states of L^2 into {@code out}.
   *
   * @param obs     n x nObs observables, row-major
   * @param closures n x c closures
   */
  public void decode(float[] params, float[] buffers, float[] obs, float[] closures, int n, Scratch s, float[] out) {
    checkParameters(params);
    checkBuffers(buffers);
    if (n < 1 || n > s.maxStates) {
      throw new IllegalArgumentException(n + " states for a scratch of " + s.maxStates);
    }
    checkObservables(obs, n);
    if (closures.length < n * closure) {
      throw new IllegalArgumentException(closures.length + " closure values for " + n + " states of " + closure);
    }
    s.statisticsFromLoss = false;
    for (int i = 0; i < n; i++) {
      System.arraycopy(closures, i * closure, s.decoderInput, i * (observables + closure) + observables, closure);
    }
    decoderForward(params, buffers, obs, n, s);
    System.arraycopy(s.logits(), 0, out, 0, n * side * side);
  }

  /**
   * The training-mode loss: the mean binary cross-entropy over the n states' sites of the decoded
   * logits against (s + 1) / 2, the batch norms on batch statistics. When {@code grad} is not null
   * d(loss)/d(params) is added into it. Afterwards the scratch holds the batch statistics for
   * {@link #updateBuffers}.
   *
   * @param spins n states of L^2 spins (+-1)
   * @param obs   n x nObs observables, row-major
   */
  public double loss(float[] params, byte[] spins, float[] obs, int n, Scratch s, float[] grad) {
    checkBatch(params, spins, n, s);
    checkObservables(obs, n);
    if (grad != null && grad.length != parameterCount) {
      throw new IllegalArgumentException(grad.length + " gradients for a model of " + parameterCount);
    }
    encodeStates(params, null, spins, n, s);
    decoderForward(params, null, obs, n, s);
    int sites = side * side;
    double scale = 1.0 / ((double) n * sites);
    double total = BinaryCrossEntropy.sumOverSpins(s.logits(), 0, spins, 0, n * sites,
        grad == null ? null : s.gradA, scale);
    s.statisticsFromLoss = true;
    if (grad != null) {
      backward(params, n, s, grad);
    }
    return total * scale;
  }

  /** The inference-mode loss (running statistics), the mean binary cross-entropy as {@link #loss}'s. */
  public double evaluate(float[] params, float[] buffers, byte[] spins, float[] obs, int n, Scratch s) {
    checkBatch(params, spins, n, s);
    checkBuffers(buffers);
    checkObservables(obs, n);
    s.statisticsFromLoss = false;
    encodeStates(params, buffers, spins, n, s);
    decoderForward(params, buffers, obs, n, s);
    int sites = side * side;
    return BinaryCrossEntropy.sumOverSpins(s.logits(), 0, spins, 0, n * sites, null, 0) / ((double) n * sites);
  }

  /**
   * PyTorch's update of every batch norm's running statistics from the last {@link #loss} on
   * {@code s}: {@code r := 0.9 r + 0.1 b}, b the batch mean and the unbiased batch variance.
   */
  public void updateBuffers(float[] buffers, Scratch s) {
    checkBuffers(buffers);
    if (!s.statisticsFromLoss) {
      throw new IllegalStateException("the scratch holds no batch statistics of a training-mode loss");
    }
    updateBuffers(buffers, s.statistics);
  }

  /**
   * {@code r := 0.9 r + 0.1 b} for every batch norm, with batch statistics {@code statistics} laid
   * out as the buffers (each batch norm's mean, then its unbiased variance), as
   * {@link Scratch#batchStatistics} gives them.
   */
  public void updateBuffers(float[] buffers, float[] statistics) {
    checkBuffers(buffers);
    if (statistics.length != bufferCount) {
      throw new IllegalArgumentException(statistics.length + " batch statistics for a model of " + bufferCount
          + " buffers");
    }
    for (int st = 0; st < norm.length; st++) {
      norm[st].updateRunning(buffers, normBufferAt[st], statistics, normBufferAt[st]);
    }
    for (int t = 0; t < upNorm.length; t++) {
      upNorm[t].updateRunning(buffers, upNormBufferAt[t], statistics, upNormBufferAt[t]);
    }
  }

  private void checkParameters(float[] params) {
    if (params.length != parameterCount) {
      throw new IllegalArgumentException(params.length + " parameters for a model of " + parameterCount);
    }
  }

  private void checkBuffers(float[] buffers) {
    if (buffers == null || buffers.length != bufferCount) {
      throw new IllegalArgumentException((buffers == null ? "no" : buffers.length + "") + " buffers for a model of "
          + bufferCount);
    }
  }

  private void checkBatch(float[] params, byte[] spins, int n, Scratch s) {
    checkParameters(params);
    if (n < 1 || n > s.maxStates) {
      throw new IllegalArgumentException(n + " states for a scratch of " + s.maxStates);
    }
    if (spins.length < n * side * side) {
      throw new IllegalArgumentException(spins.length + " spins for " + n + " states of " + side + " x " + side);
    }
  }

  private void checkObservables(float[] obs, int n) {
    if (obs.length < n * observables) {
      throw new IllegalArgumentException(obs.length + " observables for " + n + " states of " + observables);
    }
  }

  /** Cuts the states into patches (state i's patch (ty, tx) is row i K + ty L/p + tx), encodes them, averages. */
  private void encodeStates(float[] params, float[] buffers, byte[] spins, int n, Scratch s) {
    int area = patch * patch;
    for (int i = 0; i < n; i++) {
      for (int ty = 0; ty < tiles; ty++) {
        for (int tx = 0; tx < tiles; tx++) {
          int to = (i * patches + ty * tiles + tx) * area;
          for (int y = 0; y < patch; y++) {
            int from = i * side * side + (ty * patch + y) * side + tx * patch;
            for (int x = 0; x < patch; x++) {
              byte spin = spins[from + x];
              if (spin != 1 && spin != -1) {
                throw new IllegalArgumentException("spins must be +1 or -1, found " + spin + " in state " + i);
              }
              s.patches[to + y * patch + x] = spin;
            }
          }
        }
      }
    }
    encoderForward(params, buffers, n * patches, s);
    int width = observables + closure;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < closure; j++) {
        double sum = 0;
        for (int k = 0; k < patches; k++) {
          sum += s.encoded[(i * patches + k) * closure + j];
        }
        float mean = (float) (sum / patches);
        s.closure[i * closure + j] = mean;
        s.decoderInput[i * width + observables + j] = mean;
      }
    }
  }

  /** The encoder on m patches in {@code s.patches}; batch statistics when {@code buffers} is null. */
  private void encoderForward(float[] params, float[] buffers, int m, Scratch s) {
    float[] in = s.patches;
    for (int st = 0; st < conv.length; st++) {
      conv[st].forward(params, convAt[st], in, m, s.convOut[st], s.work);
      if (buffers == null) {
        norm[st].forwardTrain(params, normAt[st], s.convOut[st], m, s.activated[st], s.saved[st], s.statistics,
            normBufferAt[st]);
      } else {
        norm[st].forwardInference(params, normAt[st], buffers, normBufferAt[st], s.convOut[st], m, s.activated[st],
            s.saved[st]);
      }
      leaky.forward(s.activated[st], 0, m * s.stageSize[st]);
      pool[st].forward(s.activated[st], m, s.pooled[st], s.argmax[st]);
      in = s.pooled[st];
    }
    encoderOut.forward(params, encoderOutAt, in, m, s.encoded);
  }

  /** The decoder on {@code s.decoderInput} whose closure columns are set; the observables copied in here. */
  private void decoderForward(float[] params, float[] buffers, float[] obs, int n, Scratch s) {
    int width = observables + closure;
    for (int i = 0; i < n; i++) {
      System.arraycopy(obs, i * observables, s.decoderInput, i * width, observables);
    }
    decoderIn.forward(params, decoderInAt, s.decoderInput, n, s.seed);
    float[] in = s.seed;
    for (int t = 0; t < up.length; t++) {
      up[t].forward(params, upAt[t], in, n, s.upOut[t], s.work);
      if (t < upNorm.length) {
        if (buffers == null) {
          upNorm[t].forwardTrain(params, upNormAt[t], s.upOut[t], n, s.upActivated[t], s.upSaved[t], s.statistics,
              upNormBufferAt[t]);
        } else {
          upNorm[t].forwardInference(params, upNormAt[t], buffers, upNormBufferAt[t], s.upOut[t], n,
              s.upActivated[t], s.upSaved[t]);
        }
        leaky.forward(s.upActivated[t], 0, n * s.upSize[t]);
        in = s.upActivated[t];
      }
    }
  }

  /** Back-propagates dL/dlogits in {@code s.gradA} through decoder, patch mean and encoder (training mode). */
  private void backward(float[] params, int n, Scratch s, float[] grad) {
    float[] g = s.gradA;
    float[] other = s.gradB;
    for (int t = up.length - 1; t >= 0; t--) {
      if (t < upNorm.length) {
        leaky.backward(s.upActivated[t], g, 0, n * s.upSize[t]);
        upNorm[t].backward(params, upNormAt[t], s.upOut[t], n, s.upSaved[t], true, g, g, grad, upNormAt[t]);
      }
      float[] in = t == 0 ? s.seed : s.upActivated[t - 1];
      up[t].backward(params, upAt[t], in, n, g, other, grad, upAt[t], s.work);
      float[] swap = g;
      g = other;
      other = swap;
    }
    decoderIn.backward(params, decoderInAt, s.decoderInput, n, g, other, grad, decoderInAt);
    // d closure_i / d encoding of each of its patches = 1 / K
    int width = observables + closure;
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < patches; k++) {
        for (int j = 0; j < closure; j++) {
          g[(i * patches + k) * closure + j] = other[i * width + observables + j] / patches;
        }
      }
    }
    int m = n * patches;
    int stages = conv.length;
    encoderOut.backward(params, encoderOutAt, s.pooled[stages - 1], m, g, other, grad, encoderOutAt);
    float[] swap = g;
    g = other;
    other = swap;
    for (int st = stages - 1; st >= 0; st--) {
      pool[st].backward(g, m, s.argmax[st], other);
      swap = g;
      g = other;
      other = swap;
      leaky.backward(s.activated[st], g, 0, m * s.stageSize[st]);
      norm[st].backward(params, normAt[st], s.convOut[st], m, s.saved[st], true, g, g, grad, normAt[st]);
      float[] in = st == 0 ? s.patches : s.pooled[st - 1];
      conv[st].backward(params, convAt[st], in, m, g, st == 0 ? null : other, grad, convAt[st], s.work);
      swap = g;
      g = other;
      other = swap;
    }
  }

  /**
   * The parameters and buffers as named tensors in PyTorch's {@code state_dict} order and shapes,
   * views into the two arrays.
   */
  public List<SafeTensors.Tensor> tensors(float[] params, float[] buffers) {
    checkParameters(params);
    checkBuffers(buffers);
    List<SafeTensors.Tensor> out = new ArrayList<>();
    for (Slot slot : slots) {
      out.add(new SafeTensors.Tensor(slot.name(), slot.shape(), slot.buffer() ? buffers : params, slot.offset()));
    }
    return out;
  }

  /** The flat parameters from named tensors (as {@link #tensors} names them); see {@link #read}. */
  public float[] parameters(SafeTensorsFile file) {
    return read(file, false, parameterCount);
  }

  /** The buffers (running statistics) from named tensors; see {@link #read}. */
  public float[] buffers(SafeTensorsFile file) {
    return read(file, true, bufferCount);
  }

  /** Each tensor checked for its shape; an error names the tensor that is missing or misshapen. */
  private float[] read(SafeTensorsFile file, boolean buffer, int count) {
    float[] values = new float[count];
    for (Slot slot : slots) {
      if (slot.buffer() != buffer) {
        continue;
      }
      if (!file.contains(slot.name())) {
        throw new IllegalArgumentException("tensor '" + slot.name() + "' missing; the file holds " + file.names());
      }
      SafeTensors.Tensor stored = file.tensor(slot.name());
      if (!Arrays.equals(stored.shape(), slot.shape())) {
        throw new IllegalArgumentException("tensor '" + slot.name() + "' has shape " + Arrays.toString(stored.shape())
            + ", the model needs " + Arrays.toString(slot.shape()));
      }
      float[] v = stored.toArray();
      System.arraycopy(v, 0, values, slot.offset(), v.length);
    }
    return values;
  }

  /** The architecture, for a model's JSON description; {@link #fromDescription} rebuilds the model. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", "closure-autoencoder");
    m.put("lattice", side);
    m.put("patch", patch);
    m.put("closure", closure);
    m.put("observables", observables);
    m.put("channels", channels.clone());
    m.put("decoderChannels", upChannels.clone());
    m.put("kernel", 3);
    m.put("activation", "leaky_relu");
    m.put("negativeSlope", NEGATIVE_SLOPE);
    m.put("batchNormEps", BatchNorm2d.EPS);
    m.put("batchNormMomentum", BatchNorm2d.MOMENTUM);
    m.put("parameters", parameterCount);
    m.put("buffers", bufferCount);
    return m;
  }

  /** The model {@link #describe} described. */
  public static ClosureAutoencoder fromDescription(Map<String, Object> description) {
    return new ClosureAutoencoder(((Number) description.get("lattice")).intValue(),
        ((Number) description.get("patch")).intValue(), ((Number) description.get("closure")).intValue(),
        (int[]) description.get("channels"), ((Number) description.get("observables")).intValue());
  }

  /**
   * Buffers of one thread for up to {@code maxStates} states: every layer's output, the batch
   * norms' saved statistics, two gradient buffers used in turn and one work array for the
   * convolutions.
   */
  public final class Scratch {
    private final int maxStates;
    private final float[] patches;
    private final float[][] convOut;
    private final float[][] activated;
    private final float[][] pooled;
    private final int[][] argmax;
    private final double[][] saved;
    private final int[] stageSize;
    private final float[] encoded;
    private final float[] closure;
    private final float[] decoderInput;
    private final float[] seed;
    private final float[][] upOut;
    private final float[][] upActivated;
    private final double[][] upSaved;
    private final int[] upSize;
    private final float[] gradA;
    private final float[] gradB;
    private final float[] work;
    private final float[] statistics;
    private boolean statisticsFromLoss;

    private Scratch(int maxStates) {
      this.maxStates = maxStates;
      int m = maxStates * ClosureAutoencoder.this.patches;
      int c = ClosureAutoencoder.this.closure;
      int widest = Math.max(m * c, maxStates * (observables + c));
      int work = 0;
      patches = new float[m * patch * patch];
      int stages = conv.length;
      convOut = new float[stages][];
      activated = new float[stages][];
      pooled = new float[stages][];
      argmax = new int[stages][];
      saved = new double[stages][];
      stageSize = new int[stages];
      for (int s = 0; s < stages; s++) {
        int w = patch >> s;
        stageSize[s] = channels[s] * w * w;
        convOut[s] = new float[m * stageSize[s]];
        activated[s] = new float[m * stageSize[s]];
        pooled[s] = new float[m * pool[s].outputSize()];
        argmax[s] = new int[m * pool[s].outputSize()];
        saved[s] = new double[2 * channels[s]];
        widest = Math.max(widest, m * stageSize[s]);
        work = Math.max(work, conv[s].workSize());
      }
      encoded = new float[m * c];
      closure = new float[maxStates * c];
      decoderInput = new float[maxStates * (observables + c)];
      seed = new float[maxStates * decoderIn.outputWidth()];
      widest = Math.max(widest, seed.length);
      upOut = new float[up.length][];
      upActivated = new float[upNorm.length][];
      upSaved = new double[upNorm.length][];
      upSize = new int[up.length];
      for (int t = 0; t < up.length; t++) {
        upSize[t] = upChannels[t + 1] * (8 << t) * (8 << t);
        upOut[t] = new float[maxStates * upSize[t]];
        if (t < upNorm.length) {
          upActivated[t] = new float[maxStates * upSize[t]];
          upSaved[t] = new double[2 * upChannels[t + 1]];
        }
        widest = Math.max(widest, maxStates * upSize[t]);
        work = Math.max(work, up[t].workSize());
      }
      gradA = new float[widest];
      gradB = new float[widest];
      this.work = new float[work];
      statistics = new float[bufferCount];
    }

    public int maxStates() {
      return maxStates;
    }

    private float[] logits() {
      return upOut[upOut.length - 1];
    }

    /**
     * The batch statistics of the last training-mode pass (each batch norm's mean, then its
     * unbiased variance, laid out as the buffers), a copy.
     */
    public float[] batchStatistics() {
      return statistics.clone();
    }
  }
}
