/**
 * Counterfactual explanations from influence estimates (docs/SPEC.md §6) and their result files
 * (§8).
 *
 * <p>{@link io.accent.explain.Explainers#byName(String)} gives an {@link
 * io.accent.explain.Explainer} ({@code accent}, {@code fia}, {@code pure-fia}, {@code accent-ova});
 * its {@code explain} turns one user's {@link io.accent.influence.UserInfluence} into an optional
 * {@link io.accent.explain.CounterfactualExplanation}. {@link io.accent.explain.ExplanationFile}
 * writes and reads the reference's {@code {algo}_{k}.csv} files, appending one row per user so that
 * an interrupted run resumes where it stopped.
 *
 * <p>ACCENT's search is {@link io.accent.explain.AccentSearch}, a state that can be continued after
 * it stops (§11.3). {@link io.accent.explain.ExplanationRun} hands the stopped searches to a {@link
 * io.accent.explain.SearchVerifier} when one is given ({@code explain --verify}); the verifier that
 * retrains lives in {@code io.accent.evaluate}, which this package does not depend on.
 */
package io.accent.explain;
