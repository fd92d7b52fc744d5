package org.macronet.jobs.design;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.macronet.analysis.dynamics.Rotation;
import org.macronet.analysis.stats.Summary;
import org.macronet.common.random.SampleRandom;
import org.macronet.common.random.SampleSeeds;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.io.AtomicDirectory;
import org.macronet.jobs.model.ModelArtifact;
import org.macronet.jobs.train.PairDatasets;
import org.macronet.jobs.train.TrainJob;
import org.macronet.jobs.train.TrainedRun;
import org.macronet.systems.grayscott.GrayScottSystem;
import org.macronet.systems.linear.LinearDynamics;
import org.macronet.systems.oscillator.HarmonicOscillator;
import org.macronet.training.data.PairData;
import org.macronet.training.macronet.MacroNet;

/**
 * The {@code design} job: for target observations v* taken from the held-out rows, alpha =
 * m_v(v*), and designs u = f_u^{-1}([alpha, eps]) (and, for the linear system, v =
 * f_v^{-1}([alpha, eps])) with eps ~ N(0, T^2 I) keyed by (design.seed, target, design). Writes
 * {@code <run>/design/designs.parquet} and {@code metrics.json}.
 * <ul>
 *   <li>oscillator: targets are the held-out rows at evenly spaced energy quantiles; the score is
 *       std(r)/mean(r) of the designed (x0, p0), r = sqrt(x^2 + p^2) (a circle: 0);</li>
 *   <li>linear: {@code design.targets} anticlockwise and as many clockwise examples (held-out
 *       rows whose matrix rotates and whose trajectory turns at least {@code design.min-turn}
 *       radians, picked in sample-id order); designed matrices are simulated
 *       from a prior x_0 and their trajectories' turning sense compared with the example's, and
 *       designed trajectories are scored directly.</li>
 * </ul>
 */
public final class DesignJob {
  public static final String DESIGN = "design";
  private static final long X0_SALT = 0x78305f73616c74L;
  /** Linear dynamics: the least fraction of an example's designs that must turn its way. */
  public static final double LINEAR_BAR = 0.95;
  /** Oscillator: the largest std(r)/mean(r) of the designs at one fixed macrostate. */
  public static final double OSCILLATOR_CIRCLE_BAR = 0.1;

  private DesignJob() {}

  /** A designed sample. {@code u} or {@code v} is set, by kind; {@code score} is the system's score input. */
  public record Design(int targetId, String targetSense, long targetSampleId, float[] alpha, String kind, int designId,
      float[] u, float[] v, String sense) {}

  /**
   * One rotation sense's fractions of designs turning its way (designed matrices, simulated; designed
   * trajectories): averaged over its examples, and those of its worst example.
   */
  private record SenseFractions(double matrices, double trajectories, double worstMatrices,
      double worstTrajectories) {}

  public record Result(List<Design> designs, Map<String, Object> metrics, List<float[]> targetObservations,
      List<double[]> targetInitialStates) {}

  public static Result run(SparkSession spark, DesignConfig config, PrintStream log) throws IOException {
    return run(spark, config, null, log);
  }

  /** As {@link #run(SparkSession, DesignConfig, PrintStream)}, from {@code inputs} when not null (the pipeline's). */
  public static Result run(SparkSession spark, DesignConfig config, TrainedRun inputs, PrintStream log)
      throws IOException {
    Path run = new Path(config.outputDir());
    FileSystem fs = run.getFileSystem(spark.sparkContext().hadoopConfiguration());
    AtomicDirectory out = AtomicDirectory.prepare(fs, new Path(run, DESIGN), config.overwrite(), "output.overwrite");
    ModelArtifact sweepModel = inputs != null ? inputs.model() : ModelArtifact.read(fs, new Path(run, TrainJob.MODEL));
    if (sweepModel.system().equals(GrayScottSystem.NAME)) {
      // a sweep: targets are read and designs written on the executors, straight to the staging folder
      Result result = out.publishAfter(staging -> TuringSweep.run(spark, fs, staging, sweepModel,
          new Path(run, GenerateJob.DATASET), config, log));
      log.printf(Locale.ROOT, "design: -> %s; %s%n", fs.makeQualified(out.target()), result.metrics().get("summary"));
      return result;
    }
    TrainedRun in = inputs != null ? inputs : TrainedRun.load(spark, fs, run);
    ModelArtifact model = in.model();
    Result result = compute(model, in.heldOut(), config);
    out.publishAfter(staging -> {
      write(spark, fs, staging, model, result);
      return null;
    });
    log.printf(Locale.ROOT, "design: %d designs -> %s; %s%n", result.designs().size(), fs.makeQualified(out.target()),
        result.metrics().get("summary"));
    return result;
  }

