package org.macronet.training.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Pairs in a file on local disk, row after row, each row its u then its v as little-endian
 * floats. Rows are read with positional reads, so a block far larger than the heap costs the heap
 * only its sample ids (8 bytes a row); the operating system's page cache keeps in memory what
 * fits. Reads are thread-safe.
 *
 * <p>A serialised PairFile carries its rows: Spark serialises a cached block when a task runs on
 * another executor than the one that holds it, and the receiver then writes the rows to a
 * temporary file of its own (deleted when its JVM exits).
 */
public final class PairFile implements PairRows, Serializable, Closeable {
  private static final long serialVersionUID = 1L;
  /** Rows per read when copying a whole file. */
  private static final int COPY_BYTES = 1 << 22;

  private final int uDim;
  private final int vDim;
  private final long[] sampleIds;
  private transient Path path;
  private transient FileChannel channel;

  private PairFile(Path path, int uDim, int vDim, long[] sampleIds) {
    this.path = path;
    this.uDim = uDim;
    this.vDim = vDim;
    this.sampleIds = sampleIds;
  }

  /**
   * A writer of {@code rows} rows to a new file at {@code path} (which must not exist), in any
   * order; {@link Writer#finish} checks that every row was written.
   */
  public static Writer create(Path path, int rows, int uDim, int vDim) throws IOException {
    if (rows < 0 || uDim <= 0 || vDim <= 0) {
      throw new IllegalArgumentException("a pair file needs rows >= 0 and positive widths, found " + rows + " rows, u "
          + uDim + ", v " + vDim);
    }
    return new Writer(path, rows, uDim, vDim);
  }

  /** Writes the rows of a {@link PairFile}; not thread-safe. */
  public static final class Writer implements Closeable {
    private final Path path;
    private final int uDim;
    private final int vDim;
    private final long[] sampleIds;
    private final BitSet written;
    private final FileChannel channel;
    private final ByteBuffer row;
    private boolean done;

    private Writer(Path path, int rows, int uDim, int vDim) throws IOException {
      this.path = path;
      this.uDim = uDim;
      this.vDim = vDim;
      this.sampleIds = new long[rows];
      this.written = new BitSet(rows);
      this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      this.row = ByteBuffer.allocate(rowBytes(uDim, vDim)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes row {@code index}: its sample id, u (uDim values) and v (vDim values). */
    public void put(int index, long sampleId, float[] u, float[] v) throws IOException {
      if (u.length != uDim || v.length != vDim) {
        throw new IllegalArgumentException("sample_id " + sampleId + ": a row needs " + uDim + " u and " + vDim
            + " v values, found " + u.length + " and " + v.length);
      }
      row.clear();
      row.asFloatBuffer().put(u).put(v);
      put(index, sampleId, row);
    }

    /** Writes row {@code index} as {@link #encode} packed it: its sample id and (u, v) bytes. */
    public void put(int index, long sampleId, byte[] encoded) throws IOException {
      if (encoded.length != row.capacity()) {
        throw new IllegalArgumentException("sample_id " + sampleId + ": a row needs " + row.capacity() + " bytes, found "
            + encoded.length);
      }
      put(index, sampleId, ByteBuffer.wrap(encoded));
    }

    private void put(int index, long sampleId, ByteBuffer bytes) throws IOException {
      if (index < 0 || index >= sampleIds.length) {
        throw new IllegalArgumentException("row " + index + " is not within 0.." + (sampleIds.length - 1));
      }
      if (written.get(index)) {
        throw new IllegalStateException("row " + index + " (sample_id " + sampleId + ") is written twice");
      }
      writeFully(channel, bytes, (long) index * row.capacity());
      sampleIds[index] = sampleId;
      written.set(index);
    }

    /** The finished file; every row must have been written. */
    public PairFile finish() throws IOException {
      int missing = written.nextClearBit(0);
      if (missing < sampleIds.length) {
        throw new IllegalStateException(path + ": row " + missing + " of " + sampleIds.length + " was never written");
      }
      channel.force(false);
      close();
      return new PairFile(path, uDim, vDim, sampleIds);
    }

    /** Closes the file; without {@link #finish} it is deleted. */
    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        channel.close();
        if (written.nextClearBit(0) < sampleIds.length) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  /**
   * A row's u then v as the file stores them (little-endian floats): what travels from the
   * executor that reads a row to the one that writes its block, with no conversion on arrival.
   */
  public static byte[] encode(float[] u, float[] v) {
    ByteBuffer b = ByteBuffer.allocate(rowBytes(u.length, v.length)).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(u).put(v);
    return b.array();
  }

  private static int rowBytes(int uDim, int vDim) {
    return Math.multiplyExact(uDim + vDim, Float.BYTES);
  }

  /** Where the rows are. */
  public Path path() {
    return path;
  }

  @Override
  public int rows() {
    return sampleIds.length;
  }

  @Override
  public int uDim() {
    return uDim;
  }

  @Override
  public int vDim() {
    return vDim;
  }

  @Override
  public long sampleId(int row) {
    return sampleIds[row];
  }

  @Override
  public void read(int row, float[] u, int uOffset, float[] v, int vOffset) {
    readRows(row, row + 1).get(u, uOffset, uDim).get(v, vOffset, vDim);
  }

  @Override
  public void readRange(int from, int to, float[] u, float[] v) {
    FloatBuffer rows = readRows(from, to);
    for (int i = 0; i < to - from; i++) {
      rows.get(u, i * uDim, uDim).get(v, i * vDim, vDim);
    }
  }

  private FloatBuffer readRows(int from, int to) {
    if (from < 0 || to < from || to > sampleIds.length) {
      throw new IndexOutOfBoundsException("rows [" + from + ", " + to + ") are not within 0.." + sampleIds.length);
    }
    int rowBytes = rowBytes(uDim, vDim);
    ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(to - from, rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      readFully(channel(), buf, (long) from * rowBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": cannot read rows [" + from + ", " + to + ")", e);
    }
    buf.flip();
    return buf.asFloatBuffer();
  }

  private synchronized FileChannel channel() throws IOException {
    if (channel == null) {
      if (!Files.isRegularFile(path)) {
        throw new IOException(path + ": the block's file is gone (deleted, or on another host)");
      }
      channel = FileChannel.open(path, StandardOpenOption.READ);
    }
    return channel;
  }

  /** Closes the file; it stays on disk. */
  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** Closes and deletes the file. */
  public void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new EOFException("the file ends at byte " + at + ", " + buf.remaining() + " bytes short");
      }
      at += n;
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    long size = (long) sampleIds.length * rowBytes(uDim, vDim);
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(COPY_BYTES, Math.max(size, 1)));
    for (long at = 0; at < size; ) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), size - at));
      readFully(channel(), buf, at);
      out.write(buf.array(), 0, buf.limit());
      at += buf.limit();
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (uDim <= 0 || vDim <= 0 || sampleIds == null) {
      throw new java.io.InvalidObjectException("a pair file needs positive widths and sample ids");
    }
    path = Files.createTempFile("macronet-rows-", ".f32");
    path.toFile().deleteOnExit();
    long size = (long) sampleIds.length * rowBytes(uDim, vDim);
    byte[] chunk = new byte[(int) Math.min(COPY_BYTES, Math.max(size, 1))];
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      for (long at = 0; at < size; ) {
        int n = (int) Math.min(chunk.length, size - at);
        in.readFully(chunk, 0, n);
        writeFully(ch, ByteBuffer.wrap(chunk, 0, n), at);
        at += n;
      }
    }
  }
}
