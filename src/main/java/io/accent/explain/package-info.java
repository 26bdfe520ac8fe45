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
 */
package io.accent.explain;
