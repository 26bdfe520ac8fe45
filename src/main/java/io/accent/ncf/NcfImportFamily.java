package io.accent.ncf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.ImportFamily;
import io.accent.modelio.ModelImport;
import io.accent.tf.AdamStep;
import io.accent.tf.NamedArray;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    private record NcfTarget(PreparedDataset data) implements Target {

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
        public int fixedRows(Role role) {
            throw new IllegalArgumentException("NCF has no fixed-row role " + role.name());
        }

        @Override
        public void checkShapes(Map<String, NamedArray> weights, Map<String, String> tensorOf) {
            int users = data.users().size();
            int items = data.items().size();
            NamedArray p = weights.get("P_mlp");
            if (p.shape().length != 2) {
                throw mismatch("P_mlp", p, "a matrix [users, E]", tensorOf);
            }
            int e = p.rowSize();
            long[][] expected = NcfNetwork.shapes(users, items, e);
            for (int v = 0; v < ROLES.size(); v++) {
                String role = ROLES.get(v).name();
                NamedArray a = weights.get(role);
                if (!Arrays.equals(a.shape(), expected[v])) {
                    throw mismatch(
                            role,
                            a,
                            Arrays.toString(expected[v])
                                    + " ("
                                    + users
                                    + " users, "
                                    + items
                                    + " items, embedding size "
                                    + e
                                    + ")",
                            tensorOf);
                }
            }
        }

        @Override
        public Map<String, Object> config(
                Map<String, Object> overrides, Map<String, NamedArray> weights) {
            Map<String, Object> m = new LinkedHashMap<>(NcfConfig.reference(0, 0).asMap());
            for (Map.Entry<String, Object> en : overrides.entrySet()) {
                if (!List.of("learning_rate", "weight_decay", "batch_size").contains(en.getKey())) {
                    throw new ConfigException(
                            "unknown NCF hyperparameter '"
                                    + en.getKey()
                                    + "' in the mapping (known: learning_rate, weight_decay, batch_size)");
                }
                m.put(en.getKey(), en.getValue());
            }
            m.put("embedding_size", weights.get("P_mlp").rowSize());
            NcfConfig.fromMap(m);
            return m;
        }

        @Override
        public List<NamedArray> freshOptimizerState(
                List<NamedArray> weights, Map<String, Object> config) {
            List<NamedArray> out = new ArrayList<>();
            for (NamedArray w : weights) {
                out.add(
                        new NamedArray(
                                OptimizerSlots.adamM(w.name()),
                                w.shape(),
                                new float[w.data().length]));
                out.add(
                        new NamedArray(
                                OptimizerSlots.adamV(w.name()),
                                w.shape(),
                                new float[w.data().length]));
            }
            out.add(
                    new NamedArray(
                            OptimizerSlots.BETA1_POWER, new long[0], new float[] {AdamStep.BETA1}));
            out.add(
                    new NamedArray(
                            OptimizerSlots.BETA2_POWER, new long[0], new float[] {AdamStep.BETA2}));
            return out;
        }

        @Override
        public float[] score(
                ParameterSet state, Map<String, Object> config, int[] users, int[] items) {
            return new NcfTrainer(NcfConfig.fromMap(config), 1)
                    .score(data.users().size(), data.items().size(), state, users, items);
        }

        @Override
        public Fit fit(ParameterSet state, Map<String, Object> config) {
            Ratings train = data.train();
            Ratings held = data.heldOut();
            int[] u = Arrays.copyOf(train.users(), train.size() + held.size());
            int[] i = Arrays.copyOf(train.items(), train.size() + held.size());
            System.arraycopy(held.users(), 0, u, train.size(), held.size());
            System.arraycopy(held.items(), 0, i, train.size(), held.size());
            float[] s = score(state, config, u, i);
            return new Fit(mse(s, 0, train), mse(s, train.size(), held), Double.NaN);
        }
    }

    private static double mse(float[] scores, int offset, Ratings rows) {
        double sum = 0;
        for (int r = 0; r < rows.size(); r++) {
            double e = scores[offset + r] - rows.rating(r);
            sum += e * e;
        }
        return rows.size() == 0 ? Double.NaN : sum / rows.size();
    }

    private static ModelException mismatch(
            String role, NamedArray a, String needed, Map<String, String> tensorOf) {
        return new ModelException(
                "tensor '"
                        + tensorOf.get(role)
                        + "' (NCF "
                        + role
                        + ") has shape "
                        + Arrays.toString(a.shape())
                        + " as mapped, NCF needs "
                        + needed);
    }
}
