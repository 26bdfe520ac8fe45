package io.accent.spark.als;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.data.PreparedDataset;
import io.accent.evaluate.Retraining;
import io.accent.evaluate.RetrainingSetup;
import io.accent.family.Family;
import io.accent.family.FamilyOption;
import io.accent.family.OptionValues;
import io.accent.influence.InfluenceSetup;
import io.accent.mf.MfFamily;
import io.accent.mf.MfInfluenceConfig;
import io.accent.mf.MfInfluenceEngine;
import io.accent.mf.MfModel;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.RatingModel;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.List;

/**
 * ALS, matrix factorization trained by Spark MLlib (explicit feedback), behind the family seam: a
 * model directory of MF's layout (P, Q and zero offsets; docs/MODEL-DIRECTORY.md) written by {@code
 * accent import spark-als} ({@link AlsImport}), explained by MF's influence engine with ALS's
 * objective (no offsets, ALS-WR's row-weighted L2 with λ = regParam; docs/SPEC.md §11.1) and
 * verified by retraining with Spark's ALS ({@link AlsRetraining}). Registered for the core's family
 * registry by this module's {@code META-INF/services/io.accent.model.ModelFamily}.
 */
public final class AlsFamily implements Family {

    /** The name in {@code model.json}. */
    public static final String NAME = "als";

    static final String SPARK_THREADS = "--spark-threads";

    /** Local threads of the retrains when no Spark session is running. */
    static final int DEFAULT_SPARK_THREADS = 2;

    private static final MfFamily MF = new MfFamily();

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
        AlsConfig c = config(modelDir, m);
        return MfModel.load(modelDir.resolve(ModelStore.SAVED_MODEL), m, data, c.rank());
    }

    private static AlsConfig config(Path modelDir, ModelMetadata m) {
        try {
            return AlsConfig.fromMap(m.config());
        } catch (ConfigException e) {
            throw new ModelException("model " + modelDir + ": " + e.getMessage(), e);
        }
    }

    private static AlsConfig config(TrainedModel model) {
        try {
            return AlsConfig.fromMap(model.metadata().config());
        } catch (ConfigException e) {
            throw new ModelException("model metadata: " + e.getMessage(), e);
        }
    }

    // ---- training: Spark's

    @Override
    public List<String> trainingDescription() {
        return List.of(
                "ALS models are trained by Spark MLlib, not by accent: train with"
                        + " org.apache.spark.ml.recommendation.ALS, save the ALSModel, and import it"
                        + " with 'accent import spark-als' (docs/SPARK.md).");
    }

    @Override
    public List<FamilyOption> trainingOptions() {
        return List.of();
    }

    @Override
    public Training training(OptionValues options) {
        throw new ConfigException(
                "ALS models are trained by Spark MLlib; import one with 'accent import spark-als"
                        + " --source ALSMODEL_DIR --data PREPARED_DIR --out MODEL_DIR'");
    }

    // ---- influence: MF's engine with ALS's objective

    @Override
    public List<FamilyOption> influenceOptions() {
        return MF.influenceOptions();
    }

    @Override
    public InfluenceSetup influence(OptionValues options, int threads) {
        return influenceSetup(MfFamily.influenceConfig(options, displayName()));
    }

    /**
     * MF's influence engine with {@code base}'s solver settings and ALS's objective: no offsets,
     * the row-weighted L2 term, λ = the model's regParam.
     */
    public static InfluenceSetup influenceSetup(MfInfluenceConfig base) {
        MfInfluenceConfig c =
                base.withObjective(false, MfInfluenceConfig.Regularization.RATING_COUNT);
        return InfluenceSetup.of(
                new InfluenceSetup.Capabilities(c.topK(), false),
                model -> new MfInfluenceEngine(model, c, config(model).regParam()));
    }

    // ---- evaluation: Spark's ALS from scratch

    @Override
    public List<FamilyOption> evaluationOptions() {
        return List.of(
                FamilyOption.value(
                        SPARK_THREADS,
                        "T",
                        String.valueOf(DEFAULT_SPARK_THREADS),
                        "Threads of the local Spark that runs the ALS retrains, 1..1024 (when no"
                                + " Spark session is running already)."));
    }

    @Override
    public RetrainingSetup retraining(OptionValues options) {
        return retrainingSetup(options.integer(SPARK_THREADS, DEFAULT_SPARK_THREADS, 1, 1024));
    }

    /** Retraining by Spark's ALS in a local Spark of {@code sparkThreads} threads. */
    public static RetrainingSetup retrainingSetup(int sparkThreads) {
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
                return new AlsRetraining(MfModel.of(model), config(model), sparkThreads);
            }
        };
    }
}
