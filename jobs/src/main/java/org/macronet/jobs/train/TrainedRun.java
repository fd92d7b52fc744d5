package org.macronet.jobs.train;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.macronet.jobs.generate.GenerateJob;
import org.macronet.jobs.model.ModelArtifact;

/**
 * What design and analysis start from: the trained model and the held-out rows of its dataset,
 * chosen as in training (the seed and held-out fraction recorded in model.json).
 */
public record TrainedRun(ModelArtifact model, PairDatasets.HeldOut heldOut) {

  /** Reads {@code <run>/model} and {@code <run>/dataset}. */
  public static TrainedRun load(SparkSession spark, FileSystem fs, Path run) throws IOException {
    ModelArtifact model = ModelArtifact.read(fs, new Path(run, TrainJob.MODEL));
    long trainSeed = model.description().path("training").path("train.seed").asLong();
    double holdout = model.description().path("training").path("train.holdout").asDouble();
    return new TrainedRun(model, PairDatasets.loadHeldOut(spark, new Path(run, GenerateJob.DATASET),
        model.uColumns(), model.vColumns(), trainSeed, holdout));
  }
}
