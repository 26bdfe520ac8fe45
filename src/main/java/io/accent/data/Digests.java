package io.accent.data;

import io.accent.core.DataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and MD5 digests as lower-case hex. */
public final class Digests {

    private Digests() {}

    static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + algorithm, e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    static String sha256(byte[] bytes) {
        return hex(newDigest("SHA-256").digest(bytes));
    }

    /** SHA-256 of a file's bytes, lower-case hex; an unreadable file is a data error naming it. */
    public static String sha256(Path file) {
        return digest(file, "SHA-256");
    }

    static String md5(Path file) {
        return digest(file, "MD5");
    }

    private static String digest(Path file, String algorithm) {
        MessageDigest md = newDigest(algorithm);
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new DataException(
                    "cannot read " + file + ": " + io.accent.core.AtomicFiles.reason(e), e);
        }
        return hex(md.digest());
    }
}
