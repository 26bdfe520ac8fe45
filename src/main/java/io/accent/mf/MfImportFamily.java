package io.accent.mf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.data.PreparedDataset;
import io.accent.data.Ratings;
import io.accent.model.ImportFamily;
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

/**
 * MF for {@code accent import}: the roles P [users, d], Q [items, d], Bu [users, 1], Bi [items, 1]
 * and mu [] (a scalar), and Adam's state. A source that stores a bias as a vector is mapped with
 * {@code "reshape": [-1, 1]}.
 */
public final class MfImportFamily implements ImportFamily {

    public static final MfImportFamily INSTANCE = new MfImportFamily();

    private static final List<Role> ROLES =
            List.of(
                    new Role("P", Rows.USERS),
                    new Role("Q", Rows.ITEMS),
                    new Role("Bu", Rows.USERS),
                    new Role("Bi", Rows.ITEMS),
                    new Role("mu", Rows.NONE));

    private MfImportFamily() {}

    @Override
    public String name() {
        return MfFamily.NAME;
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
        return new MfTarget(PreparedDataset.load(dataDir));
    }

    private record MfTarget(PreparedDataset data) implements Target {

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
            throw new IllegalArgumentException("MF has no fixed-row role " + role.name());
        }

        @Override
        public void checkShapes(Map<String, NamedArray> weights, Map<String, String> tensorOf) {
            int users = data.users().size();
            int items = data.items().size();
            NamedArray p = weights.get("P");
            if (p.shape().length != 2) {
                throw mismatch("P", p, "a matrix [users, d]", tensorOf);
            }
            int d = p.rowSize();
            long[][] expected = MfNetwork.shapes(users, items, d);
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
                                    + " items, factor size "
                                    + d
                                    + ")",
                            tensorOf);
                }
            }
        }

        @Override
        public Map<String, Object> config(
                Map<String, Object> overrides, Map<String, NamedArray> weights) {
            Map<String, Object> m =
                    new LinkedHashMap<>(
                            MfConfig.reference(MfConfig.DEFAULT_EMBEDDING, 0, 0).asMap());
            for (Map.Entry<String, Object> en : overrides.entrySet()) {
                if (!List.of("learning_rate", "weight_decay", "batch_size").contains(en.getKey())) {
                    throw new ConfigException(
                            "unknown MF hyperparameter '"
                                    + en.getKey()
                                    + "' in the mapping (known: learning_rate, weight_decay,"
                                    + " batch_size)");
                }
                m.put(en.getKey(), en.getValue());
            }
            m.put("embedding_size", weights.get("P").rowSize());
            MfConfig.fromMap(m);
            return m;
        }

        @Override
        public List<NamedArray> freshOptimizerState(
                List<NamedArray> weights, Map<String, Object> config) {
            List<NamedArray> out = new ArrayList<>();
            for (NamedArray w : weights) {
                if (!MfNetwork.TRAINED.contains(w.name())) {
                    continue; // mu is a constant
                }
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
            return new MfTrainer(MfConfig.fromMap(config), 1)
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
                        + "' (MF "
                        + role
                        + ") has shape "
                        + Arrays.toString(a.shape())
                        + " as mapped, MF needs "
                        + needed);
    }
}
