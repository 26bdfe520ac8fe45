package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.influence.RcfInfluenceConfig;
import io.accent.model.ModelFamilies;
import io.accent.model.TrainedModel;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** Checks options that apply to one model family only, once the model's family is known. */
final class FamilyOptions {

    /** Options of the NCF influence engine. */
    static final List<String> NCF_ONLY =
            List.of("--solver", "--no-fallback", "--cg-max-iterations");

    /** Options of the RCF influence engine. */
    static final List<String> RCF_ONLY = List.of("--hessian");

    private FamilyOptions() {}

    /**
     * Rejects family-specific options given for a model of the other family (one-line config
     * error), and returns the RCF influence settings.
     *
     * @param hessian the {@code --hessian} value, or null when not given
     */
    static RcfInfluenceConfig rcfInfluence(
            CommandSpec spec, TrainedModel m, String hessian, int threads) {
        String family = m.metadata().family();
        boolean rcf = family.equals(ModelFamilies.RCF.name());
        ParseResult pr = spec.commandLine().getParseResult();
        for (String o : rcf ? NCF_ONLY : RCF_ONLY) {
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
        RcfInfluenceConfig c = RcfInfluenceConfig.defaults().withThreads(threads);
        return hessian == null ? c : c.withHessian(RcfInfluenceConfig.Hessian.byName(hessian));
    }
}
