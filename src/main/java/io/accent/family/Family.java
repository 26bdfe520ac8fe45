package io.accent.family;

import io.accent.core.OutputTarget;
import io.accent.core.Progress;
import io.accent.evaluate.RetrainingSetup;
import io.accent.influence.InfluenceSetup;
import io.accent.model.ModelFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A model family behind one seam: everything the commands and the library do with a model goes
 * through this interface, so that no generic package names a family. A family is its model
 * directories (the {@link ModelFamily} part: name, data files, export, load), its training, its
 * influence engine, its retraining for the evaluation, its import of models trained elsewhere, and
 * the command-line options each of these accepts.
 *
 * <p>Families are found with {@link java.util.ServiceLoader}: an implementation is registered by
 * one line in {@code META-INF/services/io.accent.model.ModelFamily} and looked up by name through
 * {@link Families}.
 */
public interface Family extends ModelFamily {

    /** The name in messages ({@code NCF}). */
    default String displayName() {
        return name().toUpperCase(Locale.ROOT);
    }

    /** The description of {@code accent train NAME}, one paragraph per element. */
    List<String> trainingDescription();

    /** Options of training beyond the data and the model directory. */
    List<FamilyOption> trainingOptions();

    /** Training with its options parsed; a bad value is a configuration error. */
    Training training(OptionValues options);

    /** A family's training, ready to run. */
    @FunctionalInterface
    interface Training {
        /**
         * Trains a model on the prepared data in {@code dataDir} and writes its model directory to
         * {@code out}.
         *
         * @return the report, one line per element, without the directory's name
         */
        List<String> run(Path dataDir, OutputTarget out, Progress progress);
    }

    /** Options of the influence engine ({@code explain}, {@code influence}). */
    List<FamilyOption> influenceOptions();

    /** The influence engine with its options parsed; a bad value is a configuration error. */
    InfluenceSetup influence(OptionValues options, int threads);

    /** Options of the retraining behind {@code evaluate}. */
    List<FamilyOption> evaluationOptions();

    /** The retraining protocol with its options parsed; a bad value is a configuration error. */
    RetrainingSetup retraining(OptionValues options);
}
