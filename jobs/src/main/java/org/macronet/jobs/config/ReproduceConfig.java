package org.macronet.jobs.config;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.reproduce.Tolerance;
import org.macronet.jobs.reproduce.Tolerances;

/**
 * The {@code reproduce} settings of a pinned configuration ({@code conf/repro/<name>.conf}), keys under
 * {@code reproduce.}.
 *
 * @param name       the configuration's name: its file name without {@code .conf}
 * @param stages     what runs: the whole pipeline, or generation alone
 * @param runsDir    where each run gets its own fresh folder {@code <runsDir>/<name>-<UTC time>}
 * @param baseline   the baseline file (local)
 * @param tolerances per-metric tolerances ({@code reproduce.tolerance.<metric>.absolute|relative})
 */
public record ReproduceConfig(String name, Stages stages, String runsDir, File baseline, Tolerances tolerances) {
  public static final String TOLERANCE = "reproduce.tolerance";

  /** What a pinned run executes. */
  public enum Stages {
    /** generate, train, design and analyze: checks the dataset, the model weights and the metrics. */
    PIPELINE,
    /** generate only (a system whose training is too long to pin): the dataset checksum and row count. */
    GENERATE,
    /** generate, upsample and evolve (a spin lattice system): the three datasets' checksums and row counts. */
    LATTICE,
    /**
     * The learned-SDE method's whole pipeline (a spin lattice system): the lattice stages, both
     * SDEs, the direct runs, rollouts and analyze; the datasets', the models' and the direct runs'
     * checksums, and the relative MSE of each model.
     */
    SDE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public ReproduceConfig {
    ConfigException.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "--conf",
        "the pinned configuration's file name must be letters, digits, '_', '.' or '-' before .conf, found " + name);
    ConfigException.require(runsDir != null && !runsDir.isBlank(), "reproduce.runs-dir", "must not be empty");
  }

  public static ReproduceConfig from(ConfigLoader c, File confFile) {
    return from(c, confFile, Map.of());
  }

  /**
   * As {@link #from(ConfigLoader, File)}, the configuration's {@code reproduce.tolerance} entries
   * over {@code defaultTolerances} (the system's, same flat keys).
   */
  public static ReproduceConfig from(ConfigLoader c, File confFile, Map<String, Double> defaultTolerances) {
    ConfigException.require(confFile != null, "--conf",
        "reproduce needs a pinned configuration, e.g. --conf conf/repro/sho.conf");
    String file = confFile.getName();
    String name = file.endsWith(".conf") ? file.substring(0, file.length() - ".conf".length()) : file;
    String stagesValue = c.string("reproduce.stages");
    Stages stages = switch (stagesValue) {
      case "pipeline" -> Stages.PIPELINE;
      case "generate" -> Stages.GENERATE;
      case "lattice" -> Stages.LATTICE;
      case "sde" -> Stages.SDE;
      default -> throw new ConfigException("reproduce.stages", "must be pipeline, generate, lattice or sde, found '"
          + stagesValue + "'");
    };
    String baseline = c.string("reproduce.baseline");
    File baselineFile = baseline.isBlank()
        ? new File(new File(confFile.getParentFile(), "baselines"), name + ".json")
        : new File(baseline);
    return new ReproduceConfig(name, stages, c.string("reproduce.runs-dir"), baselineFile,
        tolerances(merged(defaultTolerances, c.numbersUnder(TOLERANCE))));
  }

  private static Map<String, Double> merged(Map<String, Double> defaults, Map<String, Double> configured) {
    Map<String, Double> m = new java.util.TreeMap<>(defaults);
    m.putAll(configured);
    return m;
  }

  /** {@code default.absolute -> 0.0, spearman_macro_u_energy.absolute -> 0.02, ...} to tolerances. */
  static Tolerances tolerances(Map<String, Double> values) {
    Map<String, double[]> parts = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : values.entrySet()) {
      String path = e.getKey();
      String key = TOLERANCE + "." + path;
      int dot = path.lastIndexOf('.');
      String which = dot < 0 ? path : path.substring(dot + 1);
      ConfigException.require(dot > 0 && (which.equals("absolute") || which.equals("relative")), key,
          "a tolerance is reproduce.tolerance.<metric or group>.absolute or .relative, found " + key);
      double v = e.getValue();
      ConfigException.require(v >= 0 && Double.isFinite(v), key, "must be a finite number >= 0, found " + v);
      double[] t = parts.computeIfAbsent(path.substring(0, dot), k -> new double[2]);
      t[which.equals("absolute") ? 0 : 1] = v;
    }
    double[] fallback = parts.remove(Tolerances.DEFAULT);
    Map<String, Tolerance> entries = new LinkedHashMap<>();
    parts.forEach((entry, t) -> entries.put(entry, new Tolerance(t[0], t[1])));
    return new Tolerances(fallback == null ? Tolerance.EXACT : new Tolerance(fallback[0], fallback[1]), entries);
  }

  /** The settings that decide what runs, for the configuration hash (tolerances and paths do not). */
  public Map<String, Object> resolved() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("reproduce.stages", stages.configName());
    return m;
  }
}
