package org.macronet.jobs.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of a pinned run that {@code reproduce} compares, and the content of a baseline file
 * ({@code conf/repro/baselines/<name>.json}).
 *
 * @param name                the pinned configuration's name ({@code sho} for {@code conf/repro/sho.conf})
 * @param configurationSha256 SHA-256 of {@link #canonicalJson(Map) the canonical JSON} of {@code configuration}
 * @param configuration       the resolved configuration that decides the results (no output paths)
 * @param platform            the {@link Platform} fingerprint of the JVM that trained
 * @param checksums           {@code dataset} (content checksum) and, after training, {@code model} (weights)
 * @param metrics             flat metric name to number or boolean, e.g. {@code design.max_std_r_over_mean_r}
 * @param context             for reading only, never compared: code version, simulation kernel, ...
 */
public record RunSummary(String name, String configurationSha256, Map<String, Object> configuration,
    Map<String, String> platform, Map<String, String> checksums, Map<String, Object> metrics,
    Map<String, String> context) {
  public static final String FORMAT = "macronet-reproduce-baseline";
  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  public RunSummary {
    configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    platform = Collections.unmodifiableMap(new LinkedHashMap<>(platform));
    checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    context = Collections.unmodifiableMap(new LinkedHashMap<>(context));
  }

  /** A summary whose configuration hash is computed from {@code configuration}. */
  public static RunSummary of(String name, Map<String, Object> configuration, Map<String, String> platform,
      Map<String, String> checksums, Map<String, Object> metrics, Map<String, String> context) {
    return new RunSummary(name, sha256(canonicalJson(configuration)), configuration, platform, checksums, metrics,
        context);
  }

  /** The configuration as compact JSON with keys sorted at every level: the bytes that are hashed. */
  public static byte[] canonicalJson(Map<String, Object> configuration) {
    try {
      return CANONICAL.writeValueAsBytes(new TreeMap<>(configuration));
    } catch (IOException e) {
      throw new IllegalStateException("cannot render the configuration as JSON", e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /**
   * The numbers and booleans of a metrics tree (maps, lists, values) as flat dotted names in
   * tree order: {@code {"design": {"targets": [{"mean_r": 0.5}]}}} gives {@code design.targets.0.mean_r}.
   * Text is left out (summaries repeat the numbers), except the JSON spellings of NaN and the infinities.
   */
  public static Map<String, Object> flatten(Object tree) {
    Map<String, Object> out = new LinkedHashMap<>();
    flatten("", JSON.valueToTree(tree), out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Object> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        flatten(prefix.isEmpty() ? String.valueOf(i) : prefix + "." + i, node.get(i), out);
      }
    } else if (node.isIntegralNumber()) {
      out.put(prefix, node.longValue());
    } else if (node.isNumber()) {
      out.put(prefix, node.doubleValue());
    } else if (node.isBoolean()) {
      out.put(prefix, node.booleanValue());
    } else if (node.isTextual() && special(node.textValue()) != null) {
      out.put(prefix, special(node.textValue()));
    }
  }

  private static Double special(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "Infinity" -> Double.POSITIVE_INFINITY;
      case "-Infinity" -> Double.NEGATIVE_INFINITY;
      default -> null;
    };
  }

  /** The baseline file's JSON; {@code written} is when, for the reader. */
  public byte[] toJson(String written) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("format_version", FORMAT_VERSION);
    root.put("name", name);
    root.put("written", written);
    root.put("configuration_sha256", configurationSha256);
    root.set("configuration", JSON.valueToTree(new TreeMap<>(configuration)));
    root.set("platform", JSON.valueToTree(platform));
    root.set("checksums", JSON.valueToTree(checksums));
    root.set("metrics", JSON.valueToTree(metrics));
    root.set("context", JSON.valueToTree(context));
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot render the baseline", e);
    }
  }

  /**
   * Reads a baseline file's content; {@code where} names it in errors. The configuration hash is
   * read as written (not recomputed), so an edited hash shows as drift.
   */
  public static RunSummary fromJson(byte[] json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot read: " + e.getMessage());
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException(where + ": not a macronet reproduce baseline (no \"format\": \"" + FORMAT
          + "\")");
    }
    int version = root.path("format_version").asInt(-1);
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(where + ": baseline format_version " + version + " is not supported (this "
          + "version reads " + FORMAT_VERSION + ")");
    }
    for (String field : new String[] {"configuration_sha256", "configuration", "platform", "checksums", "metrics"}) {
      if (root.path(field).isMissingNode()) {
        throw new IllegalArgumentException(where + ": baseline field \"" + field + "\" is missing");
      }
    }
    return new RunSummary(root.path("name").asText(), root.path("configuration_sha256").asText(),
        objectMap(root.path("configuration")), strings(root.path("platform")), strings(root.path("checksums")),
        flatten(JSON.convertValue(root.path("metrics"), Object.class)), strings(root.path("context")));
  }

  private static Map<String, Object> objectMap(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
    return out;
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }
}
