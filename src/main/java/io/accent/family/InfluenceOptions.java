package io.accent.family;

import io.accent.core.ConfigException;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.Curvature;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceScope;
import io.accent.influence.LinearSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The influence options that the families with a full scope share (NCF, MF), declared and parsed in
 * one place so that {@code influence} and {@code explain} accept the same spelling for each: {@code
 * --scope}, {@code --curvature}, {@code --damping}, {@code --cg-tolerance}, {@code
 * --cg-max-iterations}, {@code --solver} and {@code --no-fallback}.
 *
 * <p>Defaults depend on the scope. With {@code --scope embeddings} (the paper's) the small block
 * systems are solved by CG with tolerance 1e-8 and at most 200 iterations, damping 1e-6, falling
 * back to a direct solve unless {@code --no-fallback}. With {@code --scope full} there is no direct
 * solve to fall back to: the system is solved by block conjugate gradients with Gauss-Newton
 * curvature, damping 0.01, tolerance 1e-2 and at most 500 iterations, and a solve that does not
 * converge is an error.
 *
 * @param scope which parameters are perturbed
 * @param damping μ added to the curvature's diagonal
 * @param solver the embeddings scope's solver of each block system (its CG carries the tolerance
 *     and cap given)
 * @param directFallback the embeddings scope falls back to a direct solve when CG does not converge
 * @param full the full scope's settings; present exactly when {@code scope} is {@link
 *     InfluenceScope#FULL}
 */
