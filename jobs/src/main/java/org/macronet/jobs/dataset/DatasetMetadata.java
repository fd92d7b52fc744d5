package org.macronet.jobs.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.macronet.simulation.ensemble.Field;

/**
 * The {@code _macronet.json} beside a dataset's Parquet files: what it is, how it was made
 * and a content checksum. Readers branch on {@link #formatVersion()}.
 *
 * <p>A pair dataset (one row per sample) has no {@code kind} and {@code fields == null}. The
 * stochastic-dynamics method's datasets name their kind ({@code ensemble}: one row per stored
 * snapshot; {@code states}: upsampled states; {@code patch-pairs}: partial-evolution pairs) and list
 * every column after {@code sample_id} and {@code seed} with its type in {@code fields}; their u
 * columns are the system's parameters, their v columns the observables, and their array columns
 * may hold int8 values.
 */
public record DatasetMetadata(int formatVersion, String system, long rows, List<String> uColumns,
                              List<String> vColumns, List<String> scalarColumns, String arrayColumn,
                              int[] arrayShape, String kernel, String codeVersion, String checksum,
                              String created, double seconds, Map<String, Object> configuration,
                              String kind, List<Field> fields, int snapshotsPerSample) {
  public static final String ENSEMBLE = "ensemble";
  public static final String STATES = "states";
  public static final String PATCH_PAIRS = "patch-pairs";

  /** A pair dataset's description. */
  public DatasetMetadata(int formatVersion, String system, long rows, List<String> uColumns, List<String> vColumns,
                         List<String> scalarColumns, String arrayColumn, int[] arrayShape, String kernel,
                         String codeVersion, String checksum, String created, double seconds,
                         Map<String, Object> configuration) {
    this(formatVersion, system, rows, uColumns, vColumns, scalarColumns, arrayColumn, arrayShape, kernel, codeVersion,
        checksum, created, seconds, configuration, null, null, 0);
  }

  /** Whether this is one of the stochastic-dynamics method's datasets (typed fields, a kind). */
  public boolean isEnsemble() {
    return kind != null;
  }

  public static final String FILE = "_macronet.json";
  public static final String FORMAT = "macronet-dataset";
  public static final int FORMAT_VERSION = 1;
  /** The version of a dataset with a {@code kind}: builds that read only version 1 refuse it instead of misreading it. */
  public static final int ENSEMBLE_FORMAT_VERSION = 2;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", formatVersion);
    root.put("system", system);
    root.put("rows", rows);
    if (isEnsemble()) {
      root.put("kind", kind);
      if (snapshotsPerSample > 0) {
        root.put("snapshots_per_sample", snapshotsPerSample);
      }
    }
    ObjectNode cols = root.putObject("columns");
    cols.putPOJO("u", uColumns);
    cols.putPOJO("v", vColumns);
    cols.putPOJO("scalar", scalarColumns);
    if (arrayColumn != null) {
      ObjectNode a = cols.putObject("array");
      a.put("name", arrayColumn);
      a.putPOJO("shape", arrayShape);
      a.put("dtype", arrayType());
      a.put("order", "row-major");
    }
    if (isEnsemble()) {
      com.fasterxml.jackson.databind.node.ArrayNode list = cols.putArray("fields");
      for (Field f : fields) {
        ObjectNode o = list.addObject();
        o.put("name", f.name());
        o.put("type", typeName(f.type()));
        if (f.type().isArray()) {
          o.putPOJO("shape", f.shape());
        }
      }
    }
    root.put("kernel", kernel);
    root.put("code_version", codeVersion);
    root.put("checksum", checksum);
    root.put("created", created);
    root.put("seconds", seconds);
    root.putPOJO("configuration", configuration);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot render dataset metadata", e);
    }
  }

  /** The element type of the array column: {@code float32}, or {@code int8} for an ensemble's byte array. */
  public String arrayType() {
    if (isEnsemble()) {
      for (Field f : fields) {
        if (f.name().equals(arrayColumn)) {
          return typeName(f.type()).replace("[]", "");
        }
      }
    }
    return "float32";
  }

  private static final Map<Field.Type, String> TYPE_NAMES = Map.of(Field.Type.INT, "int32", Field.Type.LONG, "int64",
      Field.Type.DOUBLE, "float64", Field.Type.BYTES, "int8[]", Field.Type.FLOATS, "float32[]");

  static String typeName(Field.Type t) {
    return TYPE_NAMES.get(t);
  }

  static Field.Type typeOf(String name, String where) {
    return TYPE_NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(where + ": unknown column type '" + name + "'"));
  }

  public static DatasetMetadata fromJson(String json, String where) {
    try {
      JsonNode root = JSON.readTree(json);
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new IllegalArgumentException(where + ": not a macronet dataset description (no \"format\": \"" + FORMAT + "\")");
      }
      int version = root.path("format_version").asInt(-1);
      if (version != FORMAT_VERSION && version != ENSEMBLE_FORMAT_VERSION) {
        throw new IllegalArgumentException(where + ": dataset format version " + version
            + " is not supported by this build (it reads versions " + FORMAT_VERSION + " and " + ENSEMBLE_FORMAT_VERSION
            + ")");
      }
      JsonNode cols = root.path("columns");
      JsonNode array = cols.path("array");
      @SuppressWarnings("unchecked")
      Map<String, Object> conf = JSON.convertValue(root.path("configuration"), Map.class);
      List<Field> fields = null;
      String kind = root.path("kind").isMissingNode() ? null : root.path("kind").asText();
      if (kind != null) {
        fields = new java.util.ArrayList<>();
        for (JsonNode f : cols.path("fields")) {
          Field.Type type = typeOf(f.path("type").asText(), where);
          fields.add(new Field(f.path("name").asText(), type,
              type.isArray() ? JSON.convertValue(f.path("shape"), int[].class) : new int[0]));
        }
      }
      return new DatasetMetadata(version, root.path("system").asText(), root.path("rows").asLong(),
          strings(cols.path("u")), strings(cols.path("v")), strings(cols.path("scalar")),
          array.isMissingNode() ? null : array.path("name").asText(),
          array.isMissingNode() ? null : JSON.convertValue(array.path("shape"), int[].class),
          root.path("kernel").asText(), root.path("code_version").asText(), root.path("checksum").asText(),
          root.path("created").asText(), root.path("seconds").asDouble(), conf, kind, fields,
          root.path("snapshots_per_sample").asInt(0));
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": corrupt dataset description: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode node) {
    return JSON.convertValue(node, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }

  public void write(FileSystem fs, Path datasetDir) throws IOException {
    try (OutputStream out = fs.create(new Path(datasetDir, FILE), false)) {
      out.write(toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Reads the description of the dataset in {@code datasetDir}, with an error naming the file when it is missing or corrupt. */
  public static DatasetMetadata read(FileSystem fs, Path datasetDir) throws IOException {
    Path file = new Path(datasetDir, FILE);
    if (!fs.exists(file)) {
      throw new IllegalArgumentException(file + ": missing; " + datasetDir + " is not a finished macronet dataset");
    }
    try (InputStream in = fs.open(file)) {
      return fromJson(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), file.toString());
    }
  }
}
