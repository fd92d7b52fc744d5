package org.macronet.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;

/**
 * What design and analysis start from: the trained model and its dataset, whose held-out rows
 * (chosen as in training, by the seed and held-out fraction recorded in model.json) are read into
 * the driver only when {@link #heldOut()} is first asked for; jobs that work on the executors
 * never ask.
 */
public final class TrainedRun {
  private final SparkSession spark;
  private final Path dataset;
  private final ModelArtifact model;
  private PairDatasets.HeldOut heldOut;

  private TrainedRun(SparkSession spark, Path dataset, ModelArtifact model) {
    this.spark = spark;
    this.dataset = dataset;
    this.model = model;
  }

  /**
   * Reads {@code <run>/model}; the held-out rows of {@code <run>/dataset} follow on demand, or of
   * the dataset the model's provenance names when the run has none of its own (a sweep's runs
   * share their sweep's dataset).
   */
  public static TrainedRun load(SparkSession spark, FileSystem fs, Path run) throws IOException {
    ModelArtifact model = ModelArtifact.read(fs, new Path(run, TrainJob.MODEL));
    Path own = new Path(run, GenerateJob.DATASET);
    String recorded = model.provenance().dataset();
    boolean shared = !fs.exists(own) && recorded != null && !recorded.isEmpty();
    return new TrainedRun(spark, shared ? new Path(recorded) : own, model);
  }

  /** {@code model}, trained on {@code <run>/dataset}. */
  public static TrainedRun of(SparkSession spark, Path run, ModelArtifact model) {
    return new TrainedRun(spark, new Path(run, GenerateJob.DATASET), model);
  }

  /** {@code model}, trained on the dataset at {@code dataset}. */
  public static TrainedRun onDataset(SparkSession spark, Path dataset, ModelArtifact model) {
    return new TrainedRun(spark, dataset, model);
  }

  public ModelArtifact model() {
    return model;
  }

  /** {@code <run>/dataset}. */
  public Path dataset() {
    return dataset;
  }

  /** The seed that chose the held-out rows (model.json's train.seed). */
  public long trainSeed() {
    return model.provenance().trainSeed();
  }

  /** The held-out fraction (model.json's train.holdout). */
  public double holdout() {
    return model.provenance().holdout();
  }

  /** The held-out rows, read into the driver on the first call. */
  public synchronized PairDatasets.HeldOut heldOut() {
    if (heldOut == null) {
      try {
        heldOut = PairDatasets.loadHeldOut(spark, dataset, model.uColumns(), model.vColumns(), trainSeed(), holdout());
      } catch (IOException e) {
        throw new UncheckedIOException(dataset + ": cannot read the held-out rows", e);
      }
    }
    return heldOut;
  }
}
