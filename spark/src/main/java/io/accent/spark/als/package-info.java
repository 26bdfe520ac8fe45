/**
 * The {@code als} family: recommenders trained by Spark MLlib's ALS (explicit feedback), imported
 * and explained by accent (docs/SPARK.md, "Models trained by Spark MLlib").
 *
 * <ul>
 *   <li>{@link io.accent.spark.als.AlsImport} and {@code import spark-als} ({@link
 *       io.accent.spark.als.AlsImportCommand}, installed through the core's {@code
 *       cli.CommandExtension}): a saved {@code ALSModel} into a model directory of MF's layout.
 *   <li>{@link io.accent.spark.als.AlsFamily}: the family seam, registered for the core's
 *       ServiceLoader; influence is the core's {@code mf.MfInfluenceEngine} with ALS's objective
 *       (no offsets, ALS-WR's row-weighted L2; docs/SPEC.md §11.1).
 *   <li>{@code AlsRetraining}: verification by Spark's ALS from scratch, from the driver.
 * </ul>
 *
 * Depends on the core's {@code mf}, {@code modelio}, {@code evaluate} and {@code family} packages
 * and on Spark; nothing in the core depends on it.
 */
package io.accent.spark.als;
