package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.data.AuxiliaryMapping;
import io.accent.data.ItemAttributes;
import io.accent.data.PreparedDataset;
import io.accent.data.RcfDataset;
import io.accent.data.RelationalData;
import io.accent.evaluate.Retraining;
import io.accent.evaluate.RetrainingSetup;
import io.accent.family.Family;
import io.accent.family.FamilyOption;
import io.accent.family.InfluenceOptions;
import io.accent.family.OptionValues;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceScope;
import io.accent.influence.InfluenceSetup;
import io.accent.model.ImportFamily;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RCF (relational collaborative filtering with two-level attention, docs/SPEC.md §4) behind the
 * family seam: its model directories, training, influence engine with per-removal Hessians (§5),
 * retraining from scratch (§7.2) and import.
 */
public final class RcfFamily implements Family {

    /** The name in {@code model.json}. */
    public static final String NAME = "rcf";

    static final String HESSIAN = "--hessian";
    static final String EPOCHS = "--epochs";
    static final String SEED = "--seed";
    static final String THREADS = "--threads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> dataFiles() {
        return List.of(
                PreparedDataset.DESCRIPTOR,
                PreparedDataset.USERS,
                PreparedDataset.RCF_ITEMS,
                PreparedDataset.RCF_TRAIN,
                PreparedDataset.RCF_TEST,
                RelationalData.FILE_NAME,
                AuxiliaryMapping.FILE_NAME,
                ItemAttributes.FILE_NAME);
    }

    @Override
    public void exportSavedModel(
            Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir) {
        RcfConfig config = RcfConfig.fromMap(metadata.config());
        RcfModel.export(
                dir,
                config,
                state,
                RcfData.of(
                        RcfDataset.load(dataDir),
                        config.hidden(),
                        config.attention(),
                        config.mlp()));
    }

    @Override
    public TrainedModel load(Path modelDir, ModelMetadata m) {
        return RcfModel.load(modelDir, m);
    }

    @Override
    public Optional<ImportFamily> importer() {
        return Optional.of(RcfImportFamily.INSTANCE);
    }

    // ---- training

    @Override
    public List<String> trainingDescription() {
        return List.of(
                "Train RCF (relational CF with two-level attention, docs/SPEC.md §4) and write a model directory with"
                        + " model.json (metadata), saved-model/ (self-contained TensorFlow SavedModel) and data/"
                        + " (RCF data). Reports the share of rcf-test.csv pairs with score(pos) > score(neg), next"
                        + " to item popularity.");
    }

    @Override
    public List<FamilyOption> trainingOptions() {
        return List.of(
                FamilyOption.value(
                        EPOCHS, "N", "50", "Epochs (the reference's; 95 steps each on MovieLens)."),
                FamilyOption.value(
                        SEED,
                        "S",
                        "2512",
                        "Seed of the epoch shuffles (the reference's); the initialization always"
                                + " uses seed 2016."),
                FamilyOption.value(
                        THREADS, "T", "2", "TensorFlow threads, 1..1024 (1 is bit-reproducible)."));
    }

    @Override
    public Training training(OptionValues options) {
        int epochs = options.integer(EPOCHS, 50, 0, Integer.MAX_VALUE);
        long seed = options.longValue(SEED, 2512, Long.MIN_VALUE);
        int threads = options.integer(THREADS, 2, 1, 1024);
        return (dataDir, out, progress) ->
                report(
                        RcfTraining.run(
                                dataDir, out, RcfConfig.reference(epochs, seed), threads, progress),
                        epochs);
    }

    private static List<String> report(RcfTraining.Report r, int epochs) {
        List<String> lines = new ArrayList<>();
        lines.add(
                String.format(
                        "trained RCF: %d users, %d items, %d epochs = %d steps in %.1f s (%.2f ms/step)",
                        r.metadata().numUsers(),
                        r.metadata().numItems(),
                        epochs,
                        r.steps(),
                        r.wallTime().toMillis() / 1000.0,
                        r.steps() == 0 ? 0.0 : r.wallTime().toNanos() / 1e6 / r.steps()));
        lines.add(String.format("last epoch loss %.4f", r.finalEpochLoss()));
        lines.add(
                String.format(
                        "test pairs with score(pos) > score(neg): %.4f (RCF) vs %.4f (item popularity), %d pairs",
                        r.sanity(), r.popularity(), r.testPairs()));
        if (r.usersWithoutPositives() > 0) {
            lines.add(
                    String.format(
                            "note: %d users have no training positives; they are not trained, and score and recommend"
                                    + " refuse them",
                            r.usersWithoutPositives()));
        }
        return lines;
    }

    // ---- influence

    @Override
    public List<FamilyOption> influenceOptions() {
        List<FamilyOption> out = new ArrayList<>();
        out.add(
                FamilyOption.value(
                        HESSIAN,
                        "exact|shared",
                        null,
                        "One Hessian per removed positive as docs/SPEC.md §5 (exact, default) or"
                                + " one per user with the full lists (shared, an approximation)."));
        for (FamilyOption o : InfluenceOptions.declared()) {
            if (o.name().equals(InfluenceOptions.DAMPING)) {
                // RCF's default is the same for both scopes (the reference's 0.01)
                out.add(
                        FamilyOption.value(
                                o.name(),
                                o.paramLabel(),
                                String.valueOf(RcfInfluenceConfig.defaults().damping()),
                                o.description()));
            } else if (o.name().equals(InfluenceOptions.SCOPE) || RCF_SHARED.contains(o.name())) {
                out.add(o);
            }
        }
        return List.copyOf(out);
    }

    /** The shared influence options that RCF's full scope takes as they are. */
    private static final List<String> RCF_SHARED =
            List.of(
                    InfluenceOptions.CURVATURE,
                    InfluenceOptions.CG_TOLERANCE,
                    InfluenceOptions.CG_MAX);

    @Override
    public InfluenceSetup influence(OptionValues options, int threads) {
        InfluenceScope scope =
                InfluenceScope.byName(options.text(InfluenceOptions.SCOPE, "embeddings"));
        double damping =
                InfluenceOptions.number(
                        options, InfluenceOptions.DAMPING, RcfInfluenceConfig.defaults().damping());
        if (scope == InfluenceScope.FULL) {
            if (options.has(HESSIAN)) {
                throw new ConfigException(
                        HESSIAN
                                + " applies to --scope embeddings (the full scope has one"
                                + " curvature matrix per removal, never formed)");
            }
            FullScopeConfig full = InfluenceOptions.fullScope(options, damping);
            int topK = RcfInfluenceConfig.defaults().topK();
            return InfluenceSetup.of(
                    new InfluenceSetup.Capabilities(topK, true),
                    model -> new RcfFullScopeEngine(model, full, topK, threads));
        }
        for (String only : RCF_SHARED) {
            if (options.has(only)) {
                throw new ConfigException(only + " applies to --scope full");
            }
        }
        RcfInfluenceConfig c =
                RcfInfluenceConfig.defaults().withThreads(threads).withDamping(damping);
        if (options.has(HESSIAN)) {
            c = c.withHessian(RcfInfluenceConfig.Hessian.byName(options.text(HESSIAN, "exact")));
        }
        return influenceSetup(c);
    }

    /** The setup that opens {@link RcfInfluenceEngine} with {@code config}. */
    public static InfluenceSetup influenceSetup(RcfInfluenceConfig config) {
        return InfluenceSetup.of(
                new InfluenceSetup.Capabilities(config.topK(), true),
                model -> new RcfInfluenceEngine(model, config));
    }

    // ---- evaluation

    @Override
    public List<FamilyOption> evaluationOptions() {
        return List.of();
    }

    @Override
    public RetrainingSetup retraining(OptionValues options) {
        return RETRAINING;
    }

    /** Retraining from scratch with the model's epochs and the seeds of §7.2. */
    public static final RetrainingSetup RETRAINING =
            new RetrainingSetup() {
                @Override
                public int defaultBatch() {
                    return 1;
                }

                @Override
                public int maxRetrains() {
                    return RcfRetrainer.SEEDS.length;
                }

                @Override
                public Retraining open(TrainedModel model, int threads) {
                    return new RcfRetraining(RcfModel.of(model), threads);
                }
            };
}
