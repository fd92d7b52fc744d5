package org.macronet.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.macronet.common.config.ConfigException;
import org.macronet.common.config.Settings;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.SystemRegistry;
import org.macronet.simulation.prior.PriorEntry;

/**
 * Reads a job configuration: the file given with {@code --conf} (HOCON, e.g.
 * {@code conf/sho.conf}), then each {@code --set key=value} on top, over the embedded
 * defaults ({@code macronet-defaults.conf}, and each system plugin's for its own keys, see
 * {@link SystemProvider#defaultsResource()}). Every key must be one the defaults know, a
 * {@code prior.<name>}, a {@code reproduce.tolerance.<metric>.absolute|relative} or a
 * {@code spark.*} pass-through; anything else is refused naming the key.
 *
 * <p>Spark's keys are flat names, several of which are also the start of others
 * ({@code spark.authenticate} and {@code spark.authenticate.secret}). In HOCON the second
 * would silently replace the first with a section, so a {@code --set spark.*} value is kept
 * verbatim, as a string beside the HOCON configuration, as Spark reads it. In a configuration
 * file such keys must be quoted ({@code "spark.authenticate" = true}).
 *
 * <p>This class only parses and type-checks; the job records validate ranges in their
 * constructors, so a programmatic configuration goes through the same checks.
 */
public final class ConfigLoader implements Settings {
  private static final String DEFAULTS = "macronet-defaults.conf";
  /** Tolerances of reproduce, one entry per metric or group of metrics, so their names are open. */
  private static final String TOLERANCE_PREFIX = "reproduce.tolerance.";
  private static final String SPARK_PREFIX = "spark.";
  /** A sweep's settings: lists of values for other keys ({@code sweep.train.seed = [1, 2, 3]}). */
  public static final String SWEEP_PREFIX = "sweep.";
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  private final Config user;
  private final Config merged;
  private final Set<String> known;
  /** The {@code --set spark.*} values, verbatim, in the order given. */
  private final Map<String, String> sparkSets;

