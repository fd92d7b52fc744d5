package org.macronet.jobs.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * How a model came to be, as {@code model.json} records it: the training settings (among them
 * the seed and held-out fraction that chose the held-out rows), the held-out loss, the dataset
 * and the code.
 *
 * @param training the resolved {@code train.*} settings
 * @param heldOutLoss the loss terms on the held-out rows at the end of training
 * @param dataset where the dataset was read from
 * @param datasetChecksum its content checksum
 * @param codeVersion the build that trained it
 */
public record ModelProvenance(Map<String, Object> training, long trainSeed, double holdout,
    Map<String, Object> heldOutLoss, String dataset, String datasetChecksum, String codeVersion) {

  /** Reads the provenance fields of a model description. */
  static ModelProvenance of(JsonNode description) {
    JsonNode training = description.path("training");
    JsonNode provenance = description.path("provenance");
    return new ModelProvenance(ModelArtifact.asMap(training), training.path("train.seed").asLong(),
        training.path("train.holdout").asDouble(), ModelArtifact.asMap(description.path("result").path("held_out")),
        provenance.path("dataset").asText(), provenance.path("dataset_checksum").asText(),
        provenance.path("code_version").asText());
  }
}
