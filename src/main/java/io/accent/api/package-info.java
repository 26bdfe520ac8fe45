/**
 * The public API for programs that embed ACCENT: one entry point, {@link io.accent.api.Accent#open
 * Accent.open}, which opens a model directory of any family (NCF, RCF, MF) as a thread-safe {@link
 * io.accent.api.AccentModel} handle, with the command line's defaults or with the options of the
 * family's influence engine named as on the command line. The handle gives recommendations, scores,
 * influence estimates and counterfactual explanations in raw ids as immutable records ({@link
 * io.accent.api.Recommendation}, {@link io.accent.api.Influence}, {@link
 * io.accent.api.UserExplanations}, {@link io.accent.api.Explanation}).
 *
 * <pre>{@code
 * try (AccentModel model = Accent.open(Path.of("saved-models/ncf-synthetic"))) {
 *     List<Recommendation> top = model.recommend(2, 5);
 *     Optional<Explanation> why = model.explain(2, Set.of("accent"), 5).get("accent", 5);
 *     why.ifPresent(e -> System.out.println(e.sentence()));
 * }
 * }</pre>
 *
 * <p>Errors are the library's unchecked {@link io.accent.core.RecsysException}s: {@link
 * io.accent.core.DataException} for an unknown id, {@link io.accent.core.ConfigException} for an
 * invalid setting, {@link io.accent.core.ModelException} for an unreadable model directory.
 *
 * <p>The command line's {@code recommend}, {@code score} and {@code influence} are built on this
 * API; {@code explain} and {@code evaluate}, which write resumable result files for many users, run
 * the library jobs ({@code ExplanationRun}, {@code EvaluationRun}) that {@link
 * io.accent.api.AccentModel#explain} uses too.
 */
package io.accent.api;
