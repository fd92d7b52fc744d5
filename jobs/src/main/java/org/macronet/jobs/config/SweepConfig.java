package org.macronet.jobs.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.macronet.common.config.ConfigException;
import org.macronet.simulation.ensemble.EnsembleSystem;

/**
 * A sweep of trainings: the base configuration, and for each swept key ({@code sweep.train.seed
 * = [1, 2, 3]}, or a range {@code [1..10]}) its values. The runs are the Cartesian product of the
 * values, the first key varying slowest; each run is the base configuration with its values set,
 * written to {@code <output.dir>/sweep/runs/<name>} and trained on the one dataset at
 * {@code <output.dir>/dataset}. A sweep varies {@code train.*} and {@code design.*} keys only:
 * anything else would change the dataset.
 *
 * @param generate the dataset every run trains on
 * @param keys the swept keys, in key order
 * @param runs the runs, in sweep order
 */
public record SweepConfig(GenerateConfig generate, List<String> keys, List<Run> runs) {
  /** The folder under {@code output.dir} that holds the sweep's runs and its table. */
  public static final String DIR = "sweep";
  /** The folder under {@link #DIR} that holds one folder per run. */
  public static final String RUNS = "runs";
  /** The most runs one sweep holds. */
  public static final int MAX_RUNS = 10_000;

  /** Keys a run may not set: how it is trained is the sweep's business. */
  private static final Set<String> FIXED = Set.of("train.mode", "train.resume", "train.local-steps");

  /**
   * One run of the sweep.
   *
   * @param name its folder's name, from its values ({@code gamma=0.4_seed=3})
   * @param settings its swept keys and values
   * @param train its training configuration ({@code output.dir} its folder, resuming from its checkpoints)
   * @param design its design configuration
   */
  public record Run(String name, Map<String, Object> settings, TrainConfig train, DesignConfig design) {
    /** The run's configuration: generate, train and design keys, as a pipeline's manifest records them. */
    public Map<String, Object> resolved(GenerateConfig generate) {
      Map<String, Object> m = new LinkedHashMap<>(generate.resolved());
      m.putAll(train.resolved());
      m.putAll(design.resolved());
      m.keySet().removeIf(k -> k.startsWith("output."));
      return m;
    }
  }

  public SweepConfig {
    keys = List.copyOf(keys);
    runs = List.copyOf(runs);
  }

  /** The sweep's folder, {@code <output.dir>/sweep}. */
  public String dir() {
    return generate.outputDir() + "/" + DIR;
  }

