package org.macronet.experiment;

import java.util.List;
import java.util.Map;
import org.macronet.training.macronet.MacroNet;

/**
 * What a study's analysis starts from.
 *
 * @param net the trained network (driver side) and {@code params} its weights
 * @param uColumns the model's u columns, in order
 * @param training the training settings recorded with the model
 * @param held the held-out rows' macrostates
 * @param design the design sweep's outputs
 */
public record AnalysisInputs(MacroNet net, float[] params, List<String> uColumns, Map<String, Object> training,
    HeldOut held, DesignOutputs design) {}
