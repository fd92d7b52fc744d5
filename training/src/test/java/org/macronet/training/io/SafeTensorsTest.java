package org.macronet.training.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.macronet.training.io.SafeTensors.DoubleTensor;
import org.macronet.training.io.SafeTensors.Entry;
import org.macronet.training.io.SafeTensors.LongTensor;
import org.macronet.training.io.SafeTensors.Tensor;

class SafeTensorsTest {
  /** Values whose bits a careless conversion would change. */
  private static final float[] AWKWARD = {
    -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE,
    Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 1f / 3f, -7.25f
  };

  @TempDir Path dir;

  /** A network's parameters: one flat array, each layer a view at an offset; slot 0 and the tail are not written. */
  private static float[] flatParameters() {
    float[] flat = new float[1 + 12 + 3 + AWKWARD.length + 5];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = (float) Math.sin(i + 0.5) * (i + 1);
    }
    System.arraycopy(AWKWARD, 0, flat, 16, AWKWARD.length);
    return flat;
  }

  private static List<Entry> layers(float[] flat) {
    return List.of(
        new Tensor("layer0.weight", new int[] {3, 4}, flat, 1),
        new Tensor("layer0.bias", new int[] {3}, flat, 13),
        new Tensor("awkward", new int[] {2, 2, 3}, flat, 16));
  }

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": length");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
          what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i]);
    }
  }

  // ---------------------------------------------------------------- Java round trips

  @Test
  void viewsIntoOneFlatArrayRoundTripBitExact() throws IOException {
    float[] flat = flatParameters();
    float[] before = flat.clone();
    List<Entry> written = layers(flat);

    SafeTensorsFile file = SafeTensors.fromBytes(SafeTensors.toBytes(written, Map.of("format", "pt")));

    assertEquals(List.of("layer0.weight", "layer0.bias", "awkward"), file.names());
    assertEquals(Map.of("format", "pt"), file.metadata());
    for (Entry w : written) {
      Tensor r = file.tensor(w.name());
      assertArrayEquals(w.shape(), r.shape(), w.name());
      assertEquals(0, r.offset());
      assertSameBits(((Tensor) w).toArray(), r.data(), w.name());
    }
    assertSameBits(before, flat, "the flat array after writing");
  }

  @Test
  void doublesLongsScalarsAndEmptyTensorsRoundTrip() throws IOException {
    double[] moments = {-0.0, Double.MIN_VALUE, 1e-310, Math.PI, Double.MAX_VALUE, -1.5};
    List<Entry> written = List.of(
        LongTensor.scalar("optimiser.step", 1L << 40),
        new DoubleTensor("optimiser.moments", new int[] {2, 2}, moments, 2),
        new LongTensor("ids", new int[] {3}, new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}),
        new Tensor("empty", new int[] {0, 5}, new float[0]),
        new Tensor("scalar", new int[0], new float[] {2.5f}));

    SafeTensorsFile file = SafeTensors.fromBytes(SafeTensors.toBytes(written, Map.of()));

    assertEquals(List.of("optimiser.step", "optimiser.moments", "ids", "empty", "scalar"), file.names());
    assertEquals(Map.of(), file.metadata());
    LongTensor step = file.longTensor("optimiser.step");
    assertArrayEquals(new int[0], step.shape());
    assertArrayEquals(new long[] {1L << 40}, step.data());
    DoubleTensor m = file.doubleTensor("optimiser.moments");
    assertArrayEquals(new int[] {2, 2}, m.shape());
    for (int i = 0; i < 4; i++) {
      assertEquals(Double.doubleToRawLongBits(moments[2 + i]), Double.doubleToRawLongBits(m.data()[i]));
    }
    assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, file.longTensor("ids").data());
    assertArrayEquals(new int[] {0, 5}, file.tensor("empty").shape());
    assertEquals(0, file.tensor("empty").data().length);
    assertArrayEquals(new float[] {2.5f}, file.tensor("scalar").data());
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> file.tensor("ids"));
    assertEquals("tensor 'ids' is I64, not F32", wrongType.getMessage());
  }

  @Test
  void tensorsLargerThanTheCopyChunkRoundTrip() throws IOException {
    float[] flat = new float[3 + 100_003];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = Float.intBitsToFloat(0x9E3779B9 * i); // every bit pattern class, NaNs included
    }
    Tensor big = new Tensor("big", new int[] {7, 14_286}, flat, 3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    SafeTensors.write(out, List.of(big), Map.of());
    SafeTensorsFile file = SafeTensors.read(new java.io.ByteArrayInputStream(out.toByteArray()));

    assertSameBits(big.toArray(), file.tensor("big").data(), "big");
  }

  @Test
  void sameTensorsAndMetadataGiveSameBytes() {
    float[] flat = flatParameters();
    Map<String, String> forwards = new LinkedHashMap<>();
    Map<String, String> backwards = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      forwards.put("key" + i, "value" + i);
      backwards.put("key" + (19 - i), "value" + (19 - i));
    }
    assertArrayEquals(SafeTensors.toBytes(layers(flat), forwards),
        SafeTensors.toBytes(layers(flat.clone()), new HashMap<>(backwards)));
  }

  // ---------------------------------------------------------------- the published layout

  @Test
  void bytesFollowThePublishedLayout() {
    // Given an F32 view of two floats at offset 1 and an I64 scalar, with one metadata entry
    List<Entry> tensors = List.of(
        new Tensor("w", new int[] {2}, new float[] {9f, 1f, -2f, 9f}, 1),
        LongTensor.scalar("step", 3));

    // When written
    byte[] bytes = SafeTensors.toBytes(tensors, Map.of("format", "pt"));

    // Then: the 141-byte compact JSON header, padded with 3 spaces to 144 = 0x90, preceded by its
    // length as u64 little-endian, then 1.0f = 0x3f800000, -2.0f = 0xc0000000, 3L, little-endian.
    String json = "{\"__metadata__\":{\"format\":\"pt\"},"
        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
    assertEquals(141, json.length());
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {(byte) 0x90, 0, 0, 0, 0, 0, 0, 0});
    expected.writeBytes((json + "   ").getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0});
    expected.writeBytes(new byte[] {3, 0, 0, 0, 0, 0, 0, 0});
    assertEquals(8 + 144 + 16, expected.size());
    assertArrayEquals(expected.toByteArray(), bytes);
  }

  // ---------------------------------------------------------------- Python's safetensors

  @Test
  void pythonSafetensorsReadsOurFilesAndWeReadItsFiles() throws Exception {
    boolean required = System.getenv("CI") != null;
    boolean available = python("-c", "import safetensors.numpy, numpy").exitCode == 0;
    if (!available && required) {
      throw new AssertionError("CI must install safetensors and numpy for python3 "
          + "(pip install --no-index --find-links /opt/pypi/files safetensors numpy; see .ci/install-deps)");
    }
    Assumptions.assumeTrue(available, "python3 with safetensors and numpy not found; interop not checked");

    // Given a Java file with F32 views into one flat array, an F64, an I64 scalar and metadata
    float[] flat = flatParameters();
    double[] halves = {0.5, -0.0, 1e-310};
    List<Entry> written = new java.util.ArrayList<>(layers(flat));
    written.add(0, LongTensor.scalar("optimiser.step", 42));
    written.add(1, new DoubleTensor("halves", new int[] {3}, halves));
    Map<String, String> metadata = Map.of("format", "pt", "model", "macronet \u2713");
    Path javaFile = dir.resolve("java.safetensors");
    Files.write(javaFile, SafeTensors.toBytes(written, metadata));
    Path pythonFile = dir.resolve("python.safetensors");

    // When Python loads it and writes a file back
    String script;
    try (InputStream in = SafeTensorsTest.class.getResourceAsStream("safetensors_interop.py")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Result run = python("-c", script, javaFile.toString(), pythonFile.toString());
    assertEquals(0, run.exitCode, run.output);

    // Then Python saw every name, dtype, shape and bit, and the metadata
    JsonNode seen = new ObjectMapper().readTree(run.output);
    assertEquals(metadata, new ObjectMapper().convertValue(seen.get("metadata"), Map.class));
    assertEquals(written.size(), seen.get("tensors").size());
    for (Entry w : written) {
      JsonNode t = seen.get("tensors").get(w.name());
      assertEquals(Map.of(SafeTensors.DType.F32, "float32", SafeTensors.DType.F64, "float64",
          SafeTensors.DType.I64, "int64").get(w.dtype()), t.get("dtype").asText(), w.name());
      assertArrayEquals(w.shape(), new ObjectMapper().convertValue(t.get("shape"), int[].class), w.name());
      long[] bits = new long[t.get("bits").size()];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = t.get("bits").get(i).bigIntegerValue().longValue();
      }
      assertArrayEquals(rawBits(w), bits, w.name());
    }

    // And Java reads Python's file: the echoes bit for bit, and what Python computed
    SafeTensorsFile back = SafeTensors.read(Files.newInputStream(pythonFile));
    assertEquals(Map.of("written_by", "safetensors.numpy", "note", "\u00fcnicode \u2713"), back.metadata());
    assertEquals(written.size() + 4, back.tensors().size());
    for (Entry w : written) {
      Entry echo = back.entry("echo." + w.name());
      assertEquals(w.dtype(), echo.dtype(), w.name());
      assertArrayEquals(w.shape(), echo.shape(), w.name());
      assertArrayEquals(rawBits(w), rawBits(echo), w.name());
    }
    float[] ramp = new float[12];
    for (int i = 0; i < 12; i++) {
      ramp[i] = i / 7f;
    }
    assertArrayEquals(new int[] {3, 4}, back.tensor("py.ramp").shape());
    assertSameBits(ramp, back.tensor("py.ramp").data(), "py.ramp");
    assertArrayEquals(new double[] {0, 0.5, 1}, back.doubleTensor("py.halves").data());
    assertArrayEquals(new int[0], back.longTensor("py.step").shape());
    assertArrayEquals(new long[] {12345678901L}, back.longTensor("py.step").data());
    assertArrayEquals(new int[] {0, 3}, back.tensor("py.empty").shape());
  }

  private static long[] rawBits(Entry t) {
    long[] bits = new long[t.size()];
    for (int i = 0; i < bits.length; i++) {
      if (t instanceof Tensor f) {
        bits[i] = Float.floatToRawIntBits(f.data()[f.offset() + i]) & 0xFFFF_FFFFL;
      } else if (t instanceof DoubleTensor d) {
        bits[i] = Double.doubleToRawLongBits(d.data()[d.offset() + i]);
      } else if (t instanceof LongTensor l) {
        bits[i] = l.data()[l.offset() + i];
      }
    }
    return bits;
  }

  private record Result(int exitCode, String output) {}

  private static Result python(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "python3";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException noPython) {
      return new Result(-1, String.valueOf(noPython.getMessage()));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 did not finish in 120 s");
    return new Result(p.exitValue(), output);
  }

  // ---------------------------------------------------------------- corrupt files

  /** A file with the given JSON header (unpadded) and {@code dataBytes} zero bytes of buffer. */
  private static byte[] file(String json, int dataBytes) {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(header.length).put(header).array();
  }

  private static String f32(String name, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  static Stream<Arguments> corruptFiles() {
    // 8-byte length, 56-byte header ({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}} is 55, plus a space), 16 bytes
    byte[] good = SafeTensors.toBytes(List.of(new Tensor("a", new int[] {4}, new float[4])), Map.of());
    assertEquals(8 + 56 + 16, good.length);
    byte[] hugeLength = good.clone();
    hugeLength[7] = (byte) 0x80;
    byte[] longerThanFile = good.clone();
    longerThanFile[1] = 1; // 256 more than the real header
    return Stream.of(
        Arguments.of("fewer than 8 bytes", Arrays.copyOf(good, 5),
            "truncated file: 5 bytes, fewer than the 8 of the header length"),
        Arguments.of("header length over the limit", hugeLength,
            "header length 9223372036854775864 is larger than the limit of 100000000 bytes"),
        Arguments.of("header length larger than the file", longerThanFile,
            "header length 312 is larger than the file: only 72 bytes follow the length"),
        Arguments.of("data cut short", Arrays.copyOf(good, good.length - 3),
            "truncated file: tensor 'a' ends at byte 16 of the buffer, but the buffer ends at byte 13"),
        Arguments.of("bytes after the last tensor", Arrays.copyOf(good, good.length + 1),
            "the byte buffer goes on after its last tensor, which ends at byte 16"),
        Arguments.of("overlapping offsets", file("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[2]", 4, 12) + "}", 12),
            "tensor 'b' at bytes [4, 12) overlaps tensor 'a' at [0, 8)"),
        Arguments.of("a gap between tensors", file("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[1]", 12, 16) + "}", 16),
            "tensor 'b' starts at byte 12, but the tensors are not contiguous: tensor 'a' ends at byte 8"),
        Arguments.of("not starting at byte 0", file("{" + f32("a", "[1]", 4, 8) + "}", 8),
            "tensor 'a' starts at byte 4, but the tensors are not contiguous: the buffer starts at byte 0"),
        Arguments.of("offsets ending before they begin", file("{" + f32("a", "[0]", 8, 4) + "}", 8),
            "tensor 'a': data_offsets [8,4] end before they begin"),
        Arguments.of("shape and size disagree", file("{" + f32("a", "[2,3]", 0, 20) + "}", 20),
            "tensor 'a': shape [2, 3] of F32 needs 24 bytes, but data_offsets [0,20] span 20"),
        Arguments.of("unknown dtype", file("{\"a\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2),
            "tensor 'a': unknown or unsupported dtype 'F16' (supported: [F32, F64, I64])"),
        Arguments.of("negative dimension", file("{" + f32("a", "[-1]", 0, 4) + "}", 4),
            "tensor 'a': shape [-1] has a dimension that is not an int >= 0: -1"),
        Arguments.of("duplicate names", file("{" + f32("a", "[1]", 0, 4) + "," + f32("a", "[1]", 4, 8) + "}", 8),
            "duplicate name in the header: Duplicate field 'a'"),
        Arguments.of("unknown key", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1}}", 4),
            "tensor 'a': unknown key 'x'"),
        Arguments.of("metadata that is not strings", file("{\"__metadata__\":{\"epoch\":3}}", 0),
            "__metadata__ 'epoch' must be a string, found 3"),
        Arguments.of("not JSON", file("{\"a\":", 0), "the header is not valid JSON"),
        Arguments.of("not an object", file("[1, 2]", 0), "the header does not start with '{'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptFiles")
  void corruptFilesAreRejectedSayingWhy(String what, byte[] bytes, String message) {
    IOException e = assertThrows(IOException.class, () -> SafeTensors.fromBytes(bytes), what);
    assertTrue(e.getMessage().startsWith("safetensors: "), e.getMessage());
    assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
  }

  @Test
  void paddedHeadersAndEmptyFilesAreRead() throws IOException {
    SafeTensorsFile empty = SafeTensors.fromBytes(file("{}      ", 0));
    assertEquals(List.of(), empty.tensors());
    assertEquals(Map.of(), empty.metadata());
  }

  // ---------------------------------------------------------------- writer arguments

  @Test
  void badViewsAndNamesAreRejectedWhenBuilt() {
    float[] data = new float[10];
    assertEquals("tensor 'w': the view [4, 12) of shape [2, 4] does not fit in data of length 10",
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {2, 4}, data, 4)).getMessage());
    assertEquals("tensor 'w': shape [-2] has a negative dimension",
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {-2}, data, 0)).getMessage());
    assertEquals("'__metadata__' is reserved and cannot name a tensor",
        assertThrows(IllegalArgumentException.class, () -> new Tensor("__metadata__", new int[] {1}, data)).getMessage());
    assertEquals("a tensor name must be non-empty, found ''",
        assertThrows(IllegalArgumentException.class, () -> new Tensor("", new int[] {1}, data)).getMessage());
    List<Entry> twice = List.of(new Tensor("w", new int[] {1}, data), new Tensor("w", new int[] {1}, data, 1));
    assertEquals("tensor 'w' appears twice",
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(twice, Map.of())).getMessage());
  }

  @Test
  void shapesAreCopiedIn() {
    int[] shape = {2, 2};
    Tensor t = new Tensor("w", shape, new float[4]);
    shape[0] = 1;
    t.shape()[1] = 7;
    assertArrayEquals(new int[] {2, 2}, t.shape());
  }
}
