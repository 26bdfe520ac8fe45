package io.accent.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import io.accent.influence.ConjugateGradientSolver;
import io.accent.influence.Curvature;
import io.accent.influence.FullScopeConfig;
import io.accent.influence.InfluenceScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfluenceOptionsTest {

    static InfluenceOptions parse(Map<String, String> given, boolean full) {
        return InfluenceOptions.parse(new OptionValues(given), "NCF", full);
    }

    @Test
    void embeddingsIsTheDefaultWithThePapersSettings() {
        InfluenceOptions o = parse(Map.of(), true);
        assertEquals(InfluenceScope.EMBEDDINGS, o.scope());
        assertEquals(1e-6, o.damping());
        assertTrue(o.directFallback());
        assertTrue(o.full().isEmpty());
        ConjugateGradientSolver cg = (ConjugateGradientSolver) o.solver();
        assertEquals(1e-8, cg.tolerance());
        assertEquals(200, cg.maxIterations());
    }

    @Test
    void embeddingsTakesDampingToleranceCapAndFallback() {
        InfluenceOptions o =
                parse(
                        Map.of(
                                "--damping", "1e-3",
                                "--cg-tolerance", "1e-6",
                                "--cg-max-iterations", "50",
                                "--no-fallback", "true"),
                        true);
        assertEquals(1e-3, o.damping());
        assertFalse(o.directFallback());
        ConjugateGradientSolver cg = (ConjugateGradientSolver) o.solver();
        assertEquals(1e-6, cg.tolerance());
        assertEquals(50, cg.maxIterations());
        assertEquals("exact", parse(Map.of("--solver", "exact"), true).solver().name());
    }

    @Test
    void fullHasItsOwnDefaultsAndOverrides() {
        FullScopeConfig f = parse(Map.of("--scope", "full"), true).full().orElseThrow();
        assertEquals(FullScopeConfig.DEFAULTS, f);
        assertEquals(Curvature.GAUSS_NEWTON, f.curvature());
        FullScopeConfig g =
                parse(
                                Map.of(
                                        "--scope", "full",
                                        "--curvature", "exact",
                                        "--damping", "0.1",
                                        "--cg-tolerance", "1e-6",
                                        "--cg-max-iterations", "1000"),
                                true)
                        .full()
                        .orElseThrow();
        assertEquals(new FullScopeConfig(Curvature.EXACT, 0.1, 1e-6, 1000), g);
    }

    @Test
    void optionsOutsideTheirScopeAndBadValuesAreRefusedByName() {
        assertMessage(Map.of("--scope", "everything"), true, "valid: embeddings, full");
        assertMessage(Map.of("--scope", "full"), false, "not implemented for NCF");
        assertMessage(Map.of("--curvature", "exact"), true, "--curvature applies to --scope full");
        assertMessage(Map.of("--scope", "full", "--solver", "exact"), true, "--solver applies to");
        assertMessage(
                Map.of("--scope", "full", "--no-fallback", "true"),
                true,
                "--no-fallback applies to");
        assertMessage(
                Map.of("--scope", "full", "--curvature", "newton"),
                true,
                "valid: exact, gauss-newton");
        assertMessage(Map.of("--damping", "-1"), true, "--damping must be a number >= 0");
        assertMessage(Map.of("--damping", "lots"), true, "--damping must be a number");
        assertMessage(Map.of("--cg-tolerance", "1"), true, "--cg-tolerance must be in (0, 1)");
        assertMessage(Map.of("--cg-max-iterations", "0"), true, "--cg-max-iterations");
    }

    static void assertMessage(Map<String, String> given, boolean full, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(given, full));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void everyFamilyWithTheOptionsDeclaresTheSameSpelling() {
        assertEquals(
                java.util.List.of(
                        "--scope",
                        "--curvature",
                        "--damping",
                        "--cg-tolerance",
                        "--cg-max-iterations",
                        "--solver",
                        "--no-fallback"),
                InfluenceOptions.declared().stream().map(FamilyOption::name).toList());
        assertEquals(InfluenceOptions.declared(), new io.accent.ncf.NcfFamily().influenceOptions());
        assertEquals(InfluenceOptions.declared(), new io.accent.mf.MfFamily().influenceOptions());
    }
}
