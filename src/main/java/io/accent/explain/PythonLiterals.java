package io.accent.explain;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python literals as the reference writes them with {@code str()}: {@code [1, 2]}, {@code {1, 2}},
 * float lists with Python's shortest round-trip {@code repr}. The parsers also accept numpy 2
 * scalar reprs such as {@code np.float64(0.5)} and {@code np.int64(3)}.
 */
final class PythonLiterals {

    private static final Pattern WRAPPED = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*\\((.*)\\)");

    private PythonLiterals() {}

    /** {@code [a, b, c]}, each value mapped through {@code map}. */
    static String intList(List<Integer> values, IntUnaryOperator map) {
        return join('[', values, map, ']');
    }

    /**
     * {@code {a, b, c}}, each value mapped through {@code map}; Python writes {@code set()} for an
     * empty set.
     */
    static String intSet(List<Integer> values, IntUnaryOperator map) {
        return values.isEmpty() ? "set()" : join('{', values, map, '}');
    }

    private static String join(char open, List<Integer> values, IntUnaryOperator map, char close) {
        StringBuilder b = new StringBuilder().append(open);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(map.applyAsInt(values.get(i)));
        }
        return b.append(close).toString();
    }

    /** {@code [x, y]} with Python's {@code repr} of each float. */
    static String floatList(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(repr(values.get(i)));
        }
        return b.append(']').toString();
    }

    /**
     * Python's {@code repr(float)}: the shortest decimal that reads back as the same double (the
     * closest one if several have that length), in fixed notation when the decimal exponent is
     * within {@code -4 < decpt <= 16}, else as {@code 1.5e+16} / {@code 1e-05}.
     */
    static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0.0" : "0.0";
        }
        BigDecimal shortest =
                shortest(new BigDecimal(Math.abs(v)), Math.abs(v)).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int n = digits.length();
        int decpt = n - shortest.scale(); // value = 0.<digits> × 10^decpt
        StringBuilder b = new StringBuilder();
        if (v < 0) {
            b.append('-');
        }
        if (decpt <= -4 || decpt > 16) {
            b.append(digits.charAt(0));
            if (n > 1) {
                b.append('.').append(digits, 1, n);
            }
            int exp = decpt - 1;
            b.append('e').append(exp < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp));
            if (e.length() < 2) {
                b.append('0');
            }
            b.append(e);
        } else if (decpt <= 0) {
            b.append("0.").append("0".repeat(-decpt)).append(digits);
        } else if (decpt >= n) {
            b.append(digits).append("0".repeat(decpt - n)).append(".0");
        } else {
            b.append(digits, 0, decpt).append('.').append(digits, decpt, n);
        }
        return b.toString();
    }

    private static BigDecimal shortest(BigDecimal exact, double v) {
        for (int p = 1; p < 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (readsBack(r, v)) {
                return r;
            }
            // at a power of two the interval is asymmetric: a neighbour of the rounded value may
            // read back although the rounded value does not
            BigDecimal ulp = r.ulp();
            BigDecimal up = r.add(ulp);
            BigDecimal down = r.subtract(ulp);
            boolean upOk = readsBack(up, v);
            boolean downOk = down.signum() > 0 && readsBack(down, v);
            if (upOk && downOk) {
                return up.subtract(exact).abs().compareTo(exact.subtract(down).abs()) <= 0
                        ? up
                        : down;
            }
            if (upOk) {
                return up;
            }
            if (downOk) {
                return down;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static boolean readsBack(BigDecimal d, double v) {
        return Double.parseDouble(d.toString()) == v;
    }

    /** Parses {@code [1, 2]}; also {@code []}. */
    static List<Integer> parseIntList(String s) {
        List<Integer> out = new ArrayList<>();
        for (String t : items(s, '[', ']')) {
            out.add(parseInt(t));
        }
        return out;
    }

    /** Parses {@code {1, 2}} (in written order) or {@code set()}. */
    static List<Integer> parseIntSet(String s) {
        if (s.strip().equals("set()")) {
            return new ArrayList<>();
        }
        List<Integer> out = new ArrayList<>();
        for (String t : items(s, '{', '}')) {
            out.add(parseInt(t));
        }
        return out;
    }

    /** Parses {@code [0.5, 1e-05, nan]}. */
    static List<Double> parseFloatList(String s) {
        List<Double> out = new ArrayList<>();
        for (String t : items(s, '[', ']')) {
            out.add(parseFloat(t));
        }
        return out;
    }

    private static List<String> items(String s, char open, char close) {
        String t = s.strip();
        if (t.length() < 2 || t.charAt(0) != open || t.charAt(t.length() - 1) != close) {
            throw new IllegalArgumentException(
                    "expected " + open + "..." + close + " but found '" + s + "'");
        }
        String body = t.substring(1, t.length() - 1).strip();
        List<String> out = new ArrayList<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String part : body.split(",", -1)) {
            out.add(unwrap(part.strip()));
        }
        return out;
    }

    /** {@code np.float64(0.5)} → {@code 0.5}. */
    private static String unwrap(String t) {
        Matcher m = WRAPPED.matcher(t);
        return m.matches() ? m.group(1).strip() : t;
    }

    static int parseInt(String t) {
        String u = unwrap(t.strip());
        try {
            return Integer.parseInt(u);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + t + "' is not an integer", e);
        }
    }

    static double parseFloat(String t) {
        String u = unwrap(t.strip());
        switch (u) {
            case "nan":
            case "-nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        // Java accepts forms Python never writes (hex, 'd'/'f' suffixes, "Infinity"); reject them
        if (!u.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("'" + t + "' is not a float");
        }
        return Double.parseDouble(u);
    }
}
