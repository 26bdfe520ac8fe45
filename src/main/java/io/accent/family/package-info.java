/**
 * The model-family seam: one interface above influence and evaluation.
 *
 * <p>{@link io.accent.family.Family} is what a family implements once: its model directories (the
 * {@link io.accent.model.ModelFamily} part), training, influence engine ({@link
 * io.accent.influence.InfluenceSetup}), retraining for the evaluation ({@link
 * io.accent.evaluate.RetrainingSetup}), import, and the command-line options of each ({@link
 * io.accent.family.FamilyOption}, given back as {@link io.accent.family.OptionValues}). {@link
 * io.accent.family.Families} looks families up by name or by model; they are registered by one line
 * each in {@code META-INF/services/io.accent.model.ModelFamily}. The commands and the library API
 * reach every family through this package and never name one. See {@code docs/ARCHITECTURE.md} for
 * how to add a family.
 *
 * <p>Depends on {@code io.accent.evaluate}, {@code io.accent.influence}, {@code io.accent.model}
 * and {@code io.accent.core}.
 */
package io.accent.family;
