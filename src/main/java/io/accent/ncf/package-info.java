/**
 * The NCF family (GMF + MLP on explicit ratings, docs/SPEC.md §2) in one place.
 *
 * <p>{@link io.accent.ncf.NcfFamily} is its seam implementation. The network is {@link
 * io.accent.ncf.NcfNetwork} (one forward pass, differentiable twice), trained by {@link
 * io.accent.ncf.NcfTrainer} on {@link io.accent.ncf.NcfTrainingGraph} (Adam, the reference's epoch
 * order {@link io.accent.tf.EpochOrder}); {@link io.accent.ncf.NcfTraining} writes the model
 * directory and {@link io.accent.ncf.NcfModel} loads it. Influence (§3): {@link
 * io.accent.ncf.NcfInfluenceEngine} with Hessian-vector products from {@link
 * io.accent.ncf.NcfInfluenceGraph} and conjugate gradient, settings {@link
 * io.accent.ncf.NcfInfluenceConfig}. Retraining (§7.1): {@link io.accent.ncf.NcfBatchedRetrainer}
 * (warm-start copies stacked in one graph, epoch orders from {@link
 * io.accent.ncf.NcfDeviceEpochOrder}). Import: {@link io.accent.ncf.NcfImportFamily}, with the
 * built-in mapping of the reference's checkpoints.
 */
package io.accent.ncf;
