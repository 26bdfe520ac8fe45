/**
 * Model input and output: model directories, SavedModels, checkpoints and the import of models
 * trained elsewhere.
 *
 * <p>{@link io.accent.modelio.ModelStore} writes a model directory ({@code model.json}, {@code
 * saved-model/}, {@code data/}) under the rules of {@link io.accent.core.OutputTarget} and opens
 * one through its family. Loading reads variable values only ({@link
 * io.accent.modelio.SavedModels}, {@link io.accent.modelio.CheckpointTensors} after {@link
 * io.accent.modelio.CheckpointIndex} has checked every tensor's dtype and shape); scoring runs the
 * graph the family builds ({@link io.accent.modelio.ScoringGraph}), never a stored one. {@code
 * accent import} is {@link io.accent.modelio.ModelImport}, split by concern: {@link
 * io.accent.modelio.ImportSources} (finding and hashing the source), {@link
 * io.accent.modelio.ImportPlacement} (rows by the id maps), {@link
 * io.accent.modelio.OptimizerImport}, {@link io.accent.modelio.SignatureAgreement} (the score
 * check, behind {@link io.accent.modelio.ForeignGraphCheck}'s allow-list), with {@link
 * io.accent.modelio.VariableMapping} reading mappings. {@link io.accent.modelio.WeightExport} and
 * {@link io.accent.modelio.Npy} write {@code export-weights}. No class here names a family: what
 * differs per family comes through {@link io.accent.model.ModelFamily} and {@link
 * io.accent.model.ImportFamily}.
 *
 * <p>Depends on {@code io.accent.model}, {@code io.accent.tf}, {@code io.accent.data} and {@code
 * io.accent.core}.
 */
package io.accent.modelio;
