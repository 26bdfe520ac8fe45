package io.accent.cli;

/** Small helpers for terminal and CSV output. */
final class Tables {

    private Tables() {}

    /** Quotes a CSV field when it contains a comma, quote or line break. */
    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
