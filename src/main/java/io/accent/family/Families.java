package io.accent.family;

import io.accent.core.ModelException;
import io.accent.model.ModelFamilies;
import io.accent.model.ModelFamily;
import io.accent.model.ModelMetadata;
import io.accent.model.TrainedModel;
import java.util.List;

/** The registered families ({@link ModelFamilies}) as full {@link Family} seams. */
public final class Families {

    private Families() {}

    /** Every family, in registration order. */
    public static List<Family> all() {
        return ModelFamilies.all().stream().map(Families::full).toList();
    }

    /** The family named {@code name}; an unknown name is a model error listing the known ones. */
    public static Family get(String name) {
        return full(ModelFamilies.get(name));
    }

    /** The family of a model directory's metadata. */
    public static Family of(ModelMetadata metadata) {
        return get(metadata.family());
    }

    /** The family of a loaded model. */
    public static Family of(TrainedModel model) {
        return of(model.metadata());
    }

    private static Family full(ModelFamily f) {
        if (f instanceof Family full) {
            return full;
        }
        throw new ModelException(
                "model family '" + f.name() + "' is registered without influence or evaluation");
    }
}
