package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
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
import io.accent.ncf.NcfConfig;
import io.accent.ncf.NcfFamily;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * MF, matrix factorization on explicit ratings (docs/SPEC.md §11.1), behind the family seam: its
 * model directories, training with NCF's protocol, FIA influence over the user and item blocks (or,
 * with {@code --scope full}, over every trained parameter), warm-start retraining and import.
 */
public final class MfFamily implements Family {

    /** The name in {@code model.json}. */
    public static final String NAME = "mf";

    static final String STEPS = "--steps";
    static final String CHECKPOINTS = "--checkpoints";
    static final String SEED = "--seed";
    static final String THREADS = "--threads";
    static final String EMBEDDING = "--embedding";

    /** Default retrain length (as NCF's, §7.1). */
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
        MfModel.export(dir, state);
    }

    @Override
    public TrainedModel load(Path modelDir, ModelMetadata m) {
        PreparedDataset data = RatingModel.loadData(modelDir, m);
        try {
            MfConfig.fromMap(m.config());
        } catch (ConfigException e) {
            throw new ModelException("model " + modelDir + ": " + e.getMessage(), e);
        }
        return MfModel.load(modelDir.resolve(ModelStore.SAVED_MODEL), m, data);
    }

    @Override
    public Optional<ImportFamily> importer() {
        return Optional.of(MfImportFamily.INSTANCE);
    }

    // ---- training

    @Override
    public List<String> trainingDescription() {
        return List.of(
                "Train MF, matrix factorization ŷ = p_u·q_i + b_u + b_i + μ on the explicit ratings"
                        + " of the NCF files (docs/SPEC.md §11.1), with NCF's loss, optimizer and"
                        + " batching, and write a model directory with model.json (metadata),"
                        + " saved-model/ (TensorFlow SavedModel) and data/ (training data).");
    }

    @Override
    public List<FamilyOption> trainingOptions() {
        return List.of(
                FamilyOption.value(
                        STEPS,
                        "N",
                        String.valueOf(NcfConfig.REFERENCE_STEPS),
                        "Adam updates (NCF's reference count)."),
                NcfFamily.batchSizeOption(),
                FamilyOption.value(SEED, "S", "0", "Seed of initialization and shuffles."),
                FamilyOption.value(
                        THREADS, "T", "1", "TensorFlow threads, 1..1024 (1 is bit-reproducible)."),
                FamilyOption.value(
                        EMBEDDING,
                        "D",
                        String.valueOf(MfConfig.DEFAULT_EMBEDDING),
                        "Size d of the user and item factors, 1..1024."));
    }

    @Override
    public Training training(OptionValues options) {
        long steps = options.longValue(STEPS, NcfConfig.REFERENCE_STEPS, 0);
        long seed = options.longValue(SEED, 0, Long.MIN_VALUE);
        int threads = options.integer(THREADS, 1, 1, 1024);
        int d = options.integer(EMBEDDING, MfConfig.DEFAULT_EMBEDDING, 1, 1024);
        int batch = NcfFamily.batchSize(options);
        return (dataDir, out, progress) ->
                report(
                        MfTraining.run(
                                dataDir,
                                out,
                                rows ->
                                        MfConfig.reference(d, steps, seed)
                                                .withBatchSize(
                                                        RatingTraining.batchSize(batch, rows)),
                                threads,
                                progress),
                        d,
                        steps);
    }

    private static List<String> report(RatingTraining.Report r, int d, long steps) {
        return List.of(
                String.format(
                        "trained MF (d = %d): %d users, %d items, %d steps of %s rows in %.1f s"
                                + " (%.3f ms/step)",
                        d,
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
        if (o.full().isPresent()) {
            FullScopeConfig full = o.full().get();
            int topK = MfInfluenceConfig.defaults().topK();
            return InfluenceSetup.of(
                    new InfluenceSetup.Capabilities(topK, false),
                    model -> new MfFullScopeEngine(model, full, topK));
        }
        return influenceSetup(influenceConfig(options, displayName()));
    }

    /**
     * The embeddings scope's settings from the values of {@link #influenceOptions()} (MF's
     * objective; a family on MF's layout changes it with {@link MfInfluenceConfig#withObjective});
     * the full scope is MF's own objective only, so it is refused here.
     */
    public static MfInfluenceConfig influenceConfig(OptionValues options, String family) {
        InfluenceOptions o = InfluenceOptions.parse(options, family, false);
        MfInfluenceConfig base = MfInfluenceConfig.defaults();
        return new MfInfluenceConfig(o.damping(), o.solver(), o.directFallback(), base.topK());
    }

    /** The setup that opens {@link MfInfluenceEngine} with {@code config}. */
    public static InfluenceSetup influenceSetup(MfInfluenceConfig config) {
        return InfluenceSetup.of(
                new InfluenceSetup.Capabilities(config.topK(), false),
                model -> new MfInfluenceEngine(model, config));
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
     * Warm-start retraining of {@code steps} Adam steps, with scores also at {@code checkpoints}.
     */
    public static RetrainingSetup retrainingSetup(long steps, long[] checkpoints) {
        for (long c : checkpoints) {
            if (c < 1 || c >= steps) {
                throw new ConfigException("checkpoint " + c + " is outside 1.." + (steps - 1));
            }
        }
        long[] cps = Arrays.copyOf(checkpoints, checkpoints.length);
        return new RetrainingSetup() {
            @Override
            public int defaultBatch() {
                return 1;
            }

            @Override
            public int maxRetrains() {
                return Integer.MAX_VALUE;
            }

            @Override
            public Retraining open(TrainedModel model, int threads) {
                return new MfRetraining(MfModel.of(model), steps, cps, threads);
            }
        };
    }
}
