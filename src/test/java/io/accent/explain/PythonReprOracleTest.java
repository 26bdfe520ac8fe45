package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonLiterals#repr} against CPython's own {@code repr(float)} for 4,360 doubles (file
 * {@code python-float-repr.txt}, made once with CPython 3.11): every power of two, where the
 * rounding interval is asymmetric, decimal powers across the whole exponent range (both notations
 * and their switch points), random bit patterns and short decimals. Also the literal parsers'
 * accepted and rejected forms.
 */
class PythonReprOracleTest {

    @Test
    void reprEqualsCPythonOnEveryListedDouble() throws IOException {
        int n = 0;
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                PythonReprOracleTest.class.getResourceAsStream(
                                        "python-float-repr.txt"),
                                StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                double v =
                        Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, sp), 16));
                String python = line.substring(sp + 1);
                assertEquals(python, PythonLiterals.repr(v), "repr of " + v);
                assertEquals(
                        Double.doubleToRawLongBits(v),
                        Double.doubleToRawLongBits(PythonLiterals.parseFloat(python)));
                n++;
            }
        }
        assertEquals(4360, n);
    }

    @Test
    void specialFloatsAndNumpyScalarsParse() {
        assertTrue(Double.isNaN(PythonLiterals.parseFloat("nan")));
        assertTrue(Double.isNaN(PythonLiterals.parseFloat("-nan")));
        assertTrue(Double.isNaN(PythonLiterals.parseFloat("np.float64(nan)")));
        assertEquals(Double.POSITIVE_INFINITY, PythonLiterals.parseFloat(" inf "));
        assertEquals(Double.NEGATIVE_INFINITY, PythonLiterals.parseFloat("-inf"));
        assertEquals("inf", PythonLiterals.repr(Double.POSITIVE_INFINITY));
        assertEquals(0.5, PythonLiterals.parseFloat(".5"));
        assertEquals(1.0, PythonLiterals.parseFloat("1."));
        assertEquals(-150.0, PythonLiterals.parseFloat("-1.5E+2"));
        assertEquals(3.0, PythonLiterals.parseFloat("+3"));
        for (String bad :
                List.of("0x1p3", "1d", "1.5f", "Infinity", "NaN", "", "1e", "e5", "1..2")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> PythonLiterals.parseFloat(bad),
                            bad);
            assertEquals("'" + bad + "' is not a float", e.getMessage());
        }
        assertEquals(-7, PythonLiterals.parseInt(" np.int64(-7) "));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PythonLiterals.parseInt("x"));
        assertEquals("'x' is not an integer", e.getMessage());
    }

    @Test
    void listsNeedTheirBrackets() {
        assertEquals(List.of(), PythonLiterals.parseFloatList(" [ ] "));
        assertEquals(List.of(), PythonLiterals.parseIntSet(" set() "));
        assertEquals(List.of(3), PythonLiterals.parseIntSet("{3}"));
        assertEquals(
                List.of(1.0, Double.NEGATIVE_INFINITY),
                PythonLiterals.parseFloatList("[1.0,-inf]"));
        for (String bad : List.of("[", "]", "", "[1, 2}", "{1, 2]", "(1, 2)", "1]")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> PythonLiterals.parseIntList(bad),
                            bad);
            assertEquals("expected [...] but found '" + bad + "'", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> PythonLiterals.parseIntSet("[1]"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiterals.parseIntList("[1,]"));
        assertEquals("set()", PythonLiterals.intSet(List.of(), i -> i));
        assertEquals("[]", PythonLiterals.intList(List.of(), i -> i));
        assertEquals("[]", PythonLiterals.floatList(List.of()));
        assertEquals(
                "[nan, -inf, 2.0]",
                PythonLiterals.floatList(List.of(Double.NaN, Double.NEGATIVE_INFINITY, 2.0)));
    }
}
