package org.macronet.jobs.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.optim.Adam;

/**
 * Training checkpoints in {@code <run>/checkpoints/step-NNNNNNNNNN/state.safetensors}: the
 * parameters (one tensor per layer), Adam's moments and step counter, and the steps done. Each is
 * written to a staging directory and renamed into place, so a crash never leaves a half-written
 * checkpoint; the newest {@link #KEEP} are kept. The {@code fingerprint} (the training
 * configuration and the dataset) must match on resume.
 */
public final class Checkpoints {
  public static final String DIR = "checkpoints";
  static final String FILE = "state.safetensors";
  static final int KEEP = 2;
  private static final String STAGING = "staging-";

  private final FileSystem fs;
  private final Path dir;
  private final String fingerprint;

  /** How a model's flat parameters are stored in a checkpoint and read back. */
  public interface Codec {
    List<? extends SafeTensors.Entry> tensors(float[] params);

    /** The parameters from {@code file}, read from {@code where}; an error names what is wrong. */
    float[] params(SafeTensorsFile file, String where) throws IOException;
  }

  public Checkpoints(FileSystem fs, Path runDir, String fingerprint) {
    this(fs, fingerprint, new Path(runDir, DIR));
  }

  private Checkpoints(FileSystem fs, String fingerprint, Path dir) {
    this.fs = fs;
    this.dir = dir;
    this.fingerprint = fingerprint;
  }

  /** Checkpoints in {@code dir} itself. */
  public static Checkpoints in(FileSystem fs, Path dir, String fingerprint) {
    return new Checkpoints(fs, fingerprint, dir);
  }

  private static Codec codec(MacroNet net) {
    return new Codec() {
      @Override
      public List<? extends SafeTensors.Entry> tensors(float[] params) {
        return ModelArtifact.tensors(net, params);
      }

      @Override
      public float[] params(SafeTensorsFile file, String where) throws IOException {
        return ModelArtifact.params(net, file, where);
      }
    };
  }

  public Path dir() {
    return dir;
  }

  public boolean any() throws IOException {
    return !steps().isEmpty();
  }

  /** Steps of the finished checkpoints, ascending. */
  public List<Long> steps() throws IOException {
    List<Long> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.matches("step-\\d{10}")) {
        out.add(Long.parseLong(name.substring(5)));
      }
    }
    out.sort(null);
    return out;
  }

  public void save(MacroNet net, TrainingState state) throws IOException {
    save(codec(net), state);
  }

  public void save(Codec codec, TrainingState state) throws IOException {
    long step = state.stepsDone();
    Path target = new Path(dir, String.format("step-%010d", step));
    Path staging = new Path(dir, STAGING + java.util.UUID.randomUUID());
    fs.mkdirs(staging);
    try {
      List<SafeTensors.Entry> tensors = new ArrayList<>(codec.tensors(state.params()));
      Adam adam = state.adam();
      int n = state.params().length;
      tensors.add(new SafeTensors.Tensor("adam.m", new int[] {n}, adam.firstMoment(), 0));
      tensors.add(new SafeTensors.Tensor("adam.v", new int[] {n}, adam.secondMoment(), 0));
      tensors.add(SafeTensors.LongTensor.scalar("adam.t", adam.stepCount()));
      tensors.add(SafeTensors.LongTensor.scalar("steps_done", step));
      try (OutputStream out = fs.create(new Path(staging, FILE), false)) {
        SafeTensors.write(out, tensors, Map.of("format", "macronet-checkpoint", "fingerprint", fingerprint));
      }
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("cannot rename checkpoint " + staging + " to " + target);
      }
    } finally {
      if (fs.exists(staging)) {
        fs.delete(staging, true);
      }
    }
    List<Long> steps = steps();
    for (int i = 0; i < steps.size() - KEEP; i++) {
      fs.delete(new Path(dir, String.format("step-%010d", steps.get(i))), true);
    }
  }

  /**
   * The newest readable checkpoint as a training state for {@code net}, if there is one. Staging
   * directories left by a process killed while saving are removed first. A newest checkpoint that
   * cannot be read (a file truncated by a crash of the machine) is reported to {@code warn} and the
   * one before it is used.
   *
   * @throws IllegalArgumentException when the checkpoint belongs to another configuration or dataset
   * @throws IOException when no checkpoint can be read, naming the newest
   */
  public Optional<TrainingState> latest(MacroNet net, Consumer<String> warn) throws IOException {
    return latest(codec(net), warn);
  }

  /** As {@link #latest(MacroNet, Consumer)}, for a model stored by {@code codec}. */
  public Optional<TrainingState> latest(Codec codec, Consumer<String> warn) throws IOException {
    removeStaging();
    List<Long> steps = steps();
    IOException newestError = null;
    for (int i = steps.size() - 1; i >= 0; i--) {
      Path file = new Path(new Path(dir, String.format("step-%010d", steps.get(i))), FILE);
      try {
        return Optional.of(read(codec, file));
      } catch (IOException e) {
        warn.accept(e.getMessage() + (i > 0 ? "; trying the checkpoint before it" : ""));
        newestError = newestError != null ? newestError : e;
      }
    }
    if (newestError != null) {
      throw newestError;
    }
    return Optional.empty();
  }

  private TrainingState read(Codec codec, Path file) throws IOException {
    SafeTensorsFile f;
    try (InputStream in = fs.open(file)) {
      f = SafeTensors.read(in);
    } catch (IOException | RuntimeException e) {
      throw new IOException(file + ": unreadable checkpoint (" + e.getMessage() + ")", e);
    }
    String found = f.metadata().getOrDefault("fingerprint", "");
    if (!found.equals(fingerprint)) {
      throw new IllegalArgumentException(file + ": this checkpoint was written with a different training configuration"
          + " or dataset; resume with the configuration it was started with, or set output.overwrite=true to start over");
    }
    float[] params = codec.params(f, file.toString());
    float[] m = f.tensor("adam.m").toArray();
    float[] v = f.tensor("adam.v").toArray();
    if (m.length != params.length || v.length != params.length) {
      throw new IOException(file + ": optimiser state does not match the parameters");
    }
    Adam adam = new Adam(params.length);
    adam.restore(m, v, f.longTensor("adam.t").data()[0]);
    long done = f.longTensor("steps_done").data()[0];
    return new TrainingState(params, adam, done);
  }

  private void removeStaging() throws IOException {
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (s.getPath().getName().startsWith(STAGING)) {
        fs.delete(s.getPath(), true);
      }
    }
  }

  /** Removes every checkpoint (starting over). */
  public void clear() throws IOException {
    if (fs.exists(dir)) {
      fs.delete(dir, true);
    }
  }
}