public record InfluenceOptions(
        InfluenceScope scope,
        double damping,
        LinearSolver solver,
        boolean directFallback,
        Optional<FullScopeConfig> full) {

    public static final String SCOPE = "--scope";
    public static final String CURVATURE = "--curvature";
    public static final String DAMPING = "--damping";
    public static final String CG_TOLERANCE = "--cg-tolerance";
    public static final String CG_MAX = "--cg-max-iterations";
    public static final String SOLVER = "--solver";
    public static final String NO_FALLBACK = "--no-fallback";

    /** The embeddings scope's defaults: damping 1e-6, CG to 1e-8 in at most 200 iterations. */
    public static final double EMBEDDINGS_DAMPING = 1e-6;

    public static final double EMBEDDINGS_TOLERANCE = 1e-8;
    public static final int EMBEDDINGS_MAX_ITERATIONS = 200;

    public InfluenceOptions {
        if (full.isPresent() != (scope == InfluenceScope.FULL)) {
            throw new IllegalArgumentException("full-scope settings go with --scope full only");
        }
    }

    /** The shared options, in help order. */
    public static List<FamilyOption> declared() {
        List<FamilyOption> out = new ArrayList<>();
        out.add(
                FamilyOption.value(
                        SCOPE,
                        "embeddings|full",
                        "embeddings",
                        "Parameters perturbed: the paper's embedding rows, or a wider set (NCF,"
                                + " MF: every parameter under the curvature of the whole training"
                                + " objective; RCF: e_u, R and the value embeddings of the user's"
                                + " lists), solved by conjugate gradients."));
        out.add(
                FamilyOption.value(
                        CURVATURE,
                        "gauss-newton|exact",
                        null,
                        "Curvature of --scope full: Gauss-Newton (positive semidefinite, the"
                                + " default) or the exact Hessian (may be indefinite)."));
        out.add(
                FamilyOption.value(
                        DAMPING,
                        "MU",
                        null,
                        "Damping added to the curvature's diagonal (default 1e-6 with --scope"
                                + " embeddings, 0.01 with --scope full; RCF: 0.01 on the mean"
                                + " curvature of the user's triples, both scopes)."));
        out.add(
                FamilyOption.value(
                        CG_TOLERANCE,
                        "TOL",
                        null,
                        "Relative residual at which CG stops (default 1e-8 with --scope"
                                + " embeddings, 1e-2 with --scope full)."));
        out.add(
                FamilyOption.value(
                        CG_MAX,
                        "N",
                        null,
                        "Iteration cap of CG (default 200 with --scope embeddings, falling back"
                                + " to the direct solve unless --no-fallback; 500 with --scope"
                                + " full, failing with exit code 5)."));
        out.add(
                FamilyOption.value(
                        SOLVER, "cg|exact", "cg", "Inverse-HVP solver of --scope embeddings."));
        out.add(
                FamilyOption.flag(
                        NO_FALLBACK,
                        "Fail instead of solving directly when CG does not converge."));
        return List.copyOf(out);
    }

    /**
     * The options parsed; a bad value, or an option that does not apply to the scope chosen, is a
     * configuration error naming it.
     *
     * @param family the family's name in messages
     * @param fullScope whether the family implements {@code --scope full}
     */
    public static InfluenceOptions parse(OptionValues o, String family, boolean fullScope) {
        InfluenceScope scope = InfluenceScope.byName(o.text(SCOPE, "embeddings"));
        if (scope == InfluenceScope.FULL && !fullScope) {
            throw new ConfigException(SCOPE + " full is not implemented for " + family);
        }
        int cap =
                o.integer(
                        CG_MAX,
                        scope == InfluenceScope.FULL
                                ? FullScopeConfig.DEFAULTS.maxIterations()
                                : EMBEDDINGS_MAX_ITERATIONS,
                        1,
                        Integer.MAX_VALUE);
        double tolerance =
                number(
                        o,
                        CG_TOLERANCE,
                        scope == InfluenceScope.FULL
                                ? FullScopeConfig.DEFAULTS.tolerance()
                                : EMBEDDINGS_TOLERANCE);
        if (!(tolerance > 0) || tolerance >= 1) {
            throw new ConfigException(CG_TOLERANCE + " must be in (0, 1), got " + tolerance);
        }
        double damping =
                number(
                        o,
                        DAMPING,
                        scope == InfluenceScope.FULL
                                ? FullScopeConfig.DEFAULTS.damping()
                                : EMBEDDINGS_DAMPING);
        if (!(damping >= 0) || !Double.isFinite(damping)) {
            throw new ConfigException(DAMPING + " must be a number >= 0, got " + damping);
        }
        if (scope == InfluenceScope.FULL) {
            for (String only : List.of(SOLVER, NO_FALLBACK)) {
                if (o.has(only)) {
                    throw new ConfigException(
                            only
                                    + " applies to --scope embeddings; --scope full always uses"
                                    + " block CG and fails when it does not converge");
                }
            }
            return new InfluenceOptions(
                    scope, damping, LinearSolver.CG, false, Optional.of(fullScope(o, damping)));
        }
        if (o.has(CURVATURE)) {
            throw new ConfigException(
                    CURVATURE
                            + " applies to --scope full (the embeddings scope's blocks are exact"
                            + " and positive definite)");
        }
        LinearSolver ls = LinearSolver.byName(o.text(SOLVER, "cg"));
        if (ls instanceof ConjugateGradientSolver) {
            ls = new ConjugateGradientSolver(tolerance, cap);
        }
        return new InfluenceOptions(scope, damping, ls, !o.flag(NO_FALLBACK), Optional.empty());
    }

    /**
     * The full scope's settings from {@code --curvature}, {@code --cg-tolerance} and {@code
     * --cg-max-iterations} (each defaulting to {@link FullScopeConfig#DEFAULTS}) with the damping
     * given; a family with its own damping convention (RCF) parses that itself.
     */
    public static FullScopeConfig fullScope(OptionValues o, double damping) {
        Curvature c =
                Curvature.byName(o.text(CURVATURE, FullScopeConfig.DEFAULTS.curvature().label()));
        int cap = o.integer(CG_MAX, FullScopeConfig.DEFAULTS.maxIterations(), 1, Integer.MAX_VALUE);
        double tolerance = number(o, CG_TOLERANCE, FullScopeConfig.DEFAULTS.tolerance());
        return new FullScopeConfig(c, damping, tolerance, cap);
    }

    /** The option's value as a number, {@code otherwise} when absent; not a number: an error. */
    public static double number(OptionValues o, String name, double otherwise) {
        if (!o.has(name)) {
            return otherwise;
        }
        String v = o.text(name, "");
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + " must be a number, got '" + v + "'");
        }
    }
}
