/**
 * FIA influence estimates, family-neutral: how much removing each of a user's training actions
 * would lower the scores of the user's top-K items (docs/SPEC.md §3, §5).
 *
 * <p>A family's {@link io.accent.influence.InfluenceSetup} states what its engine computes ({@link
 * io.accent.influence.InfluenceSetup.Capabilities}: K, removal scores) and opens its {@link
 * io.accent.influence.InfluenceEngine}; the engine's {@link io.accent.influence.UserInfluence} is
 * what every explainer consumes. The solvers are shared: {@link
 * io.accent.influence.ConjugateGradientSolver} (never an explicit inverse) with {@link
 * io.accent.influence.DirectSolver} as the oracle and fallback, {@link
 * io.accent.influence.SymmetricPseudoInverse} for indefinite Hessians. {@link
 * io.accent.influence.RemovalScores} are real forward passes with actions removed, for the
 * attention baselines.
 *
 * <p>Depends on {@code io.accent.model}, {@code io.accent.data} and {@code io.accent.core}.
 */
package io.accent.influence;
