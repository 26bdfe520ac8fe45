package io.accent.modelio;

import io.accent.data.IdMap;
import io.accent.data.PreparedDataset;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import io.accent.tf.ParameterSet;
import java.util.BitSet;

/**
 * A model over explicit rating data (a prepared data set's training ratings, ids and titles),
 * scored by the graph its family builds ({@link ScoringGraph}); the stored graph is never run. What
 * the families on rating data share; each adds its network and loading. Top-k excludes every item
 * of the user's training rows, whatever the rating. Owns native resources; close it.
 */
public abstract class RatingModel implements TrainedModel {

    private final ModelMetadata metadata;
    private final PreparedDataset data;
    private final ParameterSet state;
    private final ScoringGraph graph;

    /**
     * @param state the variables (and optimizer state), already checked against the family's shapes
     * @param body the family's score, built once into the scoring graph
     */
    protected RatingModel(
            ModelMetadata metadata,
            PreparedDataset data,
            ParameterSet state,
            ScoringGraph.Body body) {
        this.metadata = metadata;
        this.data = data;
        this.state = state;
        this.graph = new ScoringGraph(state, body);
    }

    /** The prepared data files a model on rating data ships in {@code data/}. */
    public static final java.util.List<String> DATA_FILES =
            java.util.List.of(
                    PreparedDataset.DESCRIPTOR,
                    PreparedDataset.USERS,
                    PreparedDataset.NCF_ITEMS,
                    PreparedDataset.NCF_TRAIN,
                    PreparedDataset.NCF_TEST);

    /**
     * The rating data shipped in {@code modelDir}, checked against the users and items of its
     * metadata.
     *
     * @throws io.accent.core.ModelException if it is unreadable or of other sizes
     */
    public static PreparedDataset loadData(java.nio.file.Path modelDir, ModelMetadata m) {
        PreparedDataset data;
        try {
            data = PreparedDataset.load(modelDir.resolve(ModelStore.DATA));
        } catch (java.io.UncheckedIOException e) {
            throw new io.accent.core.ModelException(
                    "model " + modelDir + " has unreadable data: " + e.getMessage(), e);
        }
        m.requireDataSizes(modelDir, data.users().size(), data.items().size());
        return data;
    }

    @Override
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The rating data shipped with the model (ids, titles, training and held-out rows). */
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
        return graph.score(users, items);
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
