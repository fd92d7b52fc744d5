package org.macronet.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {
  @TempDir
  java.nio.file.Path dir;

  private static void write(FileSystem fs, Path file, String text) throws IOException {
    try (OutputStream o = fs.create(file, false)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void publishAfterReplacesTheTargetOnlyWhenTheWriterSucceeds() throws IOException {
    FileSystem fs = FileSystem.getLocal(new Configuration());
    Path target = new Path(dir.toString(), "design");
    // Given an existing result,
    fs.mkdirs(target);
    write(fs, new Path(target, "metrics.json"), "old");
    // when a writer fails part way, with an error that is not an IOException,
    AtomicDirectory failing = AtomicDirectory.prepare(fs, target, true, "output.overwrite");
    AtomicBoolean cleanedUp = new AtomicBoolean();
    Error boom = new AssertionError("boom");
    Error thrown = assertThrows(AssertionError.class, () -> failing.publishAfter(staging -> {
      write(fs, new Path(staging, "metrics.json"), "half");
      throw boom;
    }, () -> cleanedUp.set(true)));
    // then the failure propagates, the hook ran, the staging folder is gone and the old result stays;
    assertSame(boom, thrown);
    assertTrue(cleanedUp.get());
    assertFalse(fs.exists(failing.staging()));
    assertEquals("old", Files.readString(dir.resolve("design/metrics.json")));
    // and a writer that succeeds replaces it and returns its value.
    AtomicDirectory ok = AtomicDirectory.prepare(fs, target, true, "output.overwrite");
    String result = ok.publishAfter(staging -> {
      write(fs, new Path(staging, "metrics.json"), "new");
      return "done";
    });
    assertEquals("done", result);
    assertEquals("new", Files.readString(dir.resolve("design/metrics.json")));
    assertFalse(fs.exists(ok.staging()));
  }
}
