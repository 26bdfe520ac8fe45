package io.accent.rcf;

import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.data.RcfDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import io.accent.modelio.SavedModels;
import io.accent.modelio.ScoringGraph;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * An RCF model: the variables read from the model directory's SavedModel variables, scored by the
 * serving network built here from the family's code ({@link ScoringGraph}: the users' positive
 * lists and the items' attributes are graph constants and the neighbour lists are built in the
 * graph, {@link RcfServing}). The stored graph is never run. The exported SavedModel is this same
 * graph: its {@code serving_default} signature takes {@code user}, {@code item} (int32 dense ids,
 * [-1]) and returns {@code score} (float32, [-1]), so any TensorFlow runtime can score.
 */
public final class RcfModel implements TrainedModel {

    /** Pairs per session call when scoring (§4.6 scores in chunks of 512). */
    static final int CHUNK = 512;

    private final ModelMetadata metadata;
    private final RcfDataset dataset;
    private final RcfData data;
    private final ParameterSet state;
    private final ScoringGraph graph;

    private RcfModel(
            ModelMetadata metadata,
            RcfConfig config,
            RcfDataset dataset,
            RcfData data,
            ParameterSet state) {
        this.metadata = metadata;
        this.dataset = dataset;
        this.data = data;
        this.state = state;
        this.graph = new ScoringGraph(state, body(config, data));
    }

    /** {@code model} as an RCF model; a model of another family is a model error. */
    static RcfModel of(TrainedModel model) {
        if (model instanceof RcfModel r) {
            return r;
        }
        throw new io.accent.core.ModelException(
                "this needs an RCF model; the model is " + model.metadata().family());
    }

    public static RcfModel load(Path modelDir, ModelMetadata m) {
        RcfConfig config = RcfConfig.fromMap(m.config());
        RcfDataset d = RcfDataset.load(modelDir.resolve(ModelStore.DATA));
        m.requireDataSizes(modelDir, d.users().size(), d.items().size());
        RcfKinds.of(m.config()).requireData(modelDir, d.attributes().kinds());
        RcfData data = RcfData.of(d, config.hidden(), config.attention(), config.mlp());
        return new RcfModel(
                m,
                config,
                d,
                data,
                SavedModels.variables(
                        modelDir.resolve(ModelStore.SAVED_MODEL),
                        data.sizes().variables(),
                        RcfNetwork.shapes(data.sizes())));
    }

    /** Writes the self-contained SavedModel of {@code state} trained on {@code data}. */
    public static void export(Path dir, RcfConfig config, ParameterSet state, RcfData data) {
        for (String n : data.sizes().variables()) {
            state.get(n); // a missing variable is a model error naming it
        }
        SavedModels.export(dir, state, body(config, data));
    }

    /** RCF's serving score: the one scoring body of loading and export. */
    private static ScoringGraph.Body body(RcfConfig config, RcfData data) {
        return (tf, reads, user, item) -> {
            List<Operand<TFloat32>> w = new ArrayList<>();
            for (String n : data.sizes().variables()) {
                w.add(reads.get(n));
            }
            return servingScore(tf, config, data, w, user, item);
        };
    }

    /**
     * ŷ(user, item) of the weights {@code w} (in {@link RcfNetwork#variables} order) with the
     * neighbour lists built in the graph from {@code data}'s N_u ({@link RcfServing}).
     */
    static Operand<TFloat32> servingScore(
            Ops tf,
            RcfConfig config,
            RcfData data,
            List<Operand<TFloat32>> w,
            Operand<TInt32> user,
            Operand<TInt32> item) {
        RcfNetwork.Lists lists = RcfServing.lists(tf, data.lists(), user, item);
        return RcfNetwork.score(
                tf,
                RcfNetwork.Nonlinearity.NATIVE,
                new RcfNetwork.Weights<>(w),
                config.alpha(),
                user,
                item,
                lists);
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
            float[] part =
                    graph.score(
                            java.util.Arrays.copyOfRange(users, from, to),
                            java.util.Arrays.copyOfRange(items, from, to));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    @Override
    public ParameterSet parameters() {
        return state;
    }

    @Override
    public void close() {
        graph.close();
    }
}
