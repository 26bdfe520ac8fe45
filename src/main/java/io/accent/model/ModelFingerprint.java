package io.accent.model;

import io.accent.data.IdMap;
import io.accent.tf.NamedArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of a trained model: SHA-256 over its family, its hyperparameters ({@code
 * model.json}'s {@code config}, which the family's network and retraining read, as canonical JSON
 * with sorted keys), every variable (name, shape and the float32 values, optimizer state included,
 * in name order) and its training data (the verified SHA-256 of the training file plus the user and
 * item id maps). No stored graph is ever run (the family builds every graph from its own code), so
 * these are everything that decides a score. Derived from what was loaded, so every model directory
 * has one, including those written before fingerprints existed, and two trainings at the same path
 * differ unless they produced the same weights. Results and caches carry it so that they are never
 * mixed across models.
 */
public final class ModelFingerprint {

    /** Characters of the fingerprint shown in messages. */
    public static final int SHORT = 16;

    private ModelFingerprint() {}

    /** The fingerprint of {@code model}, as 64 hex digits. */
    public static String of(TrainedModel model) {
        MessageDigest md = sha256();
        update(md, model.metadata().family());
        update(md, canonicalJson(model.metadata().config()));
        List<NamedArray> arrays =
                model.parameters().arrays().stream()
                        .sorted(Comparator.comparing(NamedArray::name))
                        .toList();
        for (NamedArray a : arrays) {
            update(md, a.name());
            ByteBuffer b =
                    ByteBuffer.allocate(8 * a.shape().length + 4 * a.data().length)
                            .order(ByteOrder.LITTLE_ENDIAN);
            for (long d : a.shape()) {
                b.putLong(d);
            }
            for (float v : a.data()) {
                b.putInt(Float.floatToRawIntBits(v));
            }
            md.update(b.array());
        }
        update(md, model.dataFingerprint());
        ids(md, model.users());
        ids(md, model.items());
        return HexFormat.of().formatHex(md.digest());
    }

    /** The first {@value #SHORT} hex digits, for messages. */
    public static String shortForm(String fingerprint) {
        return fingerprint.length() <= SHORT ? fingerprint : fingerprint.substring(0, SHORT);
    }

    private static String canonicalJson(java.util.Map<String, ?> config) {
        try {
            return io.accent.core.Json.mapper()
                    .copy()
                    .configure(
                            com.fasterxml.jackson.databind.SerializationFeature
                                    .ORDER_MAP_ENTRIES_BY_KEYS,
                            true)
                    .writeValueAsString(new java.util.TreeMap<>(config));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ids(MessageDigest md, IdMap m) {
        ByteBuffer b = ByteBuffer.allocate(4 * (m.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(m.size());
        for (int i = 0; i < m.size(); i++) {
            b.putInt(m.raw(i));
        }
        md.update(b.array());
    }

    private static void update(MessageDigest md, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        md.update(b);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
