package io.accent.influence;

import io.accent.core.ModelException;
import io.accent.model.ModelFamilies;
import io.accent.model.TrainedModel;
import io.accent.ncf.NcfInfluenceConfig;
import io.accent.ncf.NcfInfluenceEngine;
import io.accent.rcf.RcfInfluenceConfig;
import io.accent.rcf.RcfInfluenceEngine;

/** Opens the influence engine of a model's family. */
public final class InfluenceEngines {

    private InfluenceEngines() {}

    /**
     * The engine for {@code model}: {@link NcfInfluenceEngine} with {@code ncf} for an NCF model,
     * {@link RcfInfluenceEngine} with {@code rcf} for an RCF model.
     */
    public static InfluenceEngine open(
            TrainedModel model, NcfInfluenceConfig ncf, RcfInfluenceConfig rcf) {
        String family = model.metadata().family();
        if (family.equals(ModelFamilies.NCF.name())) {
            return new NcfInfluenceEngine(model, ncf);
        }
        if (family.equals(ModelFamilies.RCF.name())) {
            return new RcfInfluenceEngine(model, rcf);
        }
        throw new ModelException("no influence engine for model family '" + family + "'");
    }
}
