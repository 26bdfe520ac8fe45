/**
 * Verification of explanations by retraining without them (docs/SPEC.md §7) and Table 1's
 * statistics (§8), one pipeline for every family.
 *
 * <p>{@link io.accent.evaluate.EvaluationRun} reads and checks the result files, collects the
 * distinct (user, set) pairs, runs the missing retrains through the family's {@link
 * io.accent.evaluate.Retraining} strategy (from its {@link io.accent.evaluate.RetrainingSetup}; one
 * {@link io.accent.evaluate.RetrainJob} per retrain), caches each finished retrain in {@link
 * io.accent.evaluate.RetrainCache} (so runs resume and shard), and writes the new scores (§7.3)
 * into the result files under their {@link io.accent.evaluate.EvaluationProtocol}. {@link
 * io.accent.evaluate.OutcomeStats} gives the metrics of §7.4, {@link
 * io.accent.evaluate.SignificanceTests} the tests of §7.5 ({@link io.accent.evaluate.Comparison}),
 * {@link io.accent.evaluate.GapAgreement} and {@link io.accent.evaluate.DropAgreement} §7.6.
 *
 * <p>ACCENT+'s verify and resume (§11.3, {@code explain --verify}) is {@link
 * io.accent.evaluate.VerifiedExplanationRun}: the explain job with a verifier that retrains every
 * set through the same retraining and cache ({@code RetrainBatches}) and continues ACCENT's search
 * while the retrains refute it ({@link io.accent.evaluate.VerifyAndResume}).
 *
 * <p>Depends on {@code io.accent.explain} (result files), {@code io.accent.model}, {@code
 * io.accent.data} and {@code io.accent.core}.
 */
package io.accent.evaluate;