  private ConfigLoader(Config user, Map<String, String> sparkSets) {
    Config defaults = defaults();
    this.user = user;
    this.sparkSets = sparkSets;
    this.merged = user.withFallback(defaults).resolve();
    this.known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(e.getKey());
    }
    checkKeys();
  }

  /** The embedded defaults, then each system plugin's and each contributed command's for its own keys. */
  private static Config defaults() {
    Config defaults = ConfigFactory.parseResources(ConfigLoader.class, "/" + DEFAULTS,
        ConfigParseOptions.defaults().setAllowMissing(false));
    for (SystemProvider p : SystemRegistry.all().values()) {
      defaults = withPlugin(defaults, p.getClass(), p.defaultsResource());
    }
    for (org.macronet.jobs.cli.Command c : org.macronet.jobs.cli.Command.all().values()) {
      defaults = withPlugin(defaults, c.getClass(), c.defaultsResource());
    }
    return defaults;
  }

  private static Config withPlugin(Config defaults, Class<?> plugin, String resource) {
    return resource == null ? defaults : defaults.withFallback(ConfigFactory.parseResources(plugin, resource,
        ConfigParseOptions.defaults().setAllowMissing(false)));
  }

  /**
   * @param confFile the configuration file, or {@code null} for the defaults alone
   * @param sets     {@code key=value} overrides, applied in order
   */
  public static ConfigLoader load(File confFile, List<String> sets) {
    Config user = ConfigFactory.empty();
    if (confFile != null) {
      if (!confFile.isFile()) {
        throw new ConfigException("--conf", "no such file: " + confFile);
      }
      try {
        user = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException("--conf", "cannot parse " + confFile + ": " + e.getMessage());
      }
    }
    Map<String, String> sparkSets = new LinkedHashMap<>();
    for (String set : sets) {
      String key = setKey(set);
      if (key.startsWith(SPARK_PREFIX)) {
        sparkSets.put(key, set.substring(set.indexOf('=') + 1).trim());
      } else {
        user = parseSet(set).withFallback(user);
      }
    }
    return new ConfigLoader(user, sparkSets);
  }

  /** The key of {@code key=value}, refused unless it is a dotted name. */
  private static String setKey(String set) {
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set", "expected KEY=VALUE, found '" + set + "'");
    }
    String key = set.substring(0, eq).trim();
    if (!key.matches("[A-Za-z0-9_.-]+") || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
      throw new ConfigException("--set", "malformed key '" + key + "' in '" + set + "'");
    }
    return key;
  }

  /** {@code key=value}: lists, objects, numbers and booleans as HOCON, anything else as a plain string. */
  static Config parseSet(String set) {
    String key = setKey(set);
    String raw = set.substring(set.indexOf('=') + 1).trim();
    Object value;
    java.util.regex.Matcher range = RANGE.matcher(raw);
    if (key.startsWith(SWEEP_PREFIX) && range.matches()) {
      return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromIterable(
          integers(key, Long.parseLong(range.group(1)), Long.parseLong(range.group(2))), "--set " + key));
    }
    if (raw.startsWith("[") || raw.startsWith("{")) {
      try {
        return ConfigFactory.parseString(key + " = " + raw);
      } catch (com.typesafe.config.ConfigException e) {
        throw new ConfigException(key, "cannot parse value '" + raw + "': " + e.getMessage());
      }
    } else if (NUMBER.matcher(raw).matches()) {
      value = raw.matches("[-+]?\\d+") ? (Object) Long.parseLong(raw) : (Object) Double.parseDouble(raw);
    } else if (raw.equals("true") || raw.equals("false")) {
      value = Boolean.parseBoolean(raw);
    } else {
      value = raw;
    }
    return ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value, "--set " + key));
  }

  /** A sweep's range of integers, {@code [1..10]} or {@code 1..10}, both ends included. */
  public static final Pattern RANGE = Pattern.compile("\\[?\\s*(-?\\d+)\\s*\\.\\.\\s*(-?\\d+)\\s*]?");

  /** The integers from {@code from} to {@code to}, both included; at most 10,000 of them. */
  public static List<Long> integers(String key, long from, long to) {
    if (to < from || to - from >= 10_000) {
      throw new ConfigException(key, "a range from " + from + " to " + to + " must run upwards over at most 10,000 "
          + "values");
    }
    List<Long> out = new ArrayList<>();
    for (long v = from; v <= to; v++) {
      out.add(v);
    }
    return out;
  }

  private void checkKeys() {
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("prior.") || flat(key).startsWith(SPARK_PREFIX) || key.startsWith(TOLERANCE_PREFIX)
          || key.startsWith(SWEEP_PREFIX)) {
        continue;
      }
      if (!known.contains(key)) {
        throw new ConfigException(key, "unknown key" + suggestion(key));
      }
    }
  }

  private String suggestion(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = editDistance(k, key);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return best != null && bestDistance <= 3 ? "; did you mean " + best + "?" : "";
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /**
   * The values the user's file and {@code --set}s give under {@code prefix} (e.g. {@code sweep.}),
   * by key without the prefix, in key order.
   */
  public Map<String, ConfigValue> userValuesUnder(String prefix) {
    Map<String, ConfigValue> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return out;
  }

  /**
   * This configuration with {@code overrides} on top (keys as in the file), checked like the
   * file's keys; the {@code --set spark.*} values are kept.
   */
  public ConfigLoader with(Map<String, ConfigValue> overrides) {
    Config top = ConfigFactory.empty();
    for (Map.Entry<String, ConfigValue> e : overrides.entrySet()) {
      top = top.withValue(e.getKey(), e.getValue());
    }
    return new ConfigLoader(top.withFallback(user), sparkSets);
  }

  /** Whether the key has a value, from the user or the defaults. */
  public boolean has(String key) {
    return merged.hasPath(key);
  }

  /** Whether the user's file or {@code --set} gave this key (rather than the defaults). */
  public boolean isSetByUser(String key) {
    return user.hasPath(key);
  }

  public String string(String key) {
    ConfigValue v = value(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw new ConfigException(key, "must be a string, found " + render(v));
    }
    return String.valueOf(v.unwrapped());
  }

  public long longValue(String key) {
    ConfigValue v = value(key);
    Object o = v.unwrapped();
    if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 9.0e18) {
      return n.longValue();
    }
    if (o instanceof String s && s.trim().matches("[-+]?\\d+")) {
      return Long.parseLong(s.trim());
    }
    throw new ConfigException(key, "must be an integer, found " + render(v));
  }

  public int intValue(String key) {
    long v = longValue(key);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new ConfigException(key, "must fit in a 32-bit integer, found " + v);
    }
    return (int) v;
  }

  public double doubleValue(String key) {
    ConfigValue v = value(key);
    Object o = v.unwrapped();
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    if (o instanceof String s && NUMBER.matcher(s.trim()).matches()) {
      return Double.parseDouble(s.trim());
    }
    throw new ConfigException(key, "must be a number, found " + render(v));
  }

  /** A list of integers, e.g. {@code train.hidden = [64, 64]}. */
  public int[] intList(String key) {
    ConfigValue v = value(key);
    if (v.valueType() != ConfigValueType.LIST) {
      throw new ConfigException(key, "must be a list of integers like [64, 64], found " + render(v));
    }
    List<?> items = (List<?>) v.unwrapped();
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      Object o = items.get(i);
      if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
        throw new ConfigException(key, "must be a list of integers, found " + render(v));
      }
      out[i] = n.intValue();
    }
    return out;
  }

  /** A non-empty list of numbers, e.g. {@code direct.starts = [0, 0.25]}. */
  public double[] doubleList(String key) {
    ConfigValue v = value(key);
    String expected = "must be a non-empty list of numbers like [0, 0.25], found " + render(v);
    if (v.valueType() != ConfigValueType.LIST || ((List<?>) v.unwrapped()).isEmpty()) {
      throw new ConfigException(key, expected);
    }
    List<Double> xs = numbers(key, (List<?>) v.unwrapped(), expected);
    double[] out = new double[xs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = xs.get(i);
      ConfigException.require(Double.isFinite(out[i]), key, expected);
    }
    return out;
  }

  public boolean booleanValue(String key) {
    ConfigValue v = value(key);
    Object o = v.unwrapped();
    if (o instanceof Boolean b) {
      return b;
    }
    if (o instanceof String s && (s.equals("true") || s.equals("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException(key, "must be true or false, found " + render(v));
  }

  /**
   * The {@code prior.*} entries the user gave, by parameter name: a number, a
   * {@code [lo, hi]} range, or {@code {grid: [lo, hi, count]}}.
   */
  public Map<String, PriorEntry> priorOverrides() {
    Map<String, PriorEntry> out = new LinkedHashMap<>();
    if (!user.hasPath("prior")) {
      return out;
    }
    ConfigValue priorValue = user.root().get("prior");
    if (!(priorValue instanceof ConfigObject prior)) {
      throw new ConfigException("prior", "must be a section of parameter entries, found " + render(priorValue));
    }
    for (String name : new TreeSet<>(prior.keySet())) {
      String key = "prior." + name;
      out.put(name, priorEntry(key, prior.get(name)));
    }
    return out;
  }

  static PriorEntry priorEntry(String key, ConfigValue v) {
    String expected = "must be a number, a [lo, hi] range or {grid: [lo, hi, count]}, found " + render(v);
    try {
      switch (v.valueType()) {
        case NUMBER:
          return new PriorEntry.Fixed(((Number) v.unwrapped()).doubleValue());
        case LIST: {
          List<Double> xs = numbers(key, (List<?>) v.unwrapped(), expected);
          if (xs.size() != 2) {
            throw new ConfigException(key, expected);
          }
          return new PriorEntry.Uniform(xs.get(0), xs.get(1));
        }
        case OBJECT: {
          ConfigObject o = (ConfigObject) v;
          if (o.keySet().size() != 1 || !o.containsKey("grid") || o.get("grid").valueType() != ConfigValueType.LIST) {
            throw new ConfigException(key, expected);
          }
          List<Double> xs = numbers(key, (List<?>) o.get("grid").unwrapped(), expected);
          if (xs.size() != 3 || xs.get(2) != Math.rint(xs.get(2))) {
            throw new ConfigException(key, "a grid is [lo, hi, count] with an integer count, found " + render(v));
          }
          return new PriorEntry.Grid(xs.get(0), xs.get(1), (int) Math.round(xs.get(2)));
        }
        default:
          throw new ConfigException(key, expected);
      }
    } catch (ConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, e.getMessage());
    }
  }

  private static List<Double> numbers(String key, List<?> list, String expected) {
    List<Double> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof Number n)) {
        throw new ConfigException(key, expected);
      }
      out.add(n.doubleValue());
    }
    return out;
  }

  /**
   * Every number under {@code prefix} (defaults and user keys), by the rest of its dotted path in
   * sorted order: {@code numbersUnder("reproduce.tolerance")} gives {@code default.absolute -> 0.0}, ...
   * A value that is not a number is refused naming its key.
   */
  public Map<String, Double> numbersUnder(String prefix) {
    Map<String, Double> out = new java.util.TreeMap<>();
    if (!merged.hasPath(prefix)) {
      return out;
    }
    ConfigValue section = merged.getValue(prefix);
    if (!(section instanceof ConfigObject)) {
      throw new ConfigException(prefix, "must be a section, found " + render(section));
    }
    for (Map.Entry<String, ConfigValue> e : merged.getConfig(prefix).entrySet()) {
      String rest = String.join(".", com.typesafe.config.ConfigUtil.splitPath(e.getKey()));
      String key = prefix + "." + rest;
      Object o = e.getValue().unwrapped();
      if (o instanceof Number n) {
        out.put(rest, n.doubleValue());
      } else if (o instanceof String s && NUMBER.matcher(s.trim()).matches()) {
        out.put(rest, Double.parseDouble(s.trim()));
      } else {
        throw new ConfigException(key, "must be a number, found " + render(e.getValue()));
      }
    }
    return out;
  }

  /**
   * The {@code spark.*} pass-through settings, for the Spark session: the configuration file's,
   * then the {@code --set} ones over them.
   */
  public Map<String, String> sparkSettings() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      String key = flat(e.getKey());
      if (key.startsWith(SPARK_PREFIX)) {
        out.put(key, String.valueOf(e.getValue().unwrapped()));
      }
    }
    out.putAll(sparkSets);
    return out;
  }

  /** A HOCON path as a flat name: {@code "spark.authenticate"} and {@code spark.authenticate} both as {@code spark.authenticate}. */
  private static String flat(String path) {
    return String.join(".", com.typesafe.config.ConfigUtil.splitPath(path));
  }

  private ConfigValue value(String key) {
    if (!merged.hasPath(key)) {
      throw new ConfigException(key, "missing");
    }
    return merged.getValue(key);
  }

  private static String render(ConfigValue v) {
    String s = v.render(com.typesafe.config.ConfigRenderOptions.concise());
    return v.valueType() == ConfigValueType.STRING ? "'" + v.unwrapped() + "'" : s;
  }
}
