/**
 * The RCF family (relational collaborative filtering with two-level attention, docs/SPEC.md §4) in
 * one place, for the K attribute kinds of its data (§11.2; the RCF release: genre, director,
 * actor), recorded in {@code model.json} by {@link io.accent.rcf.RcfKinds}.
 *
 * <p>{@link io.accent.rcf.RcfFamily} is its seam implementation. {@link io.accent.rcf.RcfNetwork}
 * is the forward pass over the relation lists of {@link io.accent.rcf.RcfNeighbourLists} ({@link
 * io.accent.rcf.RcfData}); {@link io.accent.rcf.RcfTrainer} trains it on {@link
 * io.accent.rcf.RcfTrainingGraph} (Adagrad, {@link io.accent.rcf.RcfSchedule}), {@link
 * io.accent.rcf.RcfStackedTrainer} many copies in one graph; {@link io.accent.rcf.RcfTraining}
 * writes the model directory and {@link io.accent.rcf.RcfModel} loads it ({@link
 * io.accent.rcf.RcfServing} is the serving graph, {@link io.accent.rcf.RcfScorer} scores through
 * Java-built lists). Influence (§5): {@link io.accent.rcf.RcfInfluenceEngine} with per-removal
 * Hessians ({@link io.accent.rcf.RcfRemovalHessians}) and forward-pass differences ({@link
 * io.accent.rcf.RcfInfluenceGraph}); it also gives the real forward passes the attention baselines
 * need. Retraining (§7.2): {@link io.accent.rcf.RcfRetrainer}, from scratch. Import: {@link
 * io.accent.rcf.RcfImportFamily}.
 */
package io.accent.rcf;