  /** The designs and their scores, in memory (deterministic: the same inputs give the same designs). */
  public static Result compute(ModelArtifact model, PairDatasets.HeldOut heldOut, DesignConfig config) {
    return switch (model.system()) {
      case HarmonicOscillator.NAME -> oscillator(model, heldOut, config);
      case LinearDynamics.NAME -> linear(model, heldOut, config);
      default -> throw new IllegalArgumentException("design for system " + model.system()
          + " is not available in this version (oscillator and linear are)");
    };
  }

  private static float[] eps(long seed, int target, int design, int count, double temperature) {
    SampleRandom r = SampleSeeds.forSample(SampleSeeds.sampleSeed(seed, target), design);
    float[] e = new float[count];
    for (int i = 0; i < count; i++) {
      e[i] = (float) (temperature * r.nextGaussian());
    }
    return e;
  }

  private static float[] designBatch(MacroNet net, float[] params, boolean sideU, float[] alpha, int target, int samples,
      DesignConfig config) {
    return designBatch(net, params, sideU, alpha, target, samples, config.seed(), config.temperature());
  }

  /**
   * {@code samples} designs of u (or v) at macrostate {@code alpha}: f^{-1}([alpha, eps]) with eps
   * keyed by (seed, target, design); v's noise uses seed + 1.
   */
  static float[] designBatch(MacroNet net, float[] params, boolean sideU, float[] alpha, int target, int samples,
      long seed, double temperature) {
    int dim = sideU ? net.uDim() : net.vDim();
    int d = net.macroDim();
    float[] a = new float[samples * d];
    float[] e = new float[samples * (dim - d)];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(alpha, 0, a, s * d, d);
      System.arraycopy(eps(seed + (sideU ? 0 : 1), target, s, dim - d, temperature), 0, e,
          s * (dim - d), dim - d);
    }
    return sideU ? net.designU(params, a, e, samples) : net.designV(params, a, e, samples);
  }

  static Result oscillator(ModelArtifact model, PairDatasets.HeldOut heldOut, DesignConfig config) {
    MacroNet net = model.net();
    PairData held = heldOut.pairs();
    int n = held.rows();
    double[] energy = new double[n];
    for (int i = 0; i < n; i++) {
      double x = held.v()[2 * i];
      double p = held.v()[2 * i + 1];
      energy[i] = 0.5 * (x * x + p * p);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(energy[a], energy[b]));
    List<Design> designs = new ArrayList<>();
    List<float[]> targetsV = new ArrayList<>();
    List<Map<String, Object>> perTarget = new ArrayList<>();
    double worst = 0;
    for (int t = 0; t < config.targets(); t++) {
      int row = order[(int) ((t + 1.0) / (config.targets() + 1) * (n - 1))];
      float[] v = java.util.Arrays.copyOfRange(held.v(), 2 * row, 2 * row + 2);
      targetsV.add(v);
      float[] alpha = net.macrostatesV(model.params(), v, 1);
      float[] u = designBatch(net, model.params(), true, alpha, t, config.samples(), config);
      double[] r = new double[config.samples()];
      for (int s = 0; s < config.samples(); s++) {
        float[] us = java.util.Arrays.copyOfRange(u, 2 * s, 2 * s + 2);
        r[s] = Math.hypot(us[0], us[1]);
        designs.add(new Design(t, "", held.sampleIds()[row], alpha, "u", s, us, null, ""));
      }
      double cv = Summary.coefficientOfVariation(r);
      worst = Math.max(worst, cv);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("target_id", t);
      m.put("target_sample_id", held.sampleIds()[row]);
      m.put("target_energy", energy[row]);
      m.put("target_radius", Math.sqrt(2 * energy[row]));
      m.put("alpha_0", alpha[0]);
      m.put("mean_r", Summary.mean(r));
      m.put("std_r_over_mean_r", cv);
      perTarget.add(m);
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", HarmonicOscillator.NAME);
    metrics.put("targets", perTarget);
    metrics.put("max_std_r_over_mean_r", worst);
    metrics.put("bar_max_std_r_over_mean_r", OSCILLATOR_CIRCLE_BAR);
    metrics.put("summary", String.format(Locale.ROOT, "max std(r)/mean(r) over %d fixed macrostates = %.4f (bar <= %s)",
        config.targets(), worst, OSCILLATOR_CIRCLE_BAR));
    return new Result(designs, metrics, targetsV, List.of());
  }

  static Result linear(ModelArtifact model, PairDatasets.HeldOut heldOut, DesignConfig config) {
    MacroNet net = model.net();
    PairData held = heldOut.pairs();
    List<Design> designs = new ArrayList<>();
    List<float[]> targetsV = new ArrayList<>();
    List<double[]> targetsX0 = new ArrayList<>();
    List<Map<String, Object>> perTarget = new ArrayList<>();
    Map<String, SenseFractions> bySense = new LinkedHashMap<>();
    int targetId = 0;
    for (Rotation.Sense wanted : List.of(Rotation.Sense.ANTICLOCKWISE, Rotation.Sense.CLOCKWISE)) {
      int found = 0;
      double matrixHits = 0;
      double trajectoryHits = 0;
      double worstMatrices = 1;
      double worstTrajectories = 1;
      for (int i = 0; i < held.rows() && found < config.targets(); i++) {
        float[] m = java.util.Arrays.copyOfRange(held.u(), 4 * i, 4 * i + 4);
        Row row = heldOut.rows().get(i);
        double x0 = row.getDouble(row.fieldIndex("x0_1"));
        double y0 = row.getDouble(row.fieldIndex("x0_2"));
        float[] traj = java.util.Arrays.copyOfRange(held.v(), 16 * i, 16 * i + 16);
        if (Rotation.ofMatrix(m[0], m[1], m[2], m[3]) != wanted || Rotation.sense(x0, y0, traj) != wanted) {
          continue;
        }
        double turningAngle = Rotation.turningAngle(x0, y0, traj);
        if (Math.abs(turningAngle) < config.minTurn()) {
          continue;
        }
        int t = targetId++;
        found++;
        targetsV.add(traj);
        targetsX0.add(new double[] {x0, y0});
        float[] alpha = net.macrostatesV(model.params(), traj, 1);
        float[] us = designBatch(net, model.params(), true, alpha, t, config.samples(), config);
        float[] vs = designBatch(net, model.params(), false, alpha, t, config.samples(), config);
        int mHit = 0;
        int tHit = 0;
        for (int s = 0; s < config.samples(); s++) {
          float[] mu = java.util.Arrays.copyOfRange(us, 4 * s, 4 * s + 4);
          SampleRandom r = SampleSeeds.forSample(config.seed() ^ X0_SALT, (long) t * config.samples() + s);
          double sx = r.uniform(-1, 1);
          double sy = r.uniform(-1, 1);
          float[] simulated = new float[16];
          LinearDynamics.trajectory(mu[0], mu[1], mu[2], mu[3], sx, sy, simulated);
          Rotation.Sense su = Rotation.sense(sx, sy, simulated);
          mHit += su == wanted ? 1 : 0;
          designs.add(new Design(t, wanted.name().toLowerCase(Locale.ROOT), held.sampleIds()[i], alpha, "u", s, mu,
              simulated, su.name().toLowerCase(Locale.ROOT)));
          float[] tv = java.util.Arrays.copyOfRange(vs, 16 * s, 16 * s + 16);
          Rotation.Sense sv = Rotation.ofTrajectoryFromOrigin(tv);
          tHit += sv == wanted ? 1 : 0;
          designs.add(new Design(t, wanted.name().toLowerCase(Locale.ROOT), held.sampleIds()[i], alpha, "v", s, null, tv,
              sv.name().toLowerCase(Locale.ROOT)));
        }
        Map<String, Object> mt = new LinkedHashMap<>();
        mt.put("target_id", t);
        mt.put("target_sample_id", held.sampleIds()[i]);
        mt.put("sense", wanted.name().toLowerCase(Locale.ROOT));
        mt.put("target_turning_angle", turningAngle);
        double fm = (double) mHit / config.samples();
        double ft = (double) tHit / config.samples();
        mt.put("matrices_same_sense", fm);
        mt.put("trajectories_same_sense", ft);
        // the bar is per example: both kinds of design from this example must turn its way
        mt.put("meets_bar", fm >= LINEAR_BAR && ft >= LINEAR_BAR);
        perTarget.add(mt);
        worstMatrices = Math.min(worstMatrices, fm);
        worstTrajectories = Math.min(worstTrajectories, ft);
        matrixHits += (double) mHit / config.samples();
        trajectoryHits += (double) tHit / config.samples();
      }
      if (found == 0) {
        throw new IllegalArgumentException("no held-out " + wanted.name().toLowerCase(Locale.ROOT)
            + " example turning at least design.min-turn = " + config.minTurn()
            + " rad; generate more samples or lower design.min-turn");
      }
      bySense.put(wanted.name().toLowerCase(Locale.ROOT), new SenseFractions(matrixHits / found,
          trajectoryHits / found, worstMatrices, worstTrajectories));
    }
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("system", LinearDynamics.NAME);
    metrics.put("targets", perTarget);
    bySense.forEach((sense, f) -> {
      metrics.put(sense + "_matrices_same_sense", f.matrices());
      metrics.put(sense + "_trajectories_same_sense", f.trajectories());
    });
    // averaged over each sense's examples (kept as before); the bar is judged per example below
    metrics.put("min_fraction_same_sense", bySense.values().stream()
        .mapToDouble(f -> Math.min(f.matrices(), f.trajectories())).min().orElseThrow());
    metrics.put("bar_min_fraction_same_sense", LINEAR_BAR);
    bySense.forEach((sense, f) -> {
      metrics.put(sense + "_worst_example_matrices_same_sense", f.worstMatrices());
      metrics.put(sense + "_worst_example_trajectories_same_sense", f.worstTrajectories());
    });
    double worstExample = bySense.values().stream()
        .mapToDouble(f -> Math.min(f.worstMatrices(), f.worstTrajectories())).min().orElseThrow();
    metrics.put("worst_example_fraction_same_sense", worstExample);
    long met = perTarget.stream().filter(t -> (Boolean) t.get("meets_bar")).count();
    metrics.put("examples_meeting_bar", met);
    metrics.put("summary", String.format(Locale.ROOT, "%d of %d examples have at least %.0f%% of their designs "
            + "turning their way (matrices and trajectories); worst example %.3f; averaged by sense: anticlockwise "
            + "%.3f / %.3f, clockwise %.3f / %.3f", met, perTarget.size(), 100 * LINEAR_BAR, worstExample,
        bySense.get("anticlockwise").matrices(), bySense.get("anticlockwise").trajectories(),
        bySense.get("clockwise").matrices(), bySense.get("clockwise").trajectories()));
    return new Result(designs, metrics, targetsV, targetsX0);
  }

  private static void write(SparkSession spark, FileSystem fs, Path dir, ModelArtifact model, Result result)
      throws IOException {
    int d = model.net().macroDim();
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("target_id", DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField("design_id", DataTypes.IntegerType, false));
    fields.add(DataTypes.createStructField("target_sample_id", DataTypes.LongType, true));
    fields.add(DataTypes.createStructField("target_sense", DataTypes.StringType, false));
    for (int k = 0; k < d; k++) {
      fields.add(DataTypes.createStructField("alpha_" + k, DataTypes.DoubleType, false));
    }
    fields.add(DataTypes.createStructField("kind", DataTypes.StringType, false));
    List<String> uCols = model.uColumns();
    for (String c : uCols) {
      fields.add(DataTypes.createStructField(c, DataTypes.DoubleType, true));
    }
    boolean linear = LinearDynamics.NAME.equals(model.system());
    if (linear) {
      fields.add(DataTypes.createStructField("traj", DataTypes.createArrayType(DataTypes.FloatType, false), true));
      fields.add(DataTypes.createStructField("sense", DataTypes.StringType, false));
    }
    StructType schema = DataTypes.createStructType(fields);
    List<Row> rows = new ArrayList<>();
    for (Design g : result.designs()) {
      List<Object> vals = new ArrayList<>();
      vals.add(g.targetId());
      vals.add(g.designId());
      vals.add(g.targetSampleId());
      vals.add(g.targetSense());
      for (int k = 0; k < d; k++) {
        vals.add((double) g.alpha()[k]);
      }
      vals.add(g.kind());
      for (int c = 0; c < uCols.size(); c++) {
        vals.add(g.u() == null ? null : (double) g.u()[c]);
      }
      if (linear) {
        Float[] boxed = null;
        if (g.v() != null) {
          boxed = new Float[g.v().length];
          for (int i = 0; i < boxed.length; i++) {
            boxed[i] = g.v()[i];
          }
        }
        vals.add(boxed);
        vals.add(g.sense());
      }
      rows.add(RowFactory.create(vals.toArray()));
    }
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.ErrorIfExists)
        .parquet(new Path(dir, "designs.parquet").toString());
    try (OutputStream o = fs.create(new Path(dir, "metrics.json"), false)) {
      o.write(ModelArtifact.jsonBytes(result.metrics()));
    }
  }

}
