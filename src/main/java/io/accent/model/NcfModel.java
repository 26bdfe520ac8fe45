package io.accent.model;

import io.accent.data.IdMap;
import io.accent.data.PreparedDataset;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An NCF model served from a TensorFlow SavedModel. The SavedModel holds every variable (weights
 * and Adam state) and one signature, {@code serving_default}: inputs {@code user}, {@code item}
 * (int32, [-1]), output {@code score} (float32, [-1]).
 */
final class NcfModel implements TrainedModel {

    private final ModelMetadata metadata;
    private final PreparedDataset data;
    private final SavedModelBundle bundle;
    private final SessionFunction scoreFn;

    private NcfModel(ModelMetadata metadata, PreparedDataset data, SavedModelBundle bundle) {
        this.metadata = metadata;
        this.data = data;
        this.bundle = bundle;
        this.scoreFn = bundle.function(SavedModels.SIGNATURE);
    }

    /** Loads the SavedModel under {@code savedModelDir} and checks its signature. */
    static NcfModel load(Path savedModelDir, ModelMetadata metadata, PreparedDataset data) {
        return new NcfModel(metadata, data, SavedModels.load(savedModelDir));
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    @Override
    public PreparedDataset data() {
        return data;
    }

    @Override
    public String dataName() {
        return data.name();
    }

    @Override
    public String dataFingerprint() {
        return data.fingerprint();
    }

    @Override
    public IdMap users() {
        return data.users();
    }

    @Override
    public IdMap items() {
        return data.items();
    }

    @Override
    public String title(int item) {
        return data.title(item);
    }

    /** NCF excludes every item in the user's training rows, any rating (MODELS.md §2.5). */
    @Override
    public BitSet trainingItems(int user) {
        BitSet seen = new BitSet(metadata.numItems());
        var train = data.train();
        for (int r : train.rowsOf(user)) {
            seen.set(train.item(r));
        }
        return seen;
    }

    @Override
    public float[] score(int[] users, int[] items) {
        if (users.length != items.length) {
            throw new IllegalArgumentException(
                    users.length + " users but " + items.length + " items");
        }
        try (TInt32 u = TInt32.vectorOf(users);
                TInt32 i = TInt32.vectorOf(items);
                Result r = scoreFn.call(Map.of("user", u, "item", i))) {
            TFloat32 s = (TFloat32) r.get("score").orElseThrow();
            float[] out = new float[users.length];
            s.asRawTensor().data().asFloats().read(out);
            return out;
        }
    }

    @Override
    public ParameterSet parameters() {
        return SavedModels.variables(bundle, NcfNetwork.VARIABLES);
    }

    @Override
    public void close() {
        bundle.close();
    }

    /** Writes a SavedModel holding {@code state} into the (new) directory {@code dir}. */
    static void export(Path dir, ParameterSet state) {
        SavedModels.export(
                dir,
                state,
                (tf, r, user, item) -> {
                    for (String n : NcfNetwork.VARIABLES) {
                        state.get(n); // a missing variable is a model error naming it
                    }
                    NcfNetwork.Dense<TFloat32> dense =
                            new NcfNetwork.Dense<>(
                                    r.get("W1"),
                                    r.get("b1"),
                                    r.get("W2"),
                                    r.get("b2"),
                                    r.get("W3"),
                                    r.get("b3"));
                    return NcfNetwork.score(
                            tf,
                            r.get("P_mlp"),
                            r.get("Q_mlp"),
                            r.get("P_gmf"),
                            r.get("Q_gmf"),
                            dense,
                            user,
                            item);
                });
    }
}
