package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.model.ModelFamilies;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import io.accent.rcf.RcfInfluenceConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks options that apply to one model family only, from the family in {@code model.json}, before
 * the model is loaded.
 */
final class FamilyOptions {

    /** Options of the NCF influence engine. */
    static final List<String> NCF_ONLY =
            List.of("--solver", "--no-fallback", "--cg-max-iterations");

    /** Options of the RCF influence engine. */
    static final List<String> RCF_ONLY = List.of("--hessian");

    private FamilyOptions() {}

    /**
     * Reads the model's {@code model.json} only (the model is not loaded yet) and rejects options
     * given for the other family: one-line configuration error, before any model loads.
     *
     * @param ncfOnly options that apply to NCF models only
     * @param rcfOnly options that apply to RCF models only
     * @return the model's metadata
     */
    static ModelMetadata check(
            CommandSpec spec, Path modelDir, List<String> ncfOnly, List<String> rcfOnly) {
        ModelMetadata meta = ModelStore.readMetadata(modelDir);
        String family = meta.family();
        boolean rcf = family.equals(ModelFamilies.RCF.name());
        ParseResult pr = spec.commandLine().getParseResult();
        for (String o : rcf ? ncfOnly : rcfOnly) {
            if (pr.hasMatchedOption(o)) {
                throw new ConfigException(
                        o
                                + " applies to "
                                + (rcf ? "NCF" : "RCF")
                                + " models only; the model is an "
                                + family.toUpperCase(java.util.Locale.ROOT)
                                + " model");
            }
        }
        return meta;
    }

    /** The influence engines' family-specific options, checked before the model loads. */
    static ModelMetadata checkInfluence(CommandSpec spec, Path modelDir) {
        return check(spec, modelDir, NCF_ONLY, RCF_ONLY);
    }

    /**
     * The RCF influence settings.
     *
     * @param hessian the {@code --hessian} value, or null when not given
     */
    static RcfInfluenceConfig rcfInfluence(String hessian, int threads) {
        RcfInfluenceConfig c = RcfInfluenceConfig.defaults().withThreads(threads);
        return hessian == null ? c : c.withHessian(RcfInfluenceConfig.Hessian.byName(hessian));
    }
}
