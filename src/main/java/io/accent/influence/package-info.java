/**
 * FIA influence estimates: how much removing each of a user's training actions would lower the
 * scores of the user's top-K items, for NCF (docs/SPEC.md §3) and RCF (§5).
 *
 * <p>{@link io.accent.influence.InfluenceEngines#open} gives a model family's {@link
 * io.accent.influence.InfluenceEngine}; its {@link io.accent.influence.UserInfluence} is what every
 * explainer consumes. {@link io.accent.ncf.NcfInfluenceEngine} solves the damped block-diagonal
 * Hessians of §3 (normalized as in §9.9) by conjugate gradient or a direct solve. {@link
 * io.accent.rcf.RcfInfluenceEngine} uses per-removal Hessians of the user embedding in closed form
 * (§9.16) and a pseudo-inverse, as the Hessian may be indefinite (§9.15). {@link
 * io.accent.influence.RemovalScores} gives real forward passes with actions removed at inference
 * time (§4.7), for the attention baselines.
 *
 * <p>Depends on {@code io.accent.model}, {@code io.accent.data} and {@code io.accent.core}.
 */
package io.accent.influence;
