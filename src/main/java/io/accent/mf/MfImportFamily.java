package io.accent.mf;

import io.accent.data.PreparedDataset;
import io.accent.model.ImportFamily;
import io.accent.modelio.RatingImportTarget;
import io.accent.tf.OptimizerSlots;
import io.accent.tf.ParameterSet;
import java.nio.file.Path;
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

    private static final class MfTarget extends RatingImportTarget {

        MfTarget(PreparedDataset data) {
            super(data, "MF", ROLES);
        }

        @Override
        protected long[][] shapes(int users, int items, int width) {
            return MfNetwork.shapes(users, items, width);
        }

        @Override
        protected Map<String, Object> referenceConfig() {
            return MfConfig.reference(MfConfig.DEFAULT_EMBEDDING, 0, 0).asMap();
        }

        @Override
        protected void checkConfig(Map<String, Object> config) {
            MfConfig.fromMap(config);
        }

        @Override
        protected java.util.function.Predicate<String> trained() {
            return MfNetwork.TRAINED::contains; // mu is a constant
        }

        @Override
        public float[] score(
                ParameterSet state, Map<String, Object> config, int[] users, int[] items) {
            return new MfTrainer(MfConfig.fromMap(config), 1)
                    .score(data().users().size(), data().items().size(), state, users, items);
        }
    }
}
