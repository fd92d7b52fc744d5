package org.macronet.training.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reader and writer of the safetensors format (github.com/huggingface/safetensors), the weight
 * format PyTorch, numpy and the Hugging Face tools read:
 *
 * <pre>
 *   8 bytes   N, the header length: unsigned 64-bit little-endian
 *   N bytes   UTF-8 JSON: {"__metadata__": {string: string},
 *                          name: {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
 *             padded with spaces to a multiple of 8 bytes
 *   the rest  the byte buffer: each tensor row-major little-endian at [begin, end) from the buffer start
 * </pre>
 *
 * <p>Tensors are written contiguously in the order given, each straight from a view into a caller's
 * array, so the parameters of a network (one flat array, each layer at an offset) are written with
 * no copy. The header is compact JSON with {@code __metadata__} first and its keys sorted, so the
 * same tensors and metadata always give the same bytes. An empty metadata map writes no
 * {@code __metadata__} entry.
 *
 * <p>Reading is strict, as in the reference implementation: the tensors must tile the buffer from
 * byte 0 with no gap, overlap or trailing byte, and each tensor's byte range must equal its shape's
 * element count times its dtype's size. Any violation is an {@link IOException} that says what is
 * wrong and names the tensor. Supported dtypes are {@code F32}, {@code F64} and {@code I64}.
 *
 * <p>For alignment, readers that map the file prefer 8-byte values before 4-byte ones; put
 * {@code F64} and {@code I64} tensors before {@code F32} ones when the order is free.
 */
public final class SafeTensors {
  /** The reference implementation's limit on the header length (100 MB). */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  private static final String METADATA_KEY = "__metadata__";
  private static final int CHUNK_BYTES = 1 << 16;
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper MAPPER =
      JsonMapper.builder(JSON).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private SafeTensors() {}

  /** The element types this implementation reads and writes, named as in the format. */
  public enum DType {
    F32(Float.BYTES),
    F64(Double.BYTES),
    I64(Long.BYTES);

    private final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
      return bytes;
    }
  }

  /**
   * One named tensor: a row-major view of {@code size()} elements of an array, starting at an
   * offset. Implementations copy {@code shape} but never the data array, which must not change
   * while the tensor is being written.
   */
  public sealed interface Entry permits Tensor, DoubleTensor, LongTensor {
    String name();

    DType dtype();

    /** The dimensions, outermost first; {@code []} is a scalar. Returns a copy. */
    int[] shape();

    /** The first element of the view in the data array. */
    int offset();

    /** The element count, the product of the shape (1 for a scalar). */
    default int size() {
      return elementCount(shape(), name());
    }
  }

  /** A float32 tensor ({@code F32}): {@code product(shape)} floats of {@code data} from {@code offset}. */
  public record Tensor(String name, int[] shape, float[] data, int offset) implements Entry {
    public Tensor {
      shape = checkView(name, shape, data == null ? -1 : data.length, offset);
    }

    /** The whole of {@code data} with the given shape. */
    public Tensor(String name, int[] shape, float[] data) {
      this(name, shape, data, 0);
    }

    @Override
    public DType dtype() {
      return DType.F32;
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** A fresh array holding the view's elements. */
    public float[] toArray() {
      return Arrays.copyOfRange(data, offset, offset + size());
    }
  }

  /** A float64 tensor ({@code F64}): {@code product(shape)} doubles of {@code data} from {@code offset}. */
  public record DoubleTensor(String name, int[] shape, double[] data, int offset) implements Entry {
    public DoubleTensor {
      shape = checkView(name, shape, data == null ? -1 : data.length, offset);
    }

    /** The whole of {@code data} with the given shape. */
    public DoubleTensor(String name, int[] shape, double[] data) {
      this(name, shape, data, 0);
    }

    @Override
    public DType dtype() {
      return DType.F64;
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** A fresh array holding the view's elements. */
    public double[] toArray() {
      return Arrays.copyOfRange(data, offset, offset + size());
    }
  }

  /** An int64 tensor ({@code I64}), e.g. an optimiser's step counter as a scalar. */
  public record LongTensor(String name, int[] shape, long[] data, int offset) implements Entry {
    public LongTensor {
      shape = checkView(name, shape, data == null ? -1 : data.length, offset);
    }

    /** The whole of {@code data} with the given shape. */
    public LongTensor(String name, int[] shape, long[] data) {
      this(name, shape, data, 0);
    }

    /** A scalar (shape {@code []}). */
    public static LongTensor scalar(String name, long value) {
      return new LongTensor(name, new int[0], new long[] {value}, 0);
    }

    @Override
    public DType dtype() {
      return DType.I64;
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** A fresh array holding the view's elements. */
    public long[] toArray() {
      return Arrays.copyOfRange(data, offset, offset + size());
    }
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes {@code tensors}, in the order given, and {@code metadata} to {@code out}, which is left
   * open. Names must be distinct, non-empty and not {@code __metadata__}.
   */
  public static void write(OutputStream out, List<? extends Entry> tensors, Map<String, String> metadata)
      throws IOException {
    byte[] header = header(tensors, metadata);
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    chunk.putLong(header.length);
    out.write(chunk.array(), 0, Long.BYTES);
    out.write(header);
    for (Entry t : tensors) {
      writeData(out, t, chunk);
    }
  }

  /** The bytes {@link #write} would write. */
  public static byte[] toBytes(List<? extends Entry> tensors, Map<String, String> metadata) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, tensors, metadata);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  /** The JSON header, padded with spaces to a multiple of 8 bytes. */
  private static byte[] header(List<? extends Entry> tensors, Map<String, String> metadata) throws IOException {
    if (tensors == null) {
      throw new IllegalArgumentException("tensors must not be null");
    }
    if (metadata == null) {
      throw new IllegalArgumentException("metadata must not be null (pass Map.of() for none)");
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(json, JsonEncoding.UTF8)) {
      g.writeStartObject();
      if (!metadata.isEmpty()) {
        g.writeObjectFieldStart(METADATA_KEY);
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
          if (e.getValue() == null) {
            throw new IllegalArgumentException("metadata '" + e.getKey() + "' has a null value");
          }
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      Set<String> names = new HashSet<>();
      long begin = 0;
      for (Entry t : tensors) {
        if (t == null) {
          throw new IllegalArgumentException("tensors must not contain null");
        }
        if (!names.add(t.name())) {
          throw new IllegalArgumentException("tensor '" + t.name() + "' appears twice");
        }
        long end = begin + (long) t.size() * t.dtype().bytes();
        g.writeObjectFieldStart(t.name());
        g.writeStringField("dtype", t.dtype().name());
        g.writeArrayFieldStart("shape");
        for (int d : t.shape()) {
          g.writeNumber(d);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("data_offsets");
        g.writeNumber(begin);
        g.writeNumber(end);
        g.writeEndArray();
        g.writeEndObject();
        begin = end;
      }
      g.writeEndObject();
    }
    int padding = (8 - json.size() % 8) % 8;
    for (int i = 0; i < padding; i++) {
      json.write(' ');
    }
    return json.toByteArray();
  }

  private static void writeData(OutputStream out, Entry t, ByteBuffer chunk) throws IOException {
    int perChunk = CHUNK_BYTES / t.dtype().bytes();
    int from = t.offset();
    int to = from + t.size();
    for (int i = from; i < to; i += perChunk) {
      int n = Math.min(perChunk, to - i);
      chunk.clear();
      // the buffer views copy raw bits: -0.0, subnormals and NaN payloads survive
      if (t instanceof Tensor f) {
        chunk.asFloatBuffer().put(f.data(), i, n);
      } else if (t instanceof DoubleTensor d) {
        chunk.asDoubleBuffer().put(d.data(), i, n);
      } else if (t instanceof LongTensor l) {
        chunk.asLongBuffer().put(l.data(), i, n);
      }
      out.write(chunk.array(), 0, n * t.dtype().bytes());
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * Reads a whole safetensors file from {@code in} (read to its end, left open). The tensors come
   * in file order (by offset), each in a fresh array at offset 0.
   *
   * @throws IOException when the file is truncated, the header is too long or not valid JSON, a
   *     dtype is not supported, a tensor's byte range disagrees with its shape or with its
   *     neighbours', or bytes follow the last tensor
   */
  public static SafeTensorsFile read(InputStream in) throws IOException {
    byte[] lengthBytes = in.readNBytes(Long.BYTES);
    if (lengthBytes.length < Long.BYTES) {
      throw new IOException("safetensors: truncated file: " + lengthBytes.length
          + " bytes, fewer than the 8 of the header length");
    }
    long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (Long.compareUnsigned(headerLength, MAX_HEADER_BYTES) > 0) {
      throw new IOException("safetensors: header length " + Long.toUnsignedString(headerLength)
          + " is larger than the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    byte[] header = in.readNBytes((int) headerLength);
    if (header.length < headerLength) {
      throw new IOException("safetensors: header length " + headerLength
          + " is larger than the file: only " + header.length + " bytes follow the length");
    }
    Header parsed = parseHeader(header);

    List<Entry> tensors = new ArrayList<>(parsed.infos.size());
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long position = 0;
    for (Info info : parsed.infos) {
      tensors.add(readData(in, info, chunk, position));
      position = info.end;
    }
    if (in.read() != -1) {
      throw new IOException("safetensors: the byte buffer goes on after its last tensor, which ends at byte "
          + position);
    }
    return new SafeTensorsFile(tensors, parsed.metadata);
  }

  /** Reads a whole safetensors file from bytes; see {@link #read(InputStream)}. */
  public static SafeTensorsFile fromBytes(byte[] bytes) throws IOException {
    return read(new ByteArrayInputStream(bytes));
  }

  private record Info(String name, DType dtype, int[] shape, long begin, long end) {}

  private record Header(List<Info> infos, Map<String, String> metadata) {}

  private static Header parseHeader(byte[] header) throws IOException {
    if (header.length == 0 || header[0] != '{') {
      throw new IOException("safetensors: the header does not start with '{'");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(header);
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage();
      if (m != null && m.startsWith("Duplicate field")) {
        throw new IOException("safetensors: duplicate name in the header: " + m, e);
      }
      throw new IOException("safetensors: the header is not valid JSON: " + m, e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("safetensors: the header is not a JSON object");
    }
    Map<String, String> metadata = new TreeMap<>();
    List<Info> infos = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        parseMetadata(field.getValue(), metadata);
      } else {
        infos.add(parseInfo(field.getKey(), field.getValue()));
      }
    }
    infos.sort(Comparator.comparingLong(Info::begin).thenComparingLong(Info::end));
    long expected = 0;
    Info previous = null;
    for (Info info : infos) {
      if (info.begin < expected) {
        throw new IOException("safetensors: tensor '" + info.name + "' at bytes [" + info.begin + ", "
            + info.end + ") overlaps tensor '" + previous.name + "' at [" + previous.begin + ", "
            + previous.end + ")");
      }
      if (info.begin > expected) {
        throw new IOException("safetensors: tensor '" + info.name + "' starts at byte " + info.begin
            + ", but the tensors are not contiguous: " + (previous == null
                ? "the buffer starts at byte 0"
                : "tensor '" + previous.name + "' ends at byte " + previous.end));
      }
      expected = info.end;
      previous = info;
    }
    return new Header(infos, metadata);
  }

  private static void parseMetadata(JsonNode node, Map<String, String> metadata) throws IOException {
    if (!node.isObject()) {
      throw new IOException("safetensors: __metadata__ must be an object of strings, found " + node);
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new IOException("safetensors: __metadata__ '" + e.getKey() + "' must be a string, found "
            + e.getValue());
      }
      metadata.put(e.getKey(), e.getValue().textValue());
    }
  }

  private static Info parseInfo(String name, JsonNode node) throws IOException {
    String where = "safetensors: tensor '" + name + "': ";
    if (name.isEmpty()) {
      throw new IOException("safetensors: a tensor has an empty name");
    }
    if (!node.isObject()) {
      throw new IOException(where + "expected an object with dtype, shape and data_offsets, found " + node);
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw new IOException(where + "unknown key '" + key + "'");
      }
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new IOException(where + "dtype must be a string, found " + dtypeNode);
    }
    DType dtype;
    try {
      dtype = DType.valueOf(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw new IOException(where + "unknown or unsupported dtype '" + dtypeNode.textValue()
          + "' (supported: " + Arrays.toString(DType.values()) + ")");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw new IOException(where + "shape must be an array, found " + shapeNode);
    }
    int[] shape = new int[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
        throw new IOException(where + "shape " + shapeNode + " has a dimension that is not an int >= 0: " + d);
      }
      shape[i] = d.intValue();
    }
    long count = 1;
    for (int d : shape) {
      count *= d; // each factor < 2^31 and the running product checked below: no overflow
      if (count > Integer.MAX_VALUE) {
        throw new IOException(where + "shape " + shapeNode + " has more than " + Integer.MAX_VALUE
            + " elements, more than a Java array holds");
      }
    }
    JsonNode offsets = node.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2
        || !offsets.get(0).isIntegralNumber() || !offsets.get(0).canConvertToLong() || offsets.get(0).longValue() < 0
        || !offsets.get(1).isIntegralNumber() || !offsets.get(1).canConvertToLong() || offsets.get(1).longValue() < 0) {
      throw new IOException(where + "data_offsets must be [begin, end] with 0 <= begin, found " + offsets);
    }
    long begin = offsets.get(0).longValue();
    long end = offsets.get(1).longValue();
    if (end < begin) {
      throw new IOException(where + "data_offsets " + offsets + " end before they begin");
    }
    long bytes = count * dtype.bytes();
    if (end - begin != bytes) {
      throw new IOException(where + "shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes
          + " bytes, but data_offsets " + offsets + " span " + (end - begin));
    }
    return new Info(name, dtype, shape, begin, end);
  }

  private static Entry readData(InputStream in, Info info, ByteBuffer chunk, long position) throws IOException {
    int size = Math.toIntExact((info.end - info.begin) / info.dtype.bytes());
    int perChunk = CHUNK_BYTES / info.dtype.bytes();
    float[] floats = info.dtype == DType.F32 ? new float[size] : null;
    double[] doubles = info.dtype == DType.F64 ? new double[size] : null;
    long[] longs = info.dtype == DType.I64 ? new long[size] : null;
    for (int i = 0; i < size; i += perChunk) {
      int n = Math.min(perChunk, size - i);
      int want = n * info.dtype.bytes();
      int got = in.readNBytes(chunk.array(), 0, want);
      if (got < want) {
        throw new IOException("safetensors: truncated file: tensor '" + info.name + "' ends at byte "
            + info.end + " of the buffer, but the buffer ends at byte "
            + (position + (long) i * info.dtype.bytes() + got));
      }
      chunk.clear();
      switch (info.dtype) {
        case F32 -> chunk.asFloatBuffer().get(floats, i, n);
        case F64 -> chunk.asDoubleBuffer().get(doubles, i, n);
        case I64 -> chunk.asLongBuffer().get(longs, i, n);
      }
    }
    return switch (info.dtype) {
      case F32 -> new Tensor(info.name, info.shape, floats);
      case F64 -> new DoubleTensor(info.name, info.shape, doubles);
      case I64 -> new LongTensor(info.name, info.shape, longs);
    };
  }

  // ---------------------------------------------------------------- validation

  /** Validates a view and returns a private copy of its shape. */
  private static int[] checkView(String name, int[] shape, int dataLength, int offset) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a tensor name must be non-empty, found " + (name == null ? "null" : "''"));
    }
    if (name.equals(METADATA_KEY)) {
      throw new IllegalArgumentException("'" + METADATA_KEY + "' is reserved and cannot name a tensor");
    }
    if (shape == null) {
      throw new IllegalArgumentException("tensor '" + name + "': shape must not be null");
    }
    if (dataLength < 0) {
      throw new IllegalArgumentException("tensor '" + name + "': data must not be null");
    }
    int[] copy = shape.clone();
    int size = elementCount(copy, name);
    if (offset < 0 || (long) offset + size > dataLength) {
      throw new IllegalArgumentException("tensor '" + name + "': the view [" + offset + ", "
          + ((long) offset + size) + ") of shape " + Arrays.toString(copy) + " does not fit in data of length "
          + dataLength);
    }
    return copy;
  }

  private static int elementCount(int[] shape, String name) {
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
            + " has a negative dimension");
      }
      count *= d;
      if (count > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
            + " has more than " + Integer.MAX_VALUE + " elements");
      }
    }
    return (int) count;
  }
}
