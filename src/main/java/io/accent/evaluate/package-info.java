/**
 * Verification of explanations by retraining without them (docs/SPEC.md §7) and Table 1's
 * statistics (§8).
 *
 * <p>{@link io.accent.evaluate.EvaluationRun} retrains NCF by warm start (§7.1) with {@link
 * io.accent.ncf.NcfBatchedRetrainer}, many copies stacked in one graph; {@link
 * io.accent.rcf.RcfEvaluationRun} retrains RCF from scratch (§7.2, removal as in §1.7) with {@link
 * io.accent.rcf.RcfRetrainer}. Both cache each finished retrain, so runs resume and shard, and
 * write the new scores (§7.3) into the result files. {@link io.accent.evaluate.OutcomeStats} gives
 * the metrics of §7.4, {@link io.accent.evaluate.SignificanceTests} the tests of §7.5 ({@link
 * io.accent.evaluate.Comparison}), {@link io.accent.evaluate.GapAgreement} and {@link
 * io.accent.evaluate.DropAgreement} §7.6.
 *
 * <p>Depends on {@code io.accent.explain} (result files), {@code io.accent.model}, {@code
 * io.accent.data} and {@code io.accent.core}.
 */
package io.accent.evaluate;
