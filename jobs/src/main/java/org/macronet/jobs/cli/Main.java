package org.macronet.jobs.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.macronet.common.config.ConfigException;
import org.macronet.jobs.SparkSessions;
import org.macronet.jobs.analyze.AnalyzeJob;
import org.macronet.jobs.config.ConfigLoader;
import org.macronet.jobs.config.DesignConfig;
import org.macronet.jobs.config.EvolveConfig;
import org.macronet.jobs.config.GenerateConfig;
import org.macronet.jobs.config.TrainConfig;
import org.macronet.jobs.config.SdeConfig;
import org.macronet.jobs.config.StationaryConfig;
import org.macronet.jobs.config.SweepConfig;
import org.macronet.jobs.config.Systems;
import org.macronet.jobs.config.UpsampleConfig;
import org.macronet.jobs.design.DesignJob;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.inspect.Inspect;
import org.macronet.jobs.lattice.EvolveJob;
import org.macronet.jobs.lattice.UpsampleJob;
import org.macronet.jobs.pipeline.PipelineJob;
import org.macronet.jobs.reproduce.ReproduceJob;
import org.macronet.jobs.sde.ClosureJob;
import org.macronet.jobs.sde.DirectJob;
import org.macronet.jobs.sde.EncodeJob;
import org.macronet.jobs.sde.LatticePipeline;
import org.macronet.jobs.sde.RolloutJob;
import org.macronet.jobs.sde.StationaryJob;
import org.macronet.jobs.sde.SdeAnalyzeJob;
import org.macronet.jobs.sde.SdeTrainJob;
import org.macronet.simulation.ensemble.EnsembleSystem;
import org.macronet.jobs.sweep.SweepJob;
import org.macronet.jobs.sweep.SweepTable;
import org.macronet.jobs.train.TrainJob;

/**
 * The {@code macronet} command line. Exit status: 0 on success, 2 for a bad command line
 * or configuration, 1 for a failure while running; the reason is one line on stderr.
 */
public final class Main {
  static final String USAGE = """
      usage: macronet <command> [--conf FILE] [--set KEY=VALUE]... [--master URL]

      commands:
        generate   simulate (u, v) pairs, or trajectories of a lattice system, and write
                   <output.dir>/dataset as Parquet
        upsample   lattice systems: states of a larger lattice from the dataset's snapshots,
                   <output.dir>/upsampled
        evolve     lattice systems: partial-evolution pairs from <output.dir>/upsampled (or the
                   dataset), <output.dir>/pairs
        direct     lattice systems: runs of the large lattice from fixed initial magnetisations,
                   the truth a learned SDE is judged against, <output.dir>/direct
        closure    lattice systems: the closure autoencoder on the upsampled states, <output.dir>/closure
        encode     lattice systems: the learned closure of the pairs and direct runs, <output.dir>/encoded
        rollout    lattice systems: Euler-Maruyama paths of the learned SDE from the direct runs'
                   initial states, <output.dir>/rollouts/sde (sde-naive with sde.naive=true)
        stationary spin systems: long paths of the learned SDE and the stationary moments of m
                   (susceptibility, Binder cumulant), <output.dir>/stationary/sde/stationary.json
        inspect    describe a dataset: macronet inspect <run dir or dataset dir> [--verify]
        train      train MacroNet on <output.dir>/dataset, writing <output.dir>/model; for a
                   lattice system the SDE on <output.dir>/pairs, writing <output.dir>/sde
        design     design microstates at target macrostates: <output.dir>/design
        analyze    macrostates, science bars and a report: <output.dir>/analysis, <output.dir>/report;
                   for a lattice system the SDEs against the direct runs, <output.dir>/analysis
        pipeline   generate, train, design and analyze in one go (+ <output.dir>/manifest.json); for
                   a lattice system generate, upsample, evolve, direct, closure and encode,
                   train (both SDEs), rollout and analyze
        sweep      many trainings on one dataset as one Spark job, then design and analysis of each
                   and one table: macronet sweep --conf FILE --set sweep.train.seed=[1..10]
                   [--set sweep.train.gamma=[0.4,0.8]]; <output.dir>/sweep/index.html
                   exit status 1 when a run failed (the others are kept; rerun to retry it)
        reproduce  rerun a pinned configuration and compare it with its baseline:
                   macronet reproduce --conf conf/repro/NAME.conf [--update-baseline]
                   exit status 0: matches the baseline, 1: drift, 2: usage or configuration error
      %s

      --conf FILE        a job configuration (see conf/*.conf)
      --set KEY=VALUE    override one key, e.g. --set generate.samples=100 --set prior.F=[0.03,0.05]
      --master URL       Spark master (default local[*]; e.g. spark://host:7077)
      """;

