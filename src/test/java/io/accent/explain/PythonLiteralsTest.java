package io.accent.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Python literal formats; the expected reprs were produced by CPython 3's {@code repr(float)}. */
class PythonLiteralsTest {

    private static final Object[][] REPRS = {
        {0x3fd3333333333334L, "0.30000000000000004"},
        {0x3fd5555555555555L, "0.3333333333333333"},
        {0x4341c37937e08000L, "1e+16"},
        {0x430c6bf526340000L, "1000000000000000.0"},
        {0x43118b54f22aeb00L, "1234567890123456.0"},
        {0x3ee4f8b588e368f1L, "1e-05"},
        {0x3f1a36e2eb1c432dL, "0.0001"},
        {0x3f202e4b6ce5dc68L, "0.00012345"},
        {0x405ec00000000000L, "123.0"},
        {0x4480f0cf064dd592L, "1e+22"},
        {0x44b52d02c7e14af6L, "1e+23"},
        {0x44c52d02c7e14af6L, "2e+23"},
        {0x0000000000000001L, "5e-324"},
        {0x7fefffffffffffffL, "1.7976931348623157e+308"},
        {0x43b0000000000000L, "1.152921504606847e+18"},
        {0xbff8000000000000L, "-1.5"},
        {0xbf50624dd2f1a9fcL, "-0.001"},
        {0x54b249ad2594c37dL, "1e+100"},
        {0x3e8421f5f40d8376L, "1.5e-07"},
        {0x4011666666666666L, "4.35"},
        {0x4004000000000000L, "2.5"},
        {0x8000000000000000L, "-0.0"},
        {0x0000000000000000L, "0.0"},
        {0x4340000000000000L, "9007199254740992.0"},
        {0x4008000000000001L, "3.0000000000000004"},
        {0x01aa74fe1c1e8908L, "1.2345678901234568e-300"},
    };

    @Test
    void floatReprMatchesPython() {
        for (Object[] c : REPRS) {
            double v = Double.longBitsToDouble((Long) c[0]);
            assertEquals(c[1], PythonLiterals.repr(v), "repr of " + v);
            assertEquals(
                    Double.doubleToRawLongBits(v),
                    Double.doubleToRawLongBits(PythonLiterals.parseFloat((String) c[1])));
        }
        assertEquals("nan", PythonLiterals.repr(Double.NaN));
        assertEquals("-inf", PythonLiterals.repr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void reprRoundTripsRandomBits() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            double v = Double.longBitsToDouble(rng.nextLong());
            if (!Double.isFinite(v)) {
                continue;
            }
            String s = PythonLiterals.repr(v);
            assertEquals(
                    Double.doubleToRawLongBits(v),
                    Double.doubleToRawLongBits(PythonLiterals.parseFloat(s)),
                    s);
        }
    }

    @Test
    void listsAndSets() {
        assertEquals("[10, 20, 30]", PythonLiterals.intList(List.of(1, 2, 3), i -> 10 * i));
        assertEquals("{5}", PythonLiterals.intSet(List.of(5), i -> i));
        assertEquals("{5, 3}", PythonLiterals.intSet(List.of(5, 3), i -> i));
        assertEquals("[0.5, 1e-05]", PythonLiterals.floatList(List.of(0.5, 1e-5)));
        assertEquals(List.of(1, 2), PythonLiterals.parseIntList("[1, 2]"));
        assertEquals(List.of(), PythonLiterals.parseIntList("[]"));
        assertEquals(List.of(4, 3), PythonLiterals.parseIntSet("{4, 3}"));
        assertEquals(List.of(), PythonLiterals.parseIntSet("set()"));
        assertEquals(List.of(0.5, -2.0), PythonLiterals.parseFloatList("[np.float64(0.5), -2.0]"));
        assertEquals(List.of(7), PythonLiterals.parseIntList("[np.int64(7)]"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiterals.parseIntList("1, 2"));
        assertThrows(
                IllegalArgumentException.class, () -> PythonLiterals.parseFloatList("[0x1p3]"));
        assertThrows(IllegalArgumentException.class, () -> PythonLiterals.parseInt("1.5"));
    }
}
