package org.macronet.jobs.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a small file whole or not at all through Hadoop's FileSystem API: into a temporary file
 * beside it, then renamed over the target (an older file of that name is replaced). A reader
 * never sees half a file.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Writes {@code bytes} to {@code file}; returns the qualified path. */
  public static Path write(FileSystem fs, Path file, byte[] bytes) throws IOException {
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp-" + java.util.UUID.randomUUID());
    try (OutputStream o = fs.create(tmp, false)) {
      o.write(bytes);
    }
    if (fs.exists(file)) {
      fs.delete(file, false);
    }
    if (!fs.rename(tmp, file)) {
      fs.delete(tmp, false);
      throw new IOException("cannot rename " + tmp + " to " + file);
    }
    return fs.makeQualified(file);
  }
}
