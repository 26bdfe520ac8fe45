/**
 * The two model families, NCF (docs/SPEC.md §2) and RCF (§4): networks, training, model directories
 * and the import of models trained elsewhere.
 *
 * <p>{@link io.accent.ncf.NcfNetwork} and {@link io.accent.rcf.RcfNetwork} define each forward pass
 * once, from ops that can be differentiated twice (§10); {@link io.accent.ncf.NcfTrainer} and
 * {@link io.accent.rcf.RcfTrainer} train on their training graphs with TF1's update ops (§2.1–§2.4,
 * §4.1–§4.5), {@link io.accent.rcf.RcfStackedTrainer} many RCF copies in one graph. {@link
 * io.accent.modelio.ModelStore} writes model directories (with a SavedModel export) and loads their
 * variables only: the stored graph is never run, scoring ({@link io.accent.model.TrainedModel},
 * §2.5, §4.6) uses a graph the family builds ({@code SavedModels}, {@code ScoringGraph}). {@link
 * io.accent.modelio.ModelImport} imports foreign checkpoints and SavedModels by a {@link
 * io.accent.modelio.VariableMapping}; a SavedModel's signature runs only after {@code
 * ForeignGraphCheck} has checked its graph against an allow-list of pure-math operations. Depends
 * on {@code io.accent.data} and {@code io.accent.core}.
 */
package io.accent.model;
