package io.accent.data;

import io.accent.core.ConfigException;
import java.util.Locale;

/**
 * The expected digest of a downloaded archive: its algorithm ({@code MD5} or {@code SHA-256}, the
 * JDK's names) and the digest as lower-case hex. Written {@code md5:HEX} or {@code sha256:HEX} (see
 * {@link #parse} and {@link #toString}).
 */
public record Checksum(String algorithm, String hex) {

    /** The JDK name of MD5, the digest GroupLens publishes beside its archives. */
    public static final String MD5 = "MD5";

    /** The JDK name of SHA-256. */
    public static final String SHA_256 = "SHA-256";

    public Checksum {
        int digits =
                switch (algorithm) {
                    case MD5 -> 32;
                    case SHA_256 -> 64;
                    default ->
                            throw new ConfigException(
                                    "checksum algorithm must be MD5 or SHA-256, got '"
                                            + algorithm
                                            + "'");
                };
        if (!hex.matches("[0-9a-f]{" + digits + "}")) {
            throw new ConfigException(
                    algorithm
                            + " checksum must be "
                            + digits
                            + " lower-case hex digits, got '"
                            + hex
                            + "'");
        }
    }

    /** An MD5 checksum. */
    public static Checksum md5(String hex) {
        return new Checksum(MD5, hex);
    }

    /** A SHA-256 checksum. */
    public static Checksum sha256(String hex) {
        return new Checksum(SHA_256, hex);
    }

    /**
     * Reads {@code md5:HEX} or {@code sha256:HEX} (the prefix in any case, also {@code sha-256:};
     * hex digits in any case).
     */
    public static Checksum parse(String text) {
        int colon = text.indexOf(':');
        String prefix = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String hex = colon < 0 ? "" : text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        String algorithm =
                switch (prefix) {
                    case "md5" -> MD5;
                    case "sha256", "sha-256" -> SHA_256;
                    default -> null;
                };
        int digits = SHA_256.equals(algorithm) ? 64 : 32;
        if (algorithm == null || !hex.matches("[0-9a-f]{" + digits + "}")) {
            throw new ConfigException(
                    "checksum '"
                            + text
                            + "' must be md5:HEX (32 hex digits) or sha256:HEX (64 hex digits)");
        }
        return new Checksum(algorithm, hex);
    }

    /** {@code md5:HEX} or {@code sha256:HEX}, as {@link #parse} reads it. */
    @Override
    public String toString() {
        return (algorithm.equals(MD5) ? "md5:" : "sha256:") + hex;
    }
}
