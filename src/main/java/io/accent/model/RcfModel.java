package io.accent.model;

import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.data.RcfDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An RCF model served from a self-contained TensorFlow SavedModel: its {@code serving_default}
 * signature takes {@code user}, {@code item} (int32 dense ids, [-1]) and returns {@code score}
 * (float32, [-1]); the users' positive lists and the items' attributes are graph constants and the
 * neighbour lists are built in the graph ({@link RcfServing}), so any TensorFlow runtime can score.
 */
public final class RcfModel implements TrainedModel {

    /** Pairs per session call when scoring (§4.6 scores in chunks of 512). */
    static final int CHUNK = 512;

    private final ModelMetadata metadata;
    private final RcfDataset dataset;
    private final RcfData data;
    private final SavedModelBundle bundle;
    private final SessionFunction scoreFn;

    private RcfModel(
            ModelMetadata metadata, RcfDataset dataset, RcfData data, SavedModelBundle bundle) {
        this.metadata = metadata;
        this.dataset = dataset;
        this.data = data;
        this.bundle = bundle;
        this.scoreFn = bundle.function(SavedModels.SIGNATURE);
    }

    static RcfModel load(Path modelDir, ModelMetadata m) {
        RcfConfig config = RcfConfig.fromMap(m.config());
        RcfDataset d = RcfDataset.load(modelDir.resolve(ModelStore.DATA));
        if (d.users().size() != m.numUsers() || d.items().size() != m.numItems()) {
            throw new ModelException(
                    "model "
                            + modelDir
                            + " was trained on "
                            + m.numUsers()
                            + " users and "
                            + m.numItems()
                            + " items but its data has "
                            + d.users().size()
                            + " and "
                            + d.items().size());
        }
        RcfData data = RcfData.of(d, config.hidden(), config.attention(), config.mlp());
        return new RcfModel(m, d, data, SavedModels.load(modelDir.resolve(ModelStore.SAVED_MODEL)));
    }

    /** Writes the self-contained SavedModel of {@code state} trained on {@code data}. */
    static void export(Path dir, RcfConfig config, ParameterSet state, RcfData data) {
        SavedModels.export(
                dir,
                state,
                (tf, reads, user, item) -> {
                    List<Operand<TFloat32>> w = new ArrayList<>();
                    for (String n : RcfNetwork.VARIABLES) {
                        state.get(n); // a missing variable is a model error naming it
                        w.add(reads.get(n));
                    }
                    RcfNetwork.Lists lists = RcfServing.lists(tf, data.lists(), user, item);
                    return RcfNetwork.score(
                            tf,
                            RcfNetwork.Nonlinearity.NATIVE,
                            new RcfNetwork.Weights<>(w),
                            config.alpha(),
                            user,
                            item,
                            lists);
                });
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The model's data in dense ids (triples, relational rows, neighbour lists). */
    public RcfData rcfData() {
        return data;
    }

    @Override
    public String dataName() {
        return dataset.name();
    }

    @Override
    public String dataFingerprint() {
        return dataset.fingerprint();
    }

    @Override
    public IdMap users() {
        return dataset.users();
    }

    @Override
    public IdMap items() {
        return dataset.items();
    }

    @Override
    public String title(int item) {
        return dataset.title(item);
    }

    /** RCF excludes only the user's training positives N_u (§4.6). */
    @Override
    public BitSet trainingItems(int user) {
        BitSet b = new BitSet(metadata.numItems());
        for (int j : data.lists().positives(user)) {
            b.set(j);
        }
        return b;
    }

    @Override
    public float[] score(int[] users, int[] items) {
        if (users.length != items.length) {
            throw new IllegalArgumentException(
                    users.length + " users but " + items.length + " items");
        }
        for (int k = 0; k < users.length; k++) {
            if (users[k] < 0
                    || users[k] >= metadata.numUsers()
                    || items[k] < 0
                    || items[k] >= metadata.numItems()) {
                throw new ModelException(
                        "pair "
                                + k
                                + " (user "
                                + users[k]
                                + ", item "
                                + items[k]
                                + ") is outside the model's "
                                + metadata.numUsers()
                                + " users and "
                                + metadata.numItems()
                                + " items");
            }
        }
        for (int k = 0; k < users.length; k++) {
            if (data.lists().positiveCount(users[k]) == 0) {
                throw new io.accent.core.DataException(
                        "user "
                                + dataset.users().raw(users[k])
                                + " (pair "
                                + (k + 1)
                                + ") has no training positives: RCF has no neighbour lists for it and never trained its"
                                + " embedding, so it cannot score or recommend for it");
            }
        }
        float[] out = new float[users.length];
        for (int from = 0; from < users.length; from += CHUNK) {
            int to = Math.min(users.length, from + CHUNK);
            try (TInt32 u = TInt32.vectorOf(java.util.Arrays.copyOfRange(users, from, to));
                    TInt32 i = TInt32.vectorOf(java.util.Arrays.copyOfRange(items, from, to));
                    Result r = scoreFn.call(Map.of("user", u, "item", i))) {
                TFloat32 s = (TFloat32) r.get("score").orElseThrow();
                float[] part = new float[to - from];
                s.asRawTensor().data().asFloats().read(part);
                System.arraycopy(part, 0, out, from, part.length);
            }
        }
        return out;
    }

    @Override
    public ParameterSet parameters() {
        return SavedModels.variables(bundle, RcfNetwork.VARIABLES);
    }

    @Override
    public void close() {
        bundle.close();
    }
}
