package org.macronet.jobs.dataset;

import java.io.Serializable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A checksum of a dataset's content that does not depend on how its rows are split into
 * files or ordered: the sum, modulo 2^256, of the SHA-256 of each row's canonical bytes
 * (a multiset hash in the style of Clarke et al.'s MSet-Add-Hash). Two datasets with the
 * same rows have the same checksum whatever their partitioning.
 *
 * <p>A row's canonical bytes are its columns in schema order, big-endian: longs as 8 bytes,
 * ints as 4, doubles as their 8-byte IEEE bits, a float array as its length (4 bytes) then each
 * element's 4-byte IEEE bits, a byte array as its length (4 bytes) then its bytes.
 *
 * <p>The generate job adds rows as it simulates them ({@link #addRow(long, long, double[], float[])},
 * one instance per task, merged in the driver); {@code inspect --verify} recomputes the same
 * value from the written files ({@link DatasetChecksums}).
 */
public final class ContentChecksum implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  private BigInteger sum = BigInteger.ZERO;
  private long rows;
  // per-instance scratch: instances are used by one thread (a task or an aggregation step)
  private transient MessageDigest digest;
  private transient ByteBuffer scratch;

  /** Adds one row given as canonical bytes. */
  public ContentChecksum addRow(byte[] canonical) {
    return addDigest(digest().digest(canonical));
  }

  /**
   * Adds a dataset row {@code sample_id, seed, scalars..., array} (the schema order of every
   * system; {@code array} is null for systems without one) without building its canonical
   * bytes column by column: same value as {@link #addRow(byte[])} of {@link #canonical}.
   */
  public ContentChecksum addRow(long sampleId, long seed, double[] scalars, float[] array) {
    int size = 16 + 8 * scalars.length + (array == null ? 0 : 4 + 4 * array.length);
    if (scratch == null || scratch.capacity() < size) {
      scratch = ByteBuffer.allocate(Math.max(size, 2 * (scratch == null ? 0 : scratch.capacity())));
    }
    ByteBuffer buf = scratch.clear();
    buf.putLong(sampleId).putLong(seed);
    for (double d : scalars) {
      buf.putLong(Double.doubleToRawLongBits(d));
    }
    if (array != null) {
      buf.putInt(array.length);
      buf.asFloatBuffer().put(array); // big-endian raw IEEE bits, like putInt(floatToRawIntBits)
      buf.position(buf.position() + 4 * array.length);
    }
    MessageDigest md = digest();
    md.update(buf.array(), 0, buf.position());
    return addDigest(md.digest());
  }

  private ContentChecksum addDigest(byte[] sha256) {
    sum = sum.add(new BigInteger(1, sha256)).mod(MODULUS);
    rows++;
    return this;
  }

  private MessageDigest digest() {
    if (digest == null) {
      digest = sha256();
    }
    return digest;
  }

  /** Combines two partial checksums (commutative and associative). */
  public ContentChecksum merge(ContentChecksum other) {
    sum = sum.add(other.sum).mod(MODULUS);
    rows += other.rows;
    return this;
  }

  public long rows() {
    return rows;
  }

  /** {@code sha256-multiset:<64 hex digits>}. */
  public String value() {
    String hex = sum.toString(16);
    return "sha256-multiset:" + "0".repeat(64 - hex.length()) + hex;
  }

  /**
   * Adds a row of an ensemble dataset, {@code sample_id, seed} then {@code values} (Integer, Long,
   * Double, byte[] or float[]): same value as {@link #addRow(byte[])} of {@link #canonical}.
   */
  public ContentChecksum addRow(long sampleId, long seed, Object[] values) {
    Object[] all = new Object[values.length + 2];
    all[0] = sampleId;
    all[1] = seed;
    System.arraycopy(values, 0, all, 2, values.length);
    return addRow(canonical(all));
  }

  /** Canonical bytes of a row whose columns are longs, ints, doubles, float arrays and byte arrays. */
  public static byte[] canonical(Object[] columns) {
    int size = 0;
    for (Object c : columns) {
      size += c instanceof float[] f ? 4 + 4 * f.length
          : c instanceof byte[] b ? 4 + b.length
          : c instanceof Integer ? 4
          : 8;
    }
    ByteBuffer buf = ByteBuffer.allocate(size);
    for (Object c : columns) {
      if (c instanceof Long l) {
        buf.putLong(l);
      } else if (c instanceof Integer i) {
        buf.putInt(i);
      } else if (c instanceof byte[] b) {
        buf.putInt(b.length).put(b);
      } else if (c instanceof Double d) {
        buf.putLong(Double.doubleToRawLongBits(d));
      } else if (c instanceof float[] f) {
        buf.putInt(f.length);
        for (float x : f) {
          buf.putInt(Float.floatToRawIntBits(x));
        }
      } else {
        throw new IllegalArgumentException("unsupported column type " + (c == null ? "null" : c.getClass()));
      }
    }
    return buf.array();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
