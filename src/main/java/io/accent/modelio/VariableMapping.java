package io.accent.modelio;

import com.fasterxml.jackson.databind.JsonNode;
import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.InputFiles;
import io.accent.core.Json;
import io.accent.model.ImportFamily;
import io.accent.model.ModelFamilies;
import io.accent.model.ModelFamily;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the tensors of a model trained elsewhere become the variables of a model family: for each
 * role (a variable of the family, e.g. NCF's {@code P_mlp}) the source tensor, how its values are
 * laid out, and optionally where the raw user and item id of each row is listed, where the Adam
 * state lives and which serving signature the scores are checked against. Read from a JSON file
 * (format in docs/IMPORT.md, "Explaining a model you trained elsewhere") or taken from {@link
 * #builtin(String)}.
 *
 * @param family model family the roles belong to ({@code ncf}, {@code rcf})
 * @param tensors source of every role, in the family's role order
 * @param userIds file listing the raw user id of each source row (empty: the {@code data prepare}
 *     order)
 * @param itemIds file listing the raw item id of each source row, in the family's item id space
 *     (RCF: {@code rcf-items.tsv}); empty: the {@code data prepare} order
 * @param optimizer names of the optimizer state tensors (NCF: Adam; RCF: Adagrad accumulators);
 *     empty: fresh optimizer state
 * @param signature serving signature to check the imported scores against (empty: use {@code
 *     serving_default(user, item) -> score} when the source has it)
 * @param hyperparameters training hyperparameters of the source model that differ from the
 *     reference's (for NCF: {@code weight_decay}, {@code learning_rate}, {@code batch_size}; for
 *     RCF the numbers of {@code RcfConfig} other than the layer sizes); they enter the influence
 *     computation and retraining
 */
public record VariableMapping(
        String family,
        Map<String, TensorSource> tensors,
        Optional<Path> userIds,
        Optional<Path> itemIds,
        Optional<OptimizerSource> optimizer,
        Optional<SignatureSource> signature,
        Map<String, Object> hyperparameters) {

    public VariableMapping {
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        hyperparameters =
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    /**
     * Where one role's values come from.
     *
     * @param tensor name of the tensor in the checkpoint (a SavedModel's variables are a
     *     checkpoint)
     * @param reshape the shape to view the source values as, row-major, before any transposition
     *     (one entry may be -1); empty keeps the source's shape
     * @param transposed the (reshaped) source holds the transpose of the role ([cols, rows]), as in
     *     a layer stored [out, in]
     */
    public record TensorSource(String tensor, Optional<long[]> reshape, boolean transposed) {
        public TensorSource {
            reshape = reshape.map(long[]::clone);
        }

        /** A tensor taken as it is. */
        public static TensorSource of(String tensor) {
            return new TensorSource(tensor, Optional.empty(), false);
        }

        /** A tensor viewed row-major as {@code shape}. */
        public static TensorSource reshaped(String tensor, long... shape) {
            return new TensorSource(tensor, Optional.of(shape), false);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tensor", tensor);
            reshape.ifPresent(r -> m.put("reshape", Arrays.stream(r).boxed().toList()));
            m.put("layout", transposed ? "transposed" : "row-major");
            return m;
        }
    }

    /**
     * Names of the optimizer state, keyed by the family's optimizer fields (NCF, Adam: {@code
     * adam_m}, {@code adam_v} per variable and the scalars {@code beta1_power}, {@code
     * beta2_power}; RCF, Adagrad: {@code adagrad} per variable). In a per-variable name, {@code
     * {tensor}} stands for the role's source tensor name (TF1's AdamOptimizer: {@code
     * {tensor}/Adam}, {@code {tensor}/Adam_1}).
     */
    public record OptimizerSource(Map<String, String> tensors) {

        /** TF1 {@code tf.train.AdamOptimizer} naming. */
        public static final OptimizerSource TF1_ADAM =
                new OptimizerSource(
                        Map.of(
                                "adam_m",
                                "{tensor}/Adam",
                                "adam_v",
                                "{tensor}/Adam_1",
                                "beta1_power",
                                "beta1_power",
                                "beta2_power",
                                "beta2_power"));

        /** TF1 {@code tf.train.AdagradOptimizer} naming (one accumulator per variable). */
        public static final OptimizerSource TF1_ADAGRAD =
                new OptimizerSource(Map.of("adagrad", "{tensor}/Adagrad"));

        public OptimizerSource {
            tensors = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tensors));
        }

        /**
         * The source name of optimizer field {@code field} for a variable stored as {@code tensor}.
         */
        String nameOf(String field, String tensor) {
            return tensors.get(field).replace("{tensor}", tensor);
        }
    }

    /**
     * A serving signature of the source: its key, the names of its user and item inputs and of its
     * score output.
     */
    public record SignatureSource(String key, String user, String item, String score) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("user", user);
            m.put("item", item);
            m.put("score", score);
            return m;
        }
    }

    /**
     * Names of the built-in mappings: those the families' importers ship ({@link
     * ImportFamily#builtinMappings()}).
     */
    public static Set<String> builtinNames() {
        Set<String> names = new java.util.TreeSet<>();
        for (ModelFamily f : ModelFamilies.all()) {
            f.importer().ifPresent(i -> names.addAll(i.builtinMappings().keySet()));
        }
        return names;
    }

    /** A built-in mapping by name, as one of the families' importers ships it. */
    public static VariableMapping builtin(String name) {
        for (ModelFamily f : ModelFamilies.all()) {
            Optional<String> json = f.importer().map(i -> i.builtinMappings().get(name));
            if (json.isPresent()) {
                JsonNode root;
                try {
                    root = Json.mapper().readTree(json.get());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("built-in mapping " + name, e);
                }
                return fromTree(root, "built-in mapping " + name, Path.of("."), false);
            }
        }
        throw new ConfigException(
                "unknown built-in mapping '"
                        + name
                        + "' (built-in: "
                        + String.join(", ", builtinNames())
                        + ")");
    }

    /**
     * Reads a mapping file whose id-map paths must lie inside the mapping file's folder (see {@link
     * #read(Path, boolean)}).
     */
    public static VariableMapping read(Path file) {
        return read(file, false);
    }

    /**
     * Reads a mapping file: a regular UTF-8 JSON file of at most {@link InputFiles#MAX_JSON_BYTES}
     * bytes. Relative id-map paths are resolved against the file's folder and, unless {@code
     * allowOutsidePaths}, must stay inside it, also after following symbolic links; an absolute
     * path is then refused too. An id map that exists must be a regular file of at most {@link
     * InputFiles#MAX_ID_FILE_BYTES} bytes. Every problem with the mapping is a {@link
     * ConfigException} naming the file and the field (never the content of a file).
     */
    public static VariableMapping read(Path file, boolean allowOutsidePaths) {
        if (!Files.exists(file)) {
            throw new ConfigException(
                    "mapping file "
                            + file
                            + " does not exist (built-in mappings: "
                            + String.join(", ", builtinNames())
                            + ")");
        }
        JsonNode root =
                Json.readTree(file, InputFiles.MAX_JSON_BYTES, "mapping", ConfigException::new);
        return fromTree(
                root,
                "mapping " + file,
                file.toAbsolutePath().normalize().getParent(),
                allowOutsidePaths);
    }

    /**
     * A mapping from its JSON tree; {@code where} names it in errors, relative id-map paths are
     * resolved against {@code base}.
     */
    private static VariableMapping fromTree(
            JsonNode root, String where, Path base, boolean allowOutsidePaths) {
        if (root == null || !root.isObject()) {
            throw new ConfigException(where + ": expected a JSON object");
        }
        checkFields(
                root,
                where,
                Set.of("family", "tensors", "ids", "optimizer", "signature", "hyperparameters"));
        String family = text(root, "family", where);
        JsonNode tn = root.get("tensors");
        if (tn == null || !tn.isObject()) {
            throw new ConfigException(
                    where + ": 'tensors' must be an object mapping each role to its source tensor");
        }
        Map<String, TensorSource> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tn.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> en = it.next();
            tensors.put(en.getKey(), tensorSource(en.getValue(), where + ", role " + en.getKey()));
        }
        Optional<Path> users = Optional.empty();
        Optional<Path> items = Optional.empty();
        JsonNode ids = root.get("ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isObject()) {
                throw new ConfigException(
                        where + ": 'ids' must be an object with 'users' and/or 'items'");
            }
            checkFields(ids, where + ", ids", Set.of("users", "items"));
            users = idFile(ids, "users", base, where, allowOutsidePaths);
            items = idFile(ids, "items", base, where, allowOutsidePaths);
        }
        Optional<OptimizerSource> optimizer = Optional.empty();
        JsonNode on = root.get("optimizer");
        if (on != null && !on.isNull()) {
            if (on.isTextual() && on.asText().equals("tf1-adam")) {
                optimizer = Optional.of(OptimizerSource.TF1_ADAM);
            } else if (on.isTextual() && on.asText().equals("tf1-adagrad")) {
                optimizer = Optional.of(OptimizerSource.TF1_ADAGRAD);
            } else if (on.isObject()) {
                Map<String, String> names = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = on.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> en = it.next();
                    names.put(en.getKey(), text(on, en.getKey(), where + ", optimizer"));
                }
                optimizer = Optional.of(new OptimizerSource(names));
            } else {
                throw new ConfigException(
                        where
                                + ": 'optimizer' must be \"tf1-adam\", \"tf1-adagrad\" or an object"
                                + " naming the optimizer tensors of the family's optimizer fields");
            }
        }
        Optional<SignatureSource> signature = Optional.empty();
        JsonNode sn = root.get("signature");
        if (sn != null && !sn.isNull()) {
            String w = where + ", signature";
            if (!sn.isObject()) {
                throw new ConfigException(w + ": must be an object with key, user, item, score");
            }
            checkFields(sn, w, Set.of("key", "user", "item", "score"));
            String key =
                    sn.hasNonNull("key")
                            ? text(sn, "key", w)
                            : org.tensorflow.Signature.DEFAULT_KEY;
            signature =
                    Optional.of(
                            new SignatureSource(
                                    key,
                                    text(sn, "user", w),
                                    text(sn, "item", w),
                                    text(sn, "score", w)));
        }
        Map<String, Object> hyper = new LinkedHashMap<>();
        JsonNode hn = root.get("hyperparameters");
        if (hn != null && !hn.isNull()) {
            if (!hn.isObject()) {
                throw new ConfigException(where + ": 'hyperparameters' must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = hn.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> en = it.next();
                if (!en.getValue().isNumber()) {
                    throw new ConfigException(
                            where + ": hyperparameter '" + en.getKey() + "' must be a number");
                }
                hyper.put(en.getKey(), en.getValue().numberValue());
            }
        }
        return new VariableMapping(family, tensors, users, items, optimizer, signature, hyper);
    }

    /** The mapping as JSON-ready maps (recorded in the imported model's provenance). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", family);
        Map<String, Object> t = new LinkedHashMap<>();
        tensors.forEach((k, v) -> t.put(k, v.asMap()));
        m.put("tensors", t);
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("users", userIds.map(Path::toString).orElse("prepare-order"));
        ids.put("items", itemIds.map(Path::toString).orElse("prepare-order"));
        m.put("ids", ids);
        optimizer.ifPresent(o -> m.put("optimizer", o.tensors()));
        signature.ifPresent(s -> m.put("signature", s.asMap()));
        if (!hyperparameters.isEmpty()) {
            m.put("hyperparameters", hyperparameters);
        }
        return m;
    }

    private static TensorSource tensorSource(JsonNode n, String where) {
        if (n.isTextual()) {
            return TensorSource.of(n.asText());
        }
        if (!n.isObject()) {
            throw new ConfigException(
                    where + ": expected a tensor name or an object with 'tensor'");
        }
        checkFields(n, where, Set.of("tensor", "reshape", "layout"));
        String tensor = text(n, "tensor", where);
        Optional<long[]> reshape = Optional.empty();
        JsonNode r = n.get("reshape");
        if (r != null && !r.isNull()) {
            if (!r.isArray() || r.isEmpty()) {
                throw new ConfigException(
                        where + ": 'reshape' must be a non-empty array of dimensions");
            }
            long[] s = new long[r.size()];
            int unknown = 0;
            for (int k = 0; k < s.length; k++) {
                if (!r.get(k).canConvertToLong() || !r.get(k).isIntegralNumber()) {
                    throw new ConfigException(
                            where + ": 'reshape' entry " + r.get(k) + " is not an integer");
                }
                s[k] = r.get(k).asLong();
                if (s[k] == -1) {
                    unknown++;
                } else if (s[k] < 1) {
                    throw new ConfigException(
                            where + ": 'reshape' entry " + s[k] + " must be positive or -1");
                }
            }
            if (unknown > 1) {
                throw new ConfigException(where + ": 'reshape' " + r + " has more than one -1");
            }
            reshape = Optional.of(s);
        }
        boolean transposed = false;
        JsonNode l = n.get("layout");
        if (l != null && !l.isNull()) {
            switch (l.asText()) {
                case "row-major" -> transposed = false;
                case "transposed" -> transposed = true;
                default ->
                        throw new ConfigException(
                                where
                                        + ": unknown layout '"
                                        + l.asText()
                                        + "' (known: row-major, transposed)");
            }
        }
        return new TensorSource(tensor, reshape, transposed);
    }

    private static Optional<Path> idFile(
            JsonNode ids, String field, Path base, String where, boolean allowOutside) {
        JsonNode n = ids.get(field);
        if (n == null || n.isNull() || n.asText().equals("prepare-order")) {
            return Optional.empty();
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw new ConfigException(
                    where + ": ids." + field + " must be a file name or \"prepare-order\"");
        }
        Path given;
        try {
            given = Path.of(n.asText());
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigException(where + ": ids." + field + " is not a valid file name");
        }
        Path p = base.resolve(given).normalize();
        if (!allowOutside) {
            String problem;
            if (given.isAbsolute()) {
                problem = "is absolute, not inside";
            } else if (!p.startsWith(base)) {
                problem = "leaves";
            } else if (!realPath(p, where).startsWith(realPath(base, where))) {
                problem = "is a symbolic link leading out of";
            } else {
                problem = null;
            }
            if (problem != null) {
                throw new ConfigException(
                        where
                                + ": ids."
                                + field
                                + " ("
                                + p
                                + ") "
                                + problem
                                + " the mapping file's folder "
                                + base
                                + "; give --allow-outside-paths to read it");
            }
        }
        if (Files.exists(p)) {
            InputFiles.checkRegular(p, InputFiles.MAX_ID_FILE_BYTES, "id map", DataException::new);
        }
        return Optional.of(p);
    }

    /**
     * The real path of {@code p}, or that of its nearest existing ancestor followed by the rest of
     * {@code p}; a link that leads nowhere cannot be resolved and is refused.
     */
    private static Path realPath(Path p, String where) {
        Path existing = p;
        while (existing != null
                && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(p)).normalize();
        } catch (IOException e) {
            throw new ConfigException(
                    where + ": cannot resolve " + p + " (" + AtomicFiles.reason(e) + ")");
        }
    }

    /**
     * The raw ids listed in an id map, one per line (blank lines skipped), as {@code [line, id]}
     * pairs. The file must be a regular UTF-8 file of at most {@link InputFiles#MAX_ID_FILE_BYTES}
     * bytes; a bad line is a {@link DataException} naming the file and line, never the content.
     *
     * @param what which ids ("users", "items")
     */
    static List<int[]> readIdMap(Path file, String what) {
        String text =
                InputFiles.readText(
                        file,
                        InputFiles.MAX_ID_FILE_BYTES,
                        "the " + what + " id map",
                        DataException::new);
        List<int[]> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String s = lines[ln].strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                out.add(new int[] {ln + 1, Integer.parseInt(s)});
            } catch (NumberFormatException e) {
                throw new DataException(file + " line " + (ln + 1) + ": not an integer id");
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(where + ": '" + field + "' must be a non-empty string");
        }
        return v.asText();
    }

    private static void checkFields(JsonNode n, String where, Set<String> known) {
        List<String> unknown = new ArrayList<>();
        n.fieldNames()
                .forEachRemaining(
                        f -> {
                            if (!known.contains(f)) {
                                unknown.add(f);
                            }
                        });
        if (!unknown.isEmpty()) {
            throw new ConfigException(
                    where
                            + ": unknown field '"
                            + unknown.get(0)
                            + "' (known: "
                            + String.join(", ", known.stream().sorted().toList())
                            + ")");
        }
    }
}
