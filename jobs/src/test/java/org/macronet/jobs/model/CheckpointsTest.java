package org.macronet.jobs.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.macronet.training.flow.Standardization;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainingState;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.Adam;

/** Checkpoints survive what a killed or crashed trainer leaves behind. */
class CheckpointsTest {
  private static final MacroNet NET = new MacroNetSpec(2, 3, 1, false, 2, new int[] {4}, Activation.TANH, 2.0, true,
      0.1, 5).build(new Standardization(new float[2], new float[] {1, 1}), new Standardization(new float[3],
      new float[] {1, 1, 1}));

  @TempDir
  Path dir;

  private static TrainingState state(long step) {
    float[] p = new float[NET.parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = step + i / 1000f;
    }
    Adam adam = new Adam(p.length);
    float[] m = p.clone();
    adam.restore(m, m, step);
    return new TrainingState(p, adam, step);
  }

  private Checkpoints checkpoints(String fingerprint) throws IOException {
    return new Checkpoints(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toString()),
        fingerprint);
  }

  @Test
  void aTruncatedNewestCheckpointFallsBackToTheOneBeforeAndStagingLeftoversGo() throws IOException {
    Checkpoints c = checkpoints("f1");
    c.save(NET, state(10));
    c.save(NET, state(20));
    Path checkpoints = dir.resolve(Checkpoints.DIR);
    Path leftover = Files.createDirectories(checkpoints.resolve("staging-killed-mid-save"));
    Path newest = checkpoints.resolve("step-0000000020").resolve(Checkpoints.FILE);
    Files.write(newest, new byte[0]);

    List<String> warnings = new ArrayList<>();
    TrainingState s = c.latest(NET, warnings::add).orElseThrow();
    assertEquals(10, s.stepsDone());
    assertArrayEquals(state(10).params(), s.params());
    assertEquals(10, s.adam().stepCount());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("step-0000000020") && warnings.get(0).contains("trying the checkpoint before"),
        warnings.get(0));
    assertFalse(Files.exists(leftover), "a staging folder left by a killed save is removed");

    Files.write(checkpoints.resolve("step-0000000010").resolve(Checkpoints.FILE), new byte[0]);
    IOException e = assertThrows(IOException.class, () -> c.latest(NET, w -> {}));
    assertTrue(e.getMessage().contains("step-0000000020") && e.getMessage().contains("unreadable checkpoint"),
        e.getMessage());
  }

  @Test
  void aCheckpointOfAnotherConfigurationIsRefusedNotSkipped() throws IOException {
    checkpoints("f1").save(NET, state(10));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> checkpoints("f2").latest(NET, w -> {}));
    assertTrue(e.getMessage().contains("different training configuration"), e.getMessage());
  }
}
