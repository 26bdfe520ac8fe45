package io.accent.ncf;

import io.accent.data.PreparedDataset;
import io.accent.evaluate.Retraining;
import io.accent.evaluate.RetrainingSetup;
import io.accent.family.Family;
import io.accent.family.FamilyOption;
import io.accent.family.InfluenceOptions;
import io.accent.family.OptionValues;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceSetup;
import io.accent.model.ImportFamily;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.RatingModel;
import io.accent.modelio.RatingTraining;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * NCF (GMF + MLP, docs/SPEC.md §2) behind the family seam: its model directories, training, FIA
 * influence engine with CG (§3), warm-start retraining (§7.1) and import.
 */
public final class NcfFamily implements Family {

    /** The name in {@code model.json}. */
    public static final String NAME = "ncf";

    static final String STEPS = "--steps";
    static final String CHECKPOINTS = "--checkpoints";
    static final String SEED = "--seed";
    static final String THREADS = "--threads";
    static final String BATCH_SIZE = "--batch-size";

    /** Default retrain length (§7.1). */
    static final long RETRAIN_STEPS = 120_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> dataFiles() {
        return RatingModel.DATA_FILES;
    }

    @Override
    public void exportSavedModel(
            Path dir, ModelMetadata metadata, ParameterSet state, Path dataDir) {
        NcfModel.export(dir, state);
    }

    @Override
    public TrainedModel load(Path modelDir, ModelMetadata m) {
        PreparedDataset data = RatingModel.loadData(modelDir, m);
        return NcfModel.load(modelDir.resolve(ModelStore.SAVED_MODEL), m, data);
    }

    @Override
    public Optional<ImportFamily> importer() {
        return Optional.of(NcfImportFamily.INSTANCE);
    }

    // ---- training

    @Override
    public List<String> trainingDescription() {
        return List.of(
                "Train NCF (GMF + MLP, docs/SPEC.md §2) and write a model directory with model.json"
                        + " (metadata), saved-model/ (TensorFlow SavedModel) and data/ (training data).");
    }

    @Override
    public List<FamilyOption> trainingOptions() {
        return List.of(
                FamilyOption.value(STEPS, "N", "119999", "Adam updates (the reference's)."),
                batchSizeOption(),
                FamilyOption.value(SEED, "S", "0", "Seed of initialization and shuffles."),
                FamilyOption.value(
                        THREADS,
                        "T",
                        "1",
                        "TensorFlow threads, 1..1024 (1 is fastest for NCF on CPU and"
                                + " bit-reproducible)."));
    }

    @Override
    public Training training(OptionValues options) {
        long steps = options.longValue(STEPS, 119_999, 0);
        long seed = options.longValue(SEED, 0, Long.MIN_VALUE);
        int threads = options.integer(THREADS, 1, 1, 1024);
        int batch = batchSize(options);
        return (dataDir, out, progress) ->
                report(
                        NcfTraining.run(
                                dataDir,
                                out,
                                rows ->
                                        NcfConfig.reference(steps, seed)
                                                .withBatchSize(
                                                        RatingTraining.batchSize(batch, rows)),
                                threads,
                                progress),
                        steps);
    }

    /**
     * {@code --batch-size}: rows per Adam step; left out, the reference's 49 batches per epoch
     * (shared by the families trained with NCF's protocol).
     */
    public static FamilyOption batchSizeOption() {
        return FamilyOption.value(
                BATCH_SIZE,
                "N",
                null,
                "Rows per Adam step (default: the training rows / "
                        + RatingTraining.REFERENCE_BATCHES_PER_EPOCH
                        + ", the reference's batches per epoch; 1246 on MovieLens 100K).");
    }

    /** The value of {@link #batchSizeOption()}, 0 when it was left out. */
    public static int batchSize(OptionValues options) {
        return options.integer(BATCH_SIZE, 0, 1, Integer.MAX_VALUE);
    }

    private static List<String> report(RatingTraining.Report r, long steps) {
        return List.of(
                String.format(
                        "trained NCF: %d users, %d items, %d steps of %s rows in %.1f s"
                                + " (%.3f ms/step)",
                        r.metadata().numUsers(),
                        r.metadata().numItems(),
                        steps,
                        r.metadata().config().get("batch_size"),
                        r.wallTime().toMillis() / 1000.0,
                        steps == 0 ? 0.0 : r.wallTime().toNanos() / 1e6 / steps),
                String.format(
                        "training RMSE %.4f   held-out RMSE %.4f (%d rows)",
                        r.trainingRmse(), r.heldOutRmse(), r.heldOutRows()));
    }

    // ---- influence

    @Override
    public List<FamilyOption> influenceOptions() {
        return InfluenceOptions.declared();
    }

    @Override
    public InfluenceSetup influence(OptionValues options, int threads) {
        InfluenceOptions o = InfluenceOptions.parse(options, displayName(), true);
        NcfInfluenceConfig base = NcfInfluenceConfig.defaults();
        if (o.full().isPresent()) {
            FullScopeConfig full = o.full().get();
            return InfluenceSetup.of(
                    new InfluenceSetup.Capabilities(base.topK(), false),
                    model ->
                            new NcfFullScopeEngine(
                                    model, full, base.topK(), FULL_SCOPE_ROWS, threads));
        }
        return influenceSetup(influenceConfig(o, threads));
    }

    /** Training rows per curvature-product call of the full scope. */
    static final int FULL_SCOPE_ROWS = 32768;

    /** The embeddings-scope engine's settings from the shared influence options. */
    public static NcfInfluenceConfig influenceConfig(InfluenceOptions o, int threads) {
        NcfInfluenceConfig base = NcfInfluenceConfig.defaults();
        return new NcfInfluenceConfig(
                o.damping(),
                o.solver(),
                o.directFallback(),
                base.topK(),
                base.rowsPerCall(),
                threads);
    }

    /** The setup that opens {@link NcfInfluenceEngine} with {@code config}. */
    public static InfluenceSetup influenceSetup(NcfInfluenceConfig config) {
        return InfluenceSetup.of(
                new InfluenceSetup.Capabilities(config.topK(), false),
                model -> new NcfInfluenceEngine(model, config));
    }

    // ---- evaluation

    @Override
    public List<FamilyOption> evaluationOptions() {
        return List.of(
                FamilyOption.value(
                        STEPS, "N", String.valueOf(RETRAIN_STEPS), "Adam steps per retrain."),
                FamilyOption.value(
                        CHECKPOINTS,
                        "N[,N...]",
                        null,
                        "Also record scores after these step counts (reduced-steps study)."));
    }

    @Override
    public RetrainingSetup retraining(OptionValues options) {
        return retrainingSetup(
                options.longValue(STEPS, RETRAIN_STEPS, 1), options.longs(CHECKPOINTS));
    }

    /**
     * Warm-start retraining (§7.1) of {@code steps} Adam steps, scores also at {@code checkpoints}.
     */
    public static RetrainingSetup retrainingSetup(long steps, long[] checkpoints) {
        for (long c : checkpoints) {
            if (c < 1 || c >= steps) {
                throw new io.accent.core.ConfigException(
                        "checkpoint " + c + " is outside 1.." + (steps - 1));
            }
        }
        long[] cps = checkpoints.clone();
        return new RetrainingSetup() {
            @Override
            public int defaultBatch() {
                return 16;
            }

            @Override
            public int maxRetrains() {
                return Integer.MAX_VALUE;
            }

            @Override
            public Retraining open(TrainedModel model, int threads) {
                return new NcfRetraining(NcfModel.of(model), steps, cps, threads);
            }
        };
    }
}
