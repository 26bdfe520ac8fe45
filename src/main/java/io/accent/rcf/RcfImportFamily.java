package io.accent.rcf;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.data.IdMap;
import io.accent.data.RcfDataset;
import io.accent.model.ImportFamily;
import io.accent.modelio.ModelImport;
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
 * RCF for {@link ModelImport}: the variables of docs/SPEC.md §4.1 under the names of {@link
 * RcfNetwork#variables} for the K attribute kinds of the data (§11.2; the 27 of the reference with
 * the RCF release's three kinds), with Adagrad's accumulators as optional optimizer state. {@code
 * e_user} rows follow the users, {@code q} rows the RCF item id space ({@code rcf-items.tsv}, not
 * NCF's), and {@code V1..VK} rows the value ids of each kind (the release: raw genre, director and
 * actor ids); {@code q} and {@code V1..VK} may be stored with their zero pad row (the reference's
 * layout) or without it (this project's).
 */
public final class RcfImportFamily implements ImportFamily {

    public static final RcfImportFamily INSTANCE = new RcfImportFamily();

    /** Hyperparameters a mapping may set (the sizes come from the weights). */
    private static final List<String> OVERRIDES =
            List.of(
                    "alpha",
                    "relational_weight",
                    "learning_rate",
                    "initial_accumulator",
                    "batch_size",
                    "epochs",
                    "init_seed",
                    "seed");

    private static final List<Role> ROLES = buildRoles(RcfKinds.RELEASE.count());

    private RcfImportFamily() {}

    private static List<Role> buildRoles(int kinds) {
        List<Role> out = new ArrayList<>();
        for (String v : RcfNetwork.variables(kinds)) {
            if (v.equals("e_user")) {
                out.add(new Role(v, Rows.USERS));
            } else if (v.equals("q")) {
                out.add(new Role(v, Rows.ITEMS, true));
            } else if (v.matches("V[0-9]+")) {
                out.add(new Role(v, Rows.FIXED, true));
            } else {
                out.add(new Role(v, Rows.NONE));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String name() {
        return RcfFamily.NAME;
    }

    @Override
    public List<Role> roles() {
        return ROLES;
    }

    /** The roles for the K attribute kinds of the target's data. */
    @Override
    public List<Role> roles(Target target) {
        int kinds = ((RcfTarget) target).data.attributes().kindCount();
        return kinds == RcfKinds.RELEASE.count() ? ROLES : buildRoles(kinds);
    }

    @Override
    public Map<String, String> slotFields() {
        return Map.of("adagrad", OptimizerSlots.ADAGRAD_SUFFIX);
    }

    @Override
    public Map<String, String> scalarFields() {
        return Map.of();
    }

    @Override
    public Target target(Path dataDir) {
        return new RcfTarget(RcfDataset.load(dataDir));
    }

    private static final class RcfTarget implements Target {
        private final RcfDataset data;
        private RcfData dense;

        RcfTarget(RcfDataset data) {
            this.data = data;
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
        public int fixedRows(Role role) {
            if (!role.name().matches("V[0-9]+")) {
                throw new IllegalArgumentException("RCF has no fixed-row role " + role.name());
            }
            return data.attributes().vocabularySize(Integer.parseInt(role.name().substring(1)) - 1);
        }

        /** The sizes fixed by the data, and H, A and the MLP width read off e_user, Wt and M0. */
        private RcfNetwork.Sizes sizes(
                Map<String, NamedArray> weights, Map<String, String> tensorOf) {
            int[] hidden = new int[3];
            String[][] from = {{"e_user", "[users, H]"}, {"Wt", "[H, A]"}, {"M0", "[H, mlp]"}};
            for (int k = 0; k < 3; k++) {
                NamedArray a = weights.get(from[k][0]);
                if (a.shape().length != 2) {
                    throw mismatch(from[k][0], a, "a matrix " + from[k][1], tensorOf);
                }
                hidden[k] = a.rowSize();
            }
            List<Integer> vocabularies = new ArrayList<>();
            for (int k = 0; k < data.attributes().kindCount(); k++) {
                vocabularies.add(data.attributes().vocabularySize(k));
            }
            return new RcfNetwork.Sizes(
                    data.users().size(),
                    data.items().size(),
                    vocabularies,
                    hidden[0],
                    hidden[1],
                    hidden[2]);
        }

        @Override
        public void checkShapes(Map<String, NamedArray> weights, Map<String, String> tensorOf) {
            RcfNetwork.Sizes s = sizes(weights, tensorOf);
            long[][] expected = RcfNetwork.shapes(s);
            List<String> names = s.variables();
            for (int v = 0; v < names.size(); v++) {
                String role = names.get(v);
                NamedArray a = weights.get(role);
                if (!Arrays.equals(a.shape(), expected[v])) {
                    throw mismatch(
                            role,
                            a,
                            Arrays.toString(expected[v])
                                    + " ("
                                    + s.users()
                                    + " users, "
                                    + s.items()
                                    + " items, "
                                    + vocabularies()
                                    + "; H "
                                    + s.hidden()
                                    + ", A "
                                    + s.attention()
                                    + ", MLP "
                                    + s.mlp()
                                    + ")",
                            tensorOf);
                }
            }
        }

        /** "26 genre, 1154 director, 3946 actor values": each kind's vocabulary size. */
        private String vocabularies() {
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < data.attributes().kindCount(); k++) {
                parts.add(
                        data.attributes().vocabularySize(k)
                                + " "
                                + data.attributes().kinds().get(k));
            }
            return String.join(", ", parts) + " values";
        }

        @Override
        public Map<String, Object> config(
                Map<String, Object> overrides, Map<String, NamedArray> weights) {
            Map<String, Object> m =
                    new LinkedHashMap<>(
                            RcfConfig.reference(
                                            RcfConfig.REFERENCE_EPOCHS, RcfConfig.REFERENCE_SEED)
                                    .asMap());
            for (Map.Entry<String, Object> en : overrides.entrySet()) {
                if (!OVERRIDES.contains(en.getKey())) {
                    throw new ConfigException(
                            "unknown RCF hyperparameter '"
                                    + en.getKey()
                                    + "' in the mapping (known: "
                                    + String.join(", ", OVERRIDES)
                                    + ")");
                }
                m.put(en.getKey(), en.getValue());
            }
            m.put("hidden", weights.get("e_user").rowSize());
            m.put("attention", weights.get("Wt").rowSize());
            m.put("mlp", weights.get("M0").rowSize());
            RcfConfig.fromMap(m);
            return new RcfKinds(data.attributes().kinds()).recordIn(m);
        }

        @Override
        public List<NamedArray> freshOptimizerState(
                List<NamedArray> weights, Map<String, Object> config) {
            float init = (float) RcfConfig.fromMap(config).initialAccumulator();
            List<NamedArray> out = new ArrayList<>();
            for (NamedArray w : weights) {
                float[] d = new float[w.data().length];
                Arrays.fill(d, init);
                out.add(new NamedArray(OptimizerSlots.adagrad(w.name()), w.shape(), d));
            }
            return out;
        }

        private RcfData dense(RcfConfig c) {
            if (dense == null
                    || dense.sizes().hidden() != c.hidden()
                    || dense.sizes().attention() != c.attention()
                    || dense.sizes().mlp() != c.mlp()) {
                dense = RcfData.of(data, c.hidden(), c.attention(), c.mlp());
            }
            return dense;
        }

        @Override
        public float[] score(
                ParameterSet state, Map<String, Object> config, int[] users, int[] items) {
            RcfConfig c = RcfConfig.fromMap(config);
            return new RcfTrainer(c, 1).score(dense(c), state, users, items);
        }

        @Override
        public Fit fit(ParameterSet state, Map<String, Object> config) {
            RcfConfig c = RcfConfig.fromMap(config);
            RcfData d = dense(c);
            double sanity =
                    RcfTraining.sanity(
                            d.test(), RcfTraining.scorer(new RcfTrainer(c, 1), d, state, d.test()));
            return new Fit(Double.NaN, Double.NaN, sanity);
        }
    }

    private static ModelException mismatch(
            String role, NamedArray a, String needed, Map<String, String> tensorOf) {
        return new ModelException(
                "tensor '"
                        + tensorOf.get(role)
                        + "' (RCF "
                        + role
                        + ") has shape "
                        + Arrays.toString(a.shape())
                        + " as mapped, RCF needs "
                        + needed);
    }
}
