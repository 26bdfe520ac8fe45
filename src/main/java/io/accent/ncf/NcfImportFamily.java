package io.accent.ncf;

import io.accent.data.PreparedDataset;
import io.accent.model.ImportFamily;
import io.accent.modelio.ModelImport;
import io.accent.modelio.RatingImportTarget;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** NCF for {@link ModelImport}: the ten variables of docs/SPEC.md §2.1 and Adam's state. */
public final class NcfImportFamily implements ImportFamily {

    public static final NcfImportFamily INSTANCE = new NcfImportFamily();

    private static final List<Role> ROLES =
            List.of(
                    new Role("P_mlp", Rows.USERS), new Role("Q_mlp", Rows.ITEMS),
                    new Role("P_gmf", Rows.USERS), new Role("Q_gmf", Rows.ITEMS),
                    new Role("W1", Rows.NONE), new Role("b1", Rows.NONE),
                    new Role("W2", Rows.NONE), new Role("b2", Rows.NONE),
                    new Role("W3", Rows.NONE), new Role("b3", Rows.NONE));

    private NcfImportFamily() {}

    /** Name of the built-in mapping for the reference implementation's NCF checkpoints. */
    public static final String REFERENCE_NCF = "reference-ncf";

    /**
     * The reference's {@code ncf.py} variable scopes (embeddings stored flat as [rows·16], layers
     * as [in·out]) with TF1 Adam slots, as a mapping file would say it.
     */
    @Override
    public Map<String, String> builtinMappings() {
        int e = NcfConfig.REFERENCE_EMBEDDING;
        String json =
                String.format(
                        """
                        {"family": "ncf", "optimizer": "tf1-adam", "tensors": {
                          "P_mlp": {"tensor": "embedding_layer/mlp/embedding_users", "reshape": [-1, %1$d]},
                          "Q_mlp": {"tensor": "embedding_layer/mlp/embedding_items", "reshape": [-1, %1$d]},
                          "P_gmf": {"tensor": "embedding_layer/gmf/embedding_users", "reshape": [-1, %1$d]},
                          "Q_gmf": {"tensor": "embedding_layer/gmf/embedding_items", "reshape": [-1, %1$d]},
                          "W1": {"tensor": "h1/weights", "reshape": [%2$d, %3$d]},
                          "b1": "h1/biases",
                          "W2": {"tensor": "h2/weights", "reshape": [%3$d, %4$d]},
                          "b2": "h2/biases",
                          "W3": {"tensor": "h3/weights", "reshape": [%5$d, 1]},
                          "b3": "h3/biases"}}
                        """,
                        e, 2 * e, NcfNetwork.H1, NcfNetwork.H2, NcfNetwork.H2 + e);
        return Map.of(REFERENCE_NCF, json);
    }

    @Override
    public String name() {
        return NcfFamily.NAME;
    }

    @Override
    public List<Role> roles() {
        return ROLES;
    }

    @Override
    public Map<String, String> slotFields() {
        return Map.of(
                "adam_m", OptimizerSlots.ADAM_M_SUFFIX, "adam_v", OptimizerSlots.ADAM_V_SUFFIX);
    }

    @Override
    public Map<String, String> scalarFields() {
        return Map.of(
                "beta1_power",
                OptimizerSlots.BETA1_POWER,
                "beta2_power",
                OptimizerSlots.BETA2_POWER);
    }

    @Override
    public Target target(Path dataDir) {
        return new NcfTarget(PreparedDataset.load(dataDir));
    }

    private static final class NcfTarget extends RatingImportTarget {

        NcfTarget(PreparedDataset data) {
            super(data, "NCF", ROLES);
        }

        @Override
        protected long[][] shapes(int users, int items, int width) {
            return NcfNetwork.shapes(users, items, width);
        }

        @Override
        protected Map<String, Object> referenceConfig() {
            return NcfConfig.reference(0, 0).asMap();
        }

        @Override
        protected void checkConfig(Map<String, Object> config) {
            NcfConfig.fromMap(config);
        }

        @Override
        public float[] score(
                ParameterSet state, Map<String, Object> config, int[] users, int[] items) {
            return new NcfTrainer(NcfConfig.fromMap(config), 1)
                    .score(data().users().size(), data().items().size(), state, users, items);
        }
    }
}