  static final String UPDATE_BASELINE = "--update-baseline";

  /** A job of the learned-SDE method, run with its settings. */
  @FunctionalInterface
  private interface SdeJob {
    void run(SparkSession spark, SdeConfig config, PrintStream log) throws java.io.IOException;
  }

  /** The learned-SDE method's jobs by command; train and analyze only for a lattice system. */
  private static final java.util.Map<String, SdeJob> SDE_JOBS = java.util.Map.of("direct", DirectJob::run,
      "closure", ClosureJob::run, "encode", EncodeJob::run, "train", SdeTrainJob::run, "rollout", RolloutJob::run,
      "analyze", SdeAnalyzeJob::run);

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    // In YARN cluster mode the ApplicationMaster runs this method and marks any System.exit,
    // even exit(0), as a failed application; there a clean return is the success signal.
    if (status == 0 && System.getProperty(SparkSessions.YARN_APP_ID) != null) {
      return;
    }
    System.exit(status);
  }

  /** A job whose configuration has been read, run on the session the command line starts. */
  private interface SparkJob {
    void run(SparkSession spark) throws java.io.IOException;
  }

  /** Runs a command and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    try {
      CommandLine cl = CommandLine.parse(args);
      switch (cl.command()) {
        case "help", "--help", "-h" -> {
          out.print(usage());
          return 0;
        }
        case "generate" -> {
          ConfigLoader loader = ConfigLoader.load(cl.conf(), cl.sets());
          GenerateConfig config = GenerateConfig.from(loader);
          try (SparkSession spark = SparkSessions.create("macronet generate", cl.master(), loader.sparkSettings())) {
            GenerateJob.run(spark, config, out);
          }
          return 0;
        }
        case "train", "design", "analyze", "pipeline", "upsample", "evolve", "direct", "rollout", "closure", "encode",
            "stationary" -> {
          ConfigLoader loader = ConfigLoader.load(cl.conf(), cl.sets());
          // the configuration is checked before Spark starts: an error takes no cluster resources
          boolean ensemble = Systems.createAny(loader) instanceof EnsembleSystem;
          SparkJob job = switch (ensemble ? "sde-" + cl.command() : cl.command()) {
            case "sde-train", "sde-analyze", "direct", "sde-direct", "rollout", "sde-rollout", "closure",
                "sde-closure", "encode", "sde-encode" -> {
              SdeConfig sde = SdeConfig.from(loader);
              SdeJob sdeJob = SDE_JOBS.get(cl.command());
              yield spark -> sdeJob.run(spark, sde, out);
            }
            case "sde-pipeline" -> {
              GenerateConfig generate = GenerateConfig.from(loader);
              UpsampleConfig upsample = UpsampleConfig.from(loader);
              EvolveConfig evolve = EvolveConfig.from(loader);
              SdeConfig sde = SdeConfig.from(loader);
              yield spark -> LatticePipeline.run(spark, generate, upsample, evolve, sde, out);
            }
            case "sde-upsample", "upsample" -> {
              UpsampleConfig upsample = UpsampleConfig.from(loader);
              yield spark -> UpsampleJob.run(spark, upsample, out);
            }
            case "sde-evolve", "evolve" -> {
              EvolveConfig evolve = EvolveConfig.from(loader);
              yield spark -> EvolveJob.run(spark, evolve, out);
            }
            case "train" -> {
              TrainConfig train = TrainConfig.from(loader);
              yield spark -> TrainJob.run(spark, train, out);
            }
            case "design" -> {
              DesignConfig design = DesignConfig.from(loader);
              yield spark -> DesignJob.run(spark, design, out);
            }
            case "analyze" -> {
              DesignConfig design = DesignConfig.from(loader);
              yield spark -> AnalyzeJob.run(spark, design, out);
            }
            case "sde-stationary" -> {
              SdeConfig sde = SdeConfig.from(loader);
              StationaryConfig stationary = StationaryConfig.from(loader);
              yield spark -> StationaryJob.run(spark, sde, stationary, out);
            }
            case "stationary" -> throw new ConfigException("system", "'" + loader.string("system")
                + "' is not a lattice system: stationary runs the learned SDE of a spin system");
            case "sde-design" -> throw new ConfigException("system", "'" + loader.string("system")
                + "' is a lattice system: design applies to the macrostate method's (u, v) pairs");
            default -> {
              GenerateConfig generate = GenerateConfig.from(loader);
              TrainConfig train = TrainConfig.from(loader);
              DesignConfig design = DesignConfig.from(loader);
              yield spark -> PipelineJob.run(spark, generate, train, design, out);
            }
          };
          try (SparkSession spark = SparkSessions.create("macronet " + cl.command(), cl.master(), loader.sparkSettings())) {
            job.run(spark);
          }
          return 0;
        }
        case "sweep" -> {
          ConfigLoader loader = ConfigLoader.load(cl.conf(), cl.sets());
          SweepConfig sweep = SweepConfig.from(loader);
          SweepJob.Result result;
          try (SparkSession spark = SparkSessions.create("macronet sweep", cl.master(), loader.sparkSettings())) {
            result = SweepJob.run(spark, sweep, out);
          }
          if (result.failed() > 0) {
            err.println("macronet: sweep: " + result.failed() + " of " + result.runs().size() + " runs failed (see "
                + result.dir() + "/" + SweepTable.CSV + "); run the sweep again to retry them");
            return 1;
          }
          return 0;
        }
        case "inspect" -> {
          return Inspect.run(cl, out);
        }
        case "reproduce" -> {
          return reproduce(cl, out, err);
        }
        default -> {
          Command contributed = Command.all().get(cl.command());
          if (contributed != null) {
            return contributed.run(cl, out);
          }
          err.println("macronet: unknown command '" + cl.command() + "'; run 'macronet help' for the commands");
          return 2;
        }
      }
    } catch (ConfigException e) {
      err.println("macronet: configuration error: " + e.getMessage());
      return 2;
    } catch (Exception | Error e) {
      err.println("macronet: failed: " + reason(e));
      if (System.getenv("MACRONET_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("macronet: (set MACRONET_DEBUG=1 for the stack trace)");
      }
      return 1;
    }
  }

  /**
   * {@code reproduce --conf FILE [--update-baseline]}: 0 when the run matches its baseline (or was
   * written as the new one), 1 on drift, with a one-line reason on stderr.
   */
  static int reproduce(CommandLine cl, PrintStream out, PrintStream err) throws java.io.IOException {
    for (String flag : cl.flags()) {
      if (!flag.equals(UPDATE_BASELINE)) {
        throw new ConfigException(flag, "unknown option of reproduce; usage: macronet reproduce --conf "
            + "conf/repro/NAME.conf [--update-baseline] [--set KEY=VALUE]... [--master URL]");
      }
    }
    if (!cl.arguments().isEmpty()) {
      throw new ConfigException("reproduce", "takes no arguments, found " + cl.arguments()
          + "; usage: macronet reproduce --conf conf/repro/NAME.conf [--update-baseline]");
    }
    boolean update = cl.hasFlag(UPDATE_BASELINE);
    ReproduceJob.Plan plan = ReproduceJob.plan(cl.conf(), cl.sets(), update);
    ReproduceJob.Outcome outcome;
    try (SparkSession spark = SparkSessions.create("macronet reproduce " + plan.config().name(), cl.master(),
        plan.sparkSettings())) {
      outcome = ReproduceJob.run(spark, plan, update, out);
    }
    int status = outcome.exitStatus();
    if (status != 0) {
      err.println("macronet: reproduce " + plan.config().name() + ": " + outcome.verdict().headline() + " (see "
          + outcome.runDir() + "/" + ReproduceJob.VERDICT + ")");
    }
    return status;
  }

  /** The usage text, with the contributed commands after the built-in ones. */
  static String usage() {
    StringBuilder extra = new StringBuilder();
    for (Command c : Command.all().values()) {
      List<String> lines = c.usage();
      for (int i = 0; i < lines.size(); i++) {
        extra.append(i == 0 ? String.format("  %-10s ", c.name()) : " ".repeat(13)).append(lines.get(i)).append('\n');
      }
    }
    return String.format(USAGE, extra.toString().stripTrailing());
  }

  /** The innermost cause's message: Spark wraps a task's exception in several layers. */
  public static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName()
        : root instanceof java.io.NotSerializableException
            ? "cannot ship " + root.getMessage() + " to the executors (not serialisable)"
            : root.getMessage();
    return msg.lines().findFirst().orElse(msg);
  }
}
