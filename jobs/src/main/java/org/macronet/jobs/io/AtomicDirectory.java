package org.macronet.jobs.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.common.config.ConfigException;

/**
 * Writes a directory output atomically through Hadoop's FileSystem API (so local paths,
 * {@code hdfs://} and {@code s3a://} all work): the job writes into {@link #staging()},
 * then {@link #publish()} renames it to the target. A failed job leaves the target as it
 * was; {@link #abandon()} removes the staging directory.
 */
public final class AtomicDirectory {
  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final String overwriteKey;

  private AtomicDirectory(FileSystem fs, Path target, boolean overwrite, String overwriteKey) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
    this.overwriteKey = overwriteKey;
    this.staging = new Path(target.getParent(), target.getName() + ".staging-" + UUID.randomUUID());
  }

  /**
   * Prepares to write {@code target}; refuses at once, before any work is done, when it
   * exists and {@code overwrite} is false.
   */
  public static AtomicDirectory prepare(FileSystem fs, Path target, boolean overwrite, String overwriteKey)
      throws IOException {
    if (fs.exists(target) && !overwrite) {
      throw new ConfigException(overwriteKey, target + " already exists; set " + overwriteKey
          + "=true to replace it, or choose another output.dir");
    }
    return new AtomicDirectory(fs, target, overwrite, overwriteKey);
  }

  public Path target() {
    return target;
  }

  public Path staging() {
    return staging;
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Moves the staged directory into place, replacing an existing target only when allowed. */
  public void publish() throws IOException {
    if (!fs.exists(staging)) {
      throw new IOException("nothing staged at " + staging);
    }
    Path old = null;
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new ConfigException(overwriteKey, target + " appeared while the job ran; not replacing it");
      }
      old = new Path(target.getParent(), target.getName() + ".replaced-" + UUID.randomUUID());
      if (!fs.rename(target, old)) {
        throw new IOException("cannot move the existing " + target + " aside to " + old);
      }
    }
    if (!fs.rename(staging, target)) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw new IOException("cannot rename " + staging + " to " + target);
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /** Writes a staged directory's content; returns what the caller wants back. */
  @FunctionalInterface
  public interface Writer<T> {
    T write(Path staging) throws IOException;
  }

  /**
   * Runs {@code writer} on the staging directory, then publishes it. On any failure, Spark's
   * undeclared checked exceptions and errors included, runs {@code beforeAbandon} (may be null)
   * and abandons the staging directory, leaving the target as it was, and the failure propagates.
   */
  public <T> T publishAfter(Writer<T> writer, Runnable beforeAbandon) throws IOException {
    boolean published = false;
    try {
      T result = writer.write(staging);
      publish();
      published = true;
      return result;
    } finally {
      if (!published) {
        if (beforeAbandon != null) {
          beforeAbandon.run();
        }
        abandon();
      }
    }
  }

  /** {@link #publishAfter(Writer, Runnable)} with nothing to do before abandoning. */
  public <T> T publishAfter(Writer<T> writer) throws IOException {
    return publishAfter(writer, null);
  }

  /**
   * Removes the staging directory (after a failure); the target is untouched. Tasks that
   * Spark is still cancelling may recreate empty directories for a moment after the job has
   * failed, so the removal is repeated until the directory stays gone (about a second at most).
   */
  public void abandon() {
    try {
      for (int attempt = 0; attempt < 10; attempt++) {
        fs.delete(staging, true);
        Thread.sleep(100);
        if (!fs.exists(staging)) {
          return;
        }
      }
    } catch (IOException ignored) {
      // best effort: the staging name is unique, so a leftover never shadows a result
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
