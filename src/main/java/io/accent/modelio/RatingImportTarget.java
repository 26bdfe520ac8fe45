package io.accent.modelio;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The import target of a family on explicit rating data trained with Adam: the prepared data set's
 * ids, the shape rules of the family's variables (all sized by one embedding width read from the
 * first role), the reference hyperparameters with the overrides a mapping may give, fresh Adam
 * state, and the fit as training and held-out MSE. The family supplies its roles, shapes, reference
 * configuration and scorer.
 */
public abstract class RatingImportTarget implements ImportFamily.Target {

    /** Hyperparameters a mapping may override. */
    private static final List<String> OVERRIDABLE =
            List.of("learning_rate", "weight_decay", "batch_size");

    private final PreparedDataset data;
    private final String family;
    private final List<ImportFamily.Role> roles;

    /**
     * @param family the family's name in messages ({@code NCF})
     * @param roles the family's roles, in the order of {@link #shapes}; the first one's row size is
     *     the embedding width
     */
    protected RatingImportTarget(
            PreparedDataset data, String family, List<ImportFamily.Role> roles) {
        this.data = data;
        this.family = family;
        this.roles = List.copyOf(roles);
    }

    /** The prepared data set. */
    protected PreparedDataset data() {
        return data;
    }

    /** The family's variable shapes for these users and items and embedding width, role order. */
    protected abstract long[][] shapes(int users, int items, int width);

    /** The family's reference hyperparameters (before the mapping's overrides). */
    protected abstract Map<String, Object> referenceConfig();

    /** Checks a completed configuration (throws a {@link ConfigException} when invalid). */
    protected abstract void checkConfig(Map<String, Object> config);

    /** Which variables Adam trains (all by default). */
    protected Predicate<String> trained() {
        return name -> true;
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
    public int fixedRows(ImportFamily.Role role) {
        throw new IllegalArgumentException(family + " has no fixed-row role " + role.name());
    }

    @Override
    public void checkShapes(Map<String, NamedArray> weights, Map<String, String> tensorOf) {
        int users = data.users().size();
        int items = data.items().size();
        String first = roles.get(0).name();
        NamedArray p = weights.get(first);
        if (p.shape().length != 2) {
            throw mismatch(first, p, "a matrix [users, width]", tensorOf);
        }
        int width = p.rowSize();
        long[][] expected = shapes(users, items, width);
        for (int v = 0; v < roles.size(); v++) {
            String role = roles.get(v).name();
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
                                + width
                                + ")",
                        tensorOf);
            }
        }
    }

    @Override
    public Map<String, Object> config(
            Map<String, Object> overrides, Map<String, NamedArray> weights) {
        Map<String, Object> m = new LinkedHashMap<>(referenceConfig());
        for (Map.Entry<String, Object> en : overrides.entrySet()) {
            if (!OVERRIDABLE.contains(en.getKey())) {
                throw new ConfigException(
                        "unknown "
                                + family
                                + " hyperparameter '"
                                + en.getKey()
                                + "' in the mapping (known: "
                                + String.join(", ", OVERRIDABLE)
                                + ")");
            }
            m.put(en.getKey(), en.getValue());
        }
        m.put("embedding_size", weights.get(roles.get(0).name()).rowSize());
        checkConfig(m);
        return m;
    }

    @Override
    public List<NamedArray> freshOptimizerState(
            List<NamedArray> weights, Map<String, Object> config) {
        List<NamedArray> out = new ArrayList<>();
        for (NamedArray w : weights) {
            if (!trained().test(w.name())) {
                continue;
            }
            out.add(
                    new NamedArray(
                            OptimizerSlots.adamM(w.name()), w.shape(), new float[w.data().length]));
            out.add(
                    new NamedArray(
                            OptimizerSlots.adamV(w.name()), w.shape(), new float[w.data().length]));
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
    public ImportFamily.Fit fit(ParameterSet state, Map<String, Object> config) {
        Ratings train = data.train();
        Ratings held = data.heldOut();
        int[] u = Arrays.copyOf(train.users(), train.size() + held.size());
        int[] i = Arrays.copyOf(train.items(), train.size() + held.size());
        System.arraycopy(held.users(), 0, u, train.size(), held.size());
        System.arraycopy(held.items(), 0, i, train.size(), held.size());
        float[] s = score(state, config, u, i);
        return new ImportFamily.Fit(mse(s, 0, train), mse(s, train.size(), held), Double.NaN);
    }

    private static double mse(float[] scores, int offset, Ratings rows) {
        double sum = 0;
        for (int r = 0; r < rows.size(); r++) {
            double e = scores[offset + r] - rows.rating(r);
            sum += e * e;
        }
        return rows.size() == 0 ? Double.NaN : sum / rows.size();
    }

    private ModelException mismatch(
            String role, NamedArray a, String needed, Map<String, String> tensorOf) {
        return new ModelException(
                "tensor '"
                        + tensorOf.get(role)
                        + "' ("
                        + family
                        + " "
                        + role
                        + ") has shape "
                        + Arrays.toString(a.shape())
                        + " as mapped, "
                        + family
                        + " needs "
                        + needed);
    }
}
