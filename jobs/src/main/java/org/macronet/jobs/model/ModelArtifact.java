package org.macronet.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.training.flow.BoxLogit;
import org.macronet.training.flow.Standardization;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;
import org.macronet.training.macronet.MacroNet;
import org.macronet.training.flow.image.ImageFlow;
import org.macronet.training.flow.image.ImageShape;
import org.macronet.training.macronet.MacroNetSpec;
import org.macronet.training.macronet.TrainedMacroNet;
import org.macronet.training.macronet.ParameterLayout;
import org.macronet.training.nn.Activation;

/**
 * A trained MacroNet on disk: {@code model.safetensors} (float32 weights, one tensor per layer,
 * named by {@link ParameterLayout}) and {@code model.json} (format version, architecture,
 * standardisation, loss settings, training configuration, dataset checksum, code version).
 * Readers branch on {@code format_version}.
 */
public record ModelArtifact(MacroNet net, MacroNetSpec spec, float[] params, ObjectNode description) {
  public static final String WEIGHTS = "model.safetensors";
  public static final String DESCRIPTION = "model.json";
  public static final String FORMAT = "macronet-model";
  public static final int FORMAT_VERSION = 1;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The description's fixed part; callers add training and provenance fields. */
  public static ObjectNode describe(MacroNet net, MacroNetSpec spec, List<String> uColumns, List<String> vColumns,
      String system) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("system", system);
    root.set("u_columns", JSON.valueToTree(uColumns));
    root.set("v_columns", JSON.valueToTree(vColumns));
    ObjectNode arch = root.putObject("architecture");
    arch.put("u_dim", spec.uDim());
    arch.put("v_dim", spec.vDim());
    arch.put("macro_dim", spec.macroDim());
    arch.put("shared", spec.shared());
    arch.put("couplings", spec.couplings());
    arch.set("hidden", JSON.valueToTree(spec.hidden()));
    arch.put("activation", spec.activation().configName());
    arch.put("clamp", spec.clamp());
    arch.put("actnorm", spec.actNorm());
    arch.put("last_layer_scale", spec.lastLayerScale());
    arch.put("permutation_seed", spec.permutationSeed());
    if (spec.imageV() != null) {
      ImageFlow f = spec.imageV();
      ObjectNode image = arch.putObject("flow_v_image");
      image.set("shape", JSON.valueToTree(new int[] {f.shape().channels(), f.shape().height(), f.shape().width()}));
      image.put("scales", f.scales());
      image.put("steps", f.steps());
      image.set("hidden", JSON.valueToTree(f.hidden()));
      image.put("kernel", f.kernel());
      image.put("activation", f.activation().configName());
      image.put("clamp", f.clamp());
      image.put("last_layer_scale", f.lastLayerScale());
      image.put("head_couplings", f.headCouplings());
      image.set("head_hidden", JSON.valueToTree(f.headHidden()));
      image.put("permutation_seed", f.permutationSeed());
    }
    if (spec.boxU() != null) {
      // u's box in its raw units (the flow's box_logit block holds it in standardised units)
      ObjectNode box = arch.putObject("box_u");
      box.set("low", JSON.valueToTree(BoxLogit.finiteOrNull(spec.boxU().low())));
      box.set("high", JSON.valueToTree(BoxLogit.finiteOrNull(spec.boxU().high())));
    }
    arch.put("parameters", net.parameterCount());
    arch.set("flow_u", JSON.valueToTree(net.flowU().describe()));
    if (!spec.shared()) {
      arch.set("flow_v", JSON.valueToTree(net.flowV().describe()));
    }
    return root;
  }

  /** Writes both files into {@code dir} (a staging directory: publish it atomically afterwards). */
  public void write(FileSystem fs, Path dir) throws IOException {
    fs.mkdirs(dir);
    try (OutputStream out = fs.create(new Path(dir, WEIGHTS), false)) {
      SafeTensors.write(out, tensors(net, params), Map.of("format", FORMAT));
    }
    try (OutputStream out = fs.create(new Path(dir, DESCRIPTION), false)) {
      out.write(JSON.writeValueAsBytes(description));
    }
  }

  /**
   * {@code sha256:} and the SHA-256 of the network's numbers in a fixed order: for each tensor of
   * {@link ParameterLayout}, its name, shape and floats (IEEE bits, little-endian), then each flow's
   * standardisation (mean, std). It identifies the weights whatever the file bytes around them
   * hold (the JSON has the time written, and the safetensors header's layout may change).
   */
  public String weightChecksum() {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    for (ParameterLayout.Entry e : ParameterLayout.of(net)) {
      tensor(sha, e.name(), e.shape(), params, e.offset(), e.size());
    }
    List<String> flows = net.shared() ? List.of("shared") : List.of("u", "v");
    for (String f : flows) {
      Standardization s = (Standardization) (f.equals("v") ? net.flowV() : net.flowU()).blocks().get(0);
      tensor(sha, f + ".standardization.mean", new int[] {s.dim()}, s.mean(), 0, s.dim());
      tensor(sha, f + ".standardization.std", new int[] {s.dim()}, s.std(), 0, s.dim());
    }
    return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
  }

  private static void tensor(java.security.MessageDigest sha, String name, int[] shape, float[] values, int offset,
      int size) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * (2 + shape.length) + 4 * size)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    sha.update(java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(n.length).array());
    sha.update(n);
    b.putInt(shape.length);
    for (int d : shape) {
      b.putInt(d);
    }
    b.putInt(size);
    for (int i = 0; i < size; i++) {
      b.putInt(Float.floatToRawIntBits(values[offset + i]));
    }
    sha.update(b.array());
  }

  static List<SafeTensors.Tensor> tensors(MacroNet net, float[] params) {
    List<SafeTensors.Tensor> out = new ArrayList<>();
    for (ParameterLayout.Entry e : ParameterLayout.of(net)) {
      out.add(new SafeTensors.Tensor(e.name(), e.shape(), params, e.offset()));
    }
    return out;
  }

  /** Copies the tensors of {@code file} into a flat array laid out for {@code net}; names and shapes must match. */
  static float[] params(MacroNet net, SafeTensorsFile file, String where) throws IOException {
    float[] params = new float[net.parameterCount()];
    for (ParameterLayout.Entry e : ParameterLayout.of(net)) {
      if (!file.contains(e.name())) {
        throw new IOException(where + ": tensor " + e.name() + " is missing");
      }
      SafeTensors.Tensor t = file.tensor(e.name());
      if (!java.util.Arrays.equals(t.shape(), e.shape())) {
        throw new IOException(where + ": tensor " + e.name() + " has shape " + java.util.Arrays.toString(t.shape())
            + ", the architecture needs " + java.util.Arrays.toString(e.shape()));
      }
      System.arraycopy(t.data(), t.offset(), params, e.offset(), e.size());
    }
    return params;
  }

  /** Reads a model directory, with errors that name the file. */
  public static ModelArtifact read(FileSystem fs, Path dir) throws IOException {
    Path json = new Path(dir, DESCRIPTION);
    Path weights = new Path(dir, WEIGHTS);
    if (!fs.exists(json) || !fs.exists(weights)) {
      throw new IllegalArgumentException(dir + ": no trained model here (expected " + DESCRIPTION + " and " + WEIGHTS
          + "); run 'macronet train' first");
    }
    ObjectNode d;
    try (InputStream in = fs.open(json)) {
      JsonNode node = JSON.readTree(in);
      if (!(node instanceof ObjectNode o) || !FORMAT.equals(o.path("format").asText())) {
        throw new IOException(json + ": not a macronet model description");
      }
      d = o;
    }
    int version = d.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IOException(json + ": format_version " + version + " is not supported (this version reads "
          + FORMAT_VERSION + ")");
    }
    JsonNode a = d.path("architecture");
    MacroNetSpec spec = new MacroNetSpec(a.path("u_dim").asInt(), a.path("v_dim").asInt(), a.path("macro_dim").asInt(),
        a.path("shared").asBoolean(), a.path("couplings").asInt(), JSON.convertValue(a.path("hidden"), int[].class),
        Activation.parse(a.path("activation").asText()), a.path("clamp").asDouble(), a.path("actnorm").asBoolean(),
        a.path("last_layer_scale").asDouble(), a.path("permutation_seed").asLong(), imageFlow(a.path("flow_v_image")),
        box(a.path("box_u")));
    Standardization su = standardization(a.path("flow_u").path(0), json);
    Standardization sv = spec.shared() ? null : standardization(a.path("flow_v").path(0), json);
    MacroNet net = spec.build(su, sv);
    SafeTensorsFile file;
    try (InputStream in = fs.open(weights)) {
      file = SafeTensors.read(in);
    }
    return new ModelArtifact(net, spec, params(net, file, weights.toString()), d);
  }

  /** u's box described by {@code node} (null for an unbounded column), or null when the model has none. */
  private static BoxLogit.Bounds box(JsonNode node) {
    if (node.isMissingNode()) {
      return null;
    }
    return new BoxLogit.Bounds(bounds(node.path("low"), Double.NEGATIVE_INFINITY),
        bounds(node.path("high"), Double.POSITIVE_INFINITY));
  }

  private static double[] bounds(JsonNode values, double unbounded) {
    double[] out = new double[values.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = values.get(j).isNull() ? unbounded : values.get(j).asDouble();
    }
    return out;
  }

  /** The image flow of v described by {@code node}, or null when the model has none (a RealNVP v flow). */
  private static ImageFlow imageFlow(JsonNode node) {
    if (node.isMissingNode()) {
      return null;
    }
    int[] shape = JSON.convertValue(node.path("shape"), int[].class);
    return new ImageFlow(new ImageShape(shape[0], shape[1], shape[2]), node.path("scales").asInt(),
        node.path("steps").asInt(), JSON.convertValue(node.path("hidden"), int[].class), node.path("kernel").asInt(),
        Activation.parse(node.path("activation").asText()), node.path("clamp").asDouble(),
        node.path("last_layer_scale").asDouble(), node.path("head_couplings").asInt(),
        JSON.convertValue(node.path("head_hidden"), int[].class), node.path("permutation_seed").asLong());
  }

  private static Standardization standardization(JsonNode block, Path where) throws IOException {
    if (!"standardization".equals(block.path("type").asText())) {
      throw new IOException(where + ": a flow must start with its standardisation block");
    }
    return new Standardization(JSON.convertValue(block.path("mean"), float[].class),
        JSON.convertValue(block.path("std"), float[].class));
  }

  /** How the model came to be: its training settings, held-out loss, dataset and code. */
  public ModelProvenance provenance() {
    return ModelProvenance.of(description);
  }

  /** The model as one serialisable value, for executors. */
  public TrainedMacroNet bundle() {
    return TrainedMacroNet.of(spec, net, params);
  }

  public List<String> uColumns() {
    return JSON.convertValue(description.path("u_columns"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  public List<String> vColumns() {
    return JSON.convertValue(description.path("v_columns"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  public String system() {
    return description.path("system").asText();
  }

  /** Sorted map view of a JSON object, for reports. */
  public static Map<String, Object> asMap(JsonNode node) {
    return JSON.convertValue(node, JSON.getTypeFactory().constructMapType(TreeMap.class, String.class, Object.class));
  }

  public static byte[] jsonBytes(Object value) throws IOException {
    return JSON.writeValueAsBytes(value);
  }

  public static ObjectMapper json() {
    return JSON;
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