  /**
   * Reads the {@code sweep.*} keys of {@code c} and checks every run's configuration, so that a
   * bad value is refused, naming the run and key, before anything runs.
   */
  public static SweepConfig from(ConfigLoader c) {
    ConfigException.require(!(Systems.createAny(c) instanceof EnsembleSystem), "system",
        "'" + c.string("system") + "' is a lattice system: a sweep trains the macrostate method on (u, v) pairs");
    Map<String, ConfigValue> swept = c.userValuesUnder(ConfigLoader.SWEEP_PREFIX);
    ConfigException.require(!swept.isEmpty(), "sweep", "names no key to sweep; give one as e.g. "
        + "--set sweep.train.seed=[1..10] or a block sweep { train.seed = [1, 2, 3] } in the file");
    Map<String, List<ConfigValue>> axes = new LinkedHashMap<>();
    long runs = 1;
    for (Map.Entry<String, ConfigValue> e : swept.entrySet()) {
      String key = e.getKey();
      String sweepKey = ConfigLoader.SWEEP_PREFIX + key;
      ConfigException.require(key.startsWith("train.") || key.startsWith("design."), sweepKey,
          "a sweep varies train.* and design.* keys on one dataset; " + key + " would change the dataset (run one "
              + "sweep per dataset)");
      ConfigException.require(!FIXED.contains(key), sweepKey, "the sweep trains each run in one task with the "
          + "single-JVM trainer, resuming from its checkpoints; " + key + " cannot vary");
      List<ConfigValue> values = values(sweepKey, e.getValue());
      axes.put(key, values);
      runs *= values.size();
      ConfigException.require(runs <= MAX_RUNS, "sweep", "gives more than " + MAX_RUNS + " runs");
    }
    GenerateConfig generate = GenerateConfig.from(c);
    List<String> keys = List.copyOf(axes.keySet());
    List<Run> out = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    int[] index = new int[keys.size()];
    for (long r = 0; r < runs; r++) {
      Map<String, ConfigValue> overrides = new LinkedHashMap<>();
      Map<String, Object> settings = new LinkedHashMap<>();
      for (int k = 0; k < keys.size(); k++) {
        ConfigValue v = axes.get(keys.get(k)).get(index[k]);
        overrides.put(keys.get(k), v);
        settings.put(keys.get(k), v.unwrapped());
      }
      String name = name(keys, settings);
      ConfigException.require(names.add(name), "sweep", "two runs would share the folder '" + name
          + "': give each value once");
      String dir = generate.outputDir() + "/" + DIR + "/" + RUNS + "/" + name;
      overrides.put("output.dir", ConfigValueFactory.fromAnyRef(dir, "sweep run"));
      overrides.put("train.resume", ConfigValueFactory.fromAnyRef(true, "sweep run"));
      if (c.string("train.mode").equals(TrainConfig.Mode.SPARK.configName())) {
        // each run trains in one task with the single-JVM trainer: its configuration says so
        overrides.put("train.mode", ConfigValueFactory.fromAnyRef(TrainConfig.Mode.JVM.configName(), "sweep run"));
      }
      ConfigLoader run = c.with(overrides);
      try {
        out.add(new Run(name, settings, TrainConfig.from(run), DesignConfig.from(run)));
      } catch (ConfigException bad) {
        throw new ConfigException(bad.key(), "in sweep run " + name + ": "
            + bad.getMessage().substring(bad.key().length() + 2));
      }
      for (int k = keys.size() - 1; k >= 0; k--) {
        if (++index[k] < axes.get(keys.get(k)).size()) {
          break;
        }
        index[k] = 0;
      }
    }
    return new SweepConfig(generate, keys, out);
  }

  /** A swept key's values: a non-empty list, or a range of integers written {@code "1..10"}. */
  private static List<ConfigValue> values(String key, ConfigValue v) {
    if (v.valueType() == ConfigValueType.STRING) {
      Matcher range = ConfigLoader.RANGE.matcher((String) v.unwrapped());
      if (range.matches()) {
        List<ConfigValue> out = new ArrayList<>();
        for (long i : ConfigLoader.integers(key, Long.parseLong(range.group(1)), Long.parseLong(range.group(2)))) {
          out.add(ConfigValueFactory.fromAnyRef(i, key));
        }
        return out;
      }
    }
    ConfigException.require(v.valueType() == ConfigValueType.LIST, key, "must be a list of values such as [0.4, 0.8] "
        + "or a range such as [1..10], found " + v.render(com.typesafe.config.ConfigRenderOptions.concise()));
    List<ConfigValue> out = new ArrayList<>((com.typesafe.config.ConfigList) v);
    ConfigException.require(!out.isEmpty(), key, "must hold at least one value, found []");
    return out;
  }

  /**
   * A run's folder name: {@code key=value} for each swept key, joined by {@code _}; a key is
   * shortened to its last part when that is unique among the swept keys. In each, characters other
   * than letters, digits, {@code .}, {@code -} and {@code =} become {@code -}; list values are
   * joined by {@code x}.
   */
  static String name(List<String> keys, Map<String, Object> settings) {
    List<String> parts = new ArrayList<>();
    for (String key : keys) {
      String last = key.substring(key.lastIndexOf('.') + 1);
      boolean unique = keys.stream().filter(k -> k.substring(k.lastIndexOf('.') + 1).equals(last)).count() == 1;
      Object v = settings.get(key);
      String value = v instanceof List<?> list ? String.join("x", list.stream().map(String::valueOf).toList())
          : String.valueOf(v);
      parts.add(((unique ? last : key) + "=" + value).replaceAll("[^A-Za-z0-9.=-]", "-"));
    }
    return String.join("_", parts);
  }
}
