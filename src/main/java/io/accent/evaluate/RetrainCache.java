package io.accent.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.DataException;
import io.accent.core.InputFiles;
import io.accent.core.Json;
import io.accent.model.ModelFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Retrained scores, one JSON file per retrain, so that an interrupted evaluation never redoes a
 * finished retrain. Key: (model fingerprint, ordering protocol version, steps, user, removed set,
 * seed); layout {@code ROOT/<fingerprint prefix>/order-V/steps-N/<user>-<item>-.../seed-S.json}.
 * The ordering version ({@link Retraining#orderVersion()}) keeps retrains made with another data
 * order apart: entries of version 1 (Java shuffles, stored without a version under {@code
 * ROOT/<prefix>/steps-N}) are never found, so they are redone rather than mixed with new ones. Each
 * entry repeats its whole key (model fingerprint included) and holds only raw ids and scores: no
 * absolute path or machine name, so caches of several machines can be merged by copying
 * directories. Reading an entry checks its identity.
 *
 * <p>NCF retrains are measured in steps (warm start, §7.1); RCF retrains in epochs from scratch
 * (§7.2), under a directory prefixed {@code rcf-}: {@code ROOT/rcf-<prefix>/order-V/epochs-N/...},
 * with seed index S standing for the S-th shuffle seed of {@code RcfRetrainer#SEEDS}.
 */
public final class RetrainCache {

    /** A distinct (user, counterfactual set) in raw ids, the set sorted. */
    public record SetKey(int user, List<Integer> removed) implements java.io.Serializable {
        public SetKey {
            removed = List.copyOf(removed);
        }

        public String id() {
            StringBuilder b = new StringBuilder().append(user);
            for (int i : removed) {
                b.append('-').append(i);
            }
            String s = b.toString();
            if (s.length() < 255) {
                return s;
            }
            try {
                return HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-224")
                                        .digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Path dir;
    private final String model;
    private final int order;
    private final String unit;
    private final long steps;

    /**
     * An NCF cache: retrains of {@code steps} steps.
     *
     * @param order the retrainer's ordering protocol version ({@link Retraining#orderVersion()})
     */
    public RetrainCache(Path root, String modelFingerprint, int order, long steps) {
        this(root, "", modelFingerprint, order, "steps", steps);
    }

    /**
     * @param prefix put before the model's directory name ({@code ""} for NCF, {@code "rcf-"})
     * @param unit what the training length counts ({@code steps}, {@code epochs}); it names the
     *     length's directory and entry field
     */
    public RetrainCache(
            Path root,
            String prefix,
            String modelFingerprint,
            int order,
            String unit,
            long length) {
        this.dir =
                root.resolve(prefix + ModelFingerprint.shortForm(modelFingerprint))
                        .resolve("order-" + order)
                        .resolve(unit + "-" + length);
        this.model = modelFingerprint;
        this.order = order;
        this.unit = unit;
        this.steps = length;
    }

    /** Where the entries of this model and step count lie. */
    Path directory() {
        return dir;
    }

    public boolean has(SetKey k, int seed) {
        return Files.isRegularFile(file(k, seed));
    }

    /** Stores the scores of {@code rawItems} at every step count of {@code marks}. */
    public void put(SetKey k, int seed, long[] marks, float[][] scoresByMark, int[] rawItems) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("model_fingerprint", model);
        o.put("order", order);
        o.put(unit, steps);
        o.put("user", k.user());
        ArrayNode rm = o.putArray("removed");
        k.removed().forEach(rm::add);
        o.put("seed", seed);
        ArrayNode items = o.putArray("items");
        for (int i : rawItems) {
            items.add(i);
        }
        ObjectNode sc = o.putObject("scores");
        for (int c = 0; c < marks.length; c++) {
            ArrayNode a = sc.putArray(String.valueOf(marks[c]));
            for (float v : scoresByMark[c]) {
                a.add((double) v);
            }
        }
        try {
            AtomicFiles.writeString(file(k, seed), Json.mapper().writeValueAsString(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The retrained scores of {@code topK} (raw ids) per seed 0..retrains-1 after {@code step}
     * steps.
     */
    public List<List<Double>> scores(SetKey k, int retrains, long step, List<Integer> topK) {
        List<List<Double>> out = new ArrayList<>();
        for (int s = 0; s < retrains; s++) {
            Path f = file(k, s);
            JsonNode o =
                    Json.readTree(
                            f, InputFiles.MAX_JSON_BYTES, "retrain result", DataException::new);
            String recorded = o.path("model_fingerprint").asText("");
            if (!recorded.equals(model)) {
                throw new DataException(
                        "retrain result "
                                + f
                                + " belongs to model "
                                + (recorded.isEmpty()
                                        ? "(unknown)"
                                        : ModelFingerprint.shortForm(recorded))
                                + ", not to this model "
                                + ModelFingerprint.shortForm(model)
                                + "; use another --cache");
            }
            int recordedOrder = o.path("order").asInt(1);
            if (recordedOrder != order) {
                throw new DataException(
                        "retrain result "
                                + f
                                + " was made with data order version "
                                + recordedOrder
                                + ", this retrainer uses version "
                                + order
                                + "; remove it or use another --cache");
            }
            if (o.path("user").asInt() != k.user()
                    || o.path("seed").asInt() != s
                    || o.path(unit).asLong() != steps) {
                throw new DataException(
                        "retrain result "
                                + f
                                + " holds another user, seed or "
                                + unit.substring(0, unit.length() - 1)
                                + " count than its name says");
            }
            Map<Integer, Double> byItem = new HashMap<>();
            JsonNode sc = o.path("scores").path(String.valueOf(step));
            if (!sc.isArray()) {
                throw new DataException(
                        f
                                + " holds no scores after "
                                + step
                                + " "
                                + unit
                                + ("steps".equals(unit)
                                        ? "; rerun with the same --steps and --checkpoints"
                                        : "; the cache was made with another training length"));
            }
            for (int i = 0; i < o.path("items").size(); i++) {
                byItem.put(o.path("items").get(i).asInt(), sc.get(i).asDouble());
            }
            List<Double> row = new ArrayList<>();
            for (int item : topK) {
                Double v = byItem.get(item);
                if (v == null) {
                    throw new DataException(
                            "retrain result "
                                    + f
                                    + " has no score of item "
                                    + item
                                    + " of the file's top list; the cache was made for another top list");
                }
                row.add(v);
            }
            out.add(row);
        }
        return out;
    }

    private Path file(SetKey k, int seed) {
        return dir.resolve(k.id()).resolve("seed-" + seed + ".json");
    }
}
