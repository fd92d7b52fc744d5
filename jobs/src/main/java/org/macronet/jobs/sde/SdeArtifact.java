package org.macronet.jobs.sde;

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
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.jobs.model.Checkpoints;
import org.macronet.training.io.SafeTensors;
import org.macronet.training.io.SafeTensorsFile;
import org.macronet.training.sde.SdeModel;

/**
 * A learned SDE on disk, {@code <output.dir>/sde} (or {@code sde-naive}): {@code model.safetensors}
 * (float32, {@link SdeModel#tensors}: {@code drift.<l>.weight} as out x in, {@code drift.<l>.bias},
 * {@code sigma.<l>.*}) and {@code model.json} (format, architecture, the macrostate's columns,
 * lambda and eps of the loss, the training data's checksum, the configuration, code version, and
 * with {@code sde.standardise} the {@code standardisation} {mean, sd} the networks' z is divided
 * by: the model is then dz' = f(z') dt + sigma(z') dW in z' = (z - mean) / sd).
 * Time is the simulations' physical time.
 */
public record SdeArtifact(SdeModel model, float[] params, List<String> columns, ObjectNode description) {
  public static final String WEIGHTS = "model.safetensors";
  public static final String DESCRIPTION = "model.json";
  public static final String FORMAT = "macronet-sde";
  public static final int FORMAT_VERSION = 1;
  /** The key of {@code model.json}'s standardisation. */
  static final String STANDARDISATION = "standardisation";
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The description's fixed part; the caller adds training and provenance fields. */
  static ObjectNode describe(SdeModel model, List<String> columns, String system, double lambda, double eps) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("system", system);
    root.set("z_columns", JSON.valueToTree(columns));
    root.set("architecture", JSON.valueToTree(model.describe()));
    root.put("lambda", lambda);
    root.put("eps", eps);
    root.put("time", "physical (the simulations' summed waiting times)");
    return root;
  }

  /**
   * The standardisation the networks work in, {@code {mean, sd}} per macrostate column
   * ({@code sde.standardise}: the model's z' = (z - mean) / sd), or {@code null} when they work on z itself.
   */
  Standardisation standardisation() {
    return Standardisation.read(description.path(STANDARDISATION));
  }

  /** SHA-256 over the tensors' names, shapes and float32 values, in {@link SdeModel#tensors} order. */
  public String weightChecksum() {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (SafeTensors.Tensor t : model.tensors(params)) {
      sha.update(t.name().getBytes(StandardCharsets.UTF_8));
      for (int dim : t.shape()) {
        sha.update(b.clear().putInt(dim).array());
      }
      int size = 1;
      for (int dim : t.shape()) {
        size *= dim;
      }
      for (int i = 0; i < size; i++) {
        sha.update(b.clear().putFloat(params[t.offset() + i]).array());
      }
    }
    return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest());
  }

  /** Writes both files into {@code dir}. */
  void write(FileSystem fs, Path dir) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, WEIGHTS), false)) {
      SafeTensors.write(out, model.tensors(params), Map.of("format", FORMAT));
    }
    try (OutputStream out = fs.create(new Path(dir, DESCRIPTION), false)) {
      out.write(JSON.writeValueAsString(description).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Reads a model folder, refusing a missing file, another format or a misshapen tensor by name. */
  public static SdeArtifact read(FileSystem fs, Path dir) throws IOException {
    Path json = new Path(dir, DESCRIPTION);
    Path weights = new Path(dir, WEIGHTS);
    if (!fs.exists(json) || !fs.exists(weights)) {
      throw new IOException("no learned SDE in " + dir + " (" + DESCRIPTION + " and " + WEIGHTS
          + " expected); run train for it first");
    }
    JsonNode root;
    try (InputStream in = fs.open(json)) {
      root = JSON.readTree(in);
    }
    if (!FORMAT.equals(root.path("format").asText()) || root.path("format_version").asInt() != FORMAT_VERSION) {
      throw new IOException(json + ": not a " + FORMAT + " version " + FORMAT_VERSION + " description");
    }
    List<String> columns = new ArrayList<>();
    root.path("z_columns").forEach(c -> columns.add(c.asText()));
    JsonNode arch = root.path("architecture");
    int[] hidden = JSON.convertValue(arch.path("hidden"), int[].class);
    SdeModel model = SdeModel.fromDescription(arch.path("dimension").asInt(), hidden, arch.path("sigma").asText());
    if (columns.size() != model.dimension()) {
      throw new IOException(json + ": " + columns.size() + " z_columns for a model of dimension " + model.dimension());
    }
    SafeTensorsFile file;
    try (InputStream in = fs.open(weights)) {
      file = SafeTensors.read(in);
    }
    float[] params;
    try {
      params = model.parameters(file);
    } catch (IllegalArgumentException e) {
      throw new IOException(weights + ": " + e.getMessage(), e);
    }
    return new SdeArtifact(model, params, List.copyOf(columns), (ObjectNode) root);
  }

  /** How checkpoints store this model's parameters. */
  static Checkpoints.Codec codec(SdeModel model) {
    return new Checkpoints.Codec() {
      @Override
      public List<? extends SafeTensors.Entry> tensors(float[] params) {
        return model.tensors(params);
      }

      @Override
      public float[] params(SafeTensorsFile file, String where) throws IOException {
        try {
          return model.parameters(file);
        } catch (IllegalArgumentException e) {
          throw new IOException(where + ": " + e.getMessage(), e);
        }
      }
    };
  }
}
