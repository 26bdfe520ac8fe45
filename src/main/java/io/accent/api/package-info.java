/**
 * The public API for programs that embed ACCENT: one entry point, {@link io.accent.api.Accent#open
 * Accent.open}, which opens a model directory (NCF or RCF) as a thread-safe {@link
 * io.accent.api.AccentModel} handle. The handle gives recommendations, scores, influence estimates
 * and counterfactual explanations in raw ids, with the results of the command line's defaults, as
 * immutable records ({@link io.accent.api.Recommendation}, {@link io.accent.api.Influence}, {@link
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
 */
package io.accent.api;
