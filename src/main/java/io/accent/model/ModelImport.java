package io.accent.model;

import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.core.OutputTarget;
import io.accent.core.Provenance;
import io.accent.data.Digests;
import io.accent.data.IdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@code accent import}: turns a model trained elsewhere (a TensorFlow V2 checkpoint, or the
 * variables of a SavedModel) into a normal model directory by a {@link VariableMapping}. The family
 * comes from the {@link ModelFamilies} registry ({@link ModelFamily#importer()}) and sees the data
 * in its own id spaces (RCF's items differ from NCF's). Everything is checked before anything is
 * written: every mapped tensor exists and is float32 and finite, its shape fits the family and the
 * data (numbers of users, items and attribute values; a stored pad row is zero), the id maps are
 * permutations of the data's ids, and, when the source has a serving signature, the imported
 * model's scores agree with it on a seeded sample of pairs. The directory is then written through
 * {@link ModelStore} under the output rule ({@link Request#target()}: temporary name, rename, never
 * over an input, over a foreign directory only with {@code overwrite}); on any failure nothing is
 * left behind.
 */
public final class ModelImport {

    /**
     * Largest accepted |imported − source| / max(1, |source|) score difference (float32 round-off).
     */
    public static final double SCORE_TOLERANCE = 1e-5;

    /** Pairs scored by both the imported model and the source's signature. */
    public static final int AGREEMENT_PAIRS = 256;

    private ModelImport() {}

    /** Kinds of source. */
    public enum SourceFormat {
        /** V2 checkpoint: {@code PREFIX.index} and {@code PREFIX.data-*}. */
        CHECKPOINT("checkpoint"),
        /** SavedModel directory: {@code saved_model.pb} and {@code variables/variables.*}. */
        SAVED_MODEL("savedmodel");

        private final String label;

        SourceFormat(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param format kind of source
     * @param source checkpoint prefix or SavedModel directory
     * @param mapping how the source's tensors become the family's variables
     * @param mappingName the built-in mapping's name or the mapping file, for provenance
     * @param dataDir prepared data the model was trained on
     * @param out model directory to write
     * @param overwrite whether {@code out} may replace a directory accent did not write
     * @param trustGraph whether the source SavedModel's serving signature may run even when its
     *     graph uses operations off {@link ForeignGraphCheck}'s allow-list (file, network, Python
     *     or custom operations)
     */
    public record Request(
            SourceFormat format,
            Path source,
            VariableMapping mapping,
            String mappingName,
            Path dataDir,
            Path out,
            boolean overwrite,
            boolean trustGraph) {
        public Request {
            OutputTarget.checkPlacement(out, inputs(source, mapping, mappingName, dataDir));
        }

        /** A request that never runs a graph with operations off the allow-list. */
        public Request(
                SourceFormat format,
                Path source,
                VariableMapping mapping,
                String mappingName,
                Path dataDir,
                Path out,
                boolean overwrite) {
            this(format, source, mapping, mappingName, dataDir, out, overwrite, false);
        }

        /** A request that replaces only a model directory accent wrote. */
        public Request(
                SourceFormat format,
                Path source,
                VariableMapping mapping,
                String mappingName,
                Path dataDir,
                Path out) {
            this(format, source, mapping, mappingName, dataDir, out, false);
        }

        /**
         * The output rule of the imported model directory: its inputs are the source, the data, the
         * mapping file and the id maps.
         */
        public OutputTarget target() {
            return new OutputTarget(
                    out, "model", inputs(source, mapping, mappingName, dataDir), overwrite);
        }

        private static List<Path> inputs(
                Path source, VariableMapping mapping, String mappingName, Path dataDir) {
            List<Path> in = new ArrayList<>(List.of(source, dataDir));
            if (!VariableMapping.builtinNames().contains(mappingName)) {
                in.add(Path.of(mappingName));
            }
            mapping.userIds().ifPresent(in::add);
            mapping.itemIds().ifPresent(in::add);
            return in;
        }
    }

    /**
     * @param metadata the written model.json
     * @param warnings one line each (e.g. optimizer state absent, signature check skipped)
     * @param optimizerImported whether the optimizer state came from the source
     * @param checkedSignature the source signature the scores were compared with, if any
     * @param checkedPairs pairs compared with the source's signature (0 when none)
     * @param maxScoreDifference largest relative score difference seen (0 when none compared)
     * @param fit how well the imported model fits the data, in its family's measures
     */
    public record Report(
            ModelMetadata metadata,
            List<String> warnings,
            boolean optimizerImported,
            Optional<String> checkedSignature,
            int checkedPairs,
            double maxScoreDifference,
            ImportFamily.Fit fit) {
        public Report {
            warnings = List.copyOf(warnings);
        }
    }

    /** Checks the source against the mapping, family and data, then writes the model directory. */
    public static Report run(Request request) {
        VariableMapping mapping = request.mapping();
        ImportFamily family = ImportFamily.of(mapping.family());
        checkRoles(family, mapping, request.mappingName());
        OutputTarget outTarget = request.target();
        outTarget.check();
        String label = request.format().label() + " " + request.source();
        Path prefix = checkpointPrefix(request.format(), request.source(), label);
        ImportFamily.Target data = family.target(request.dataDir());
        int numUsers = data.users().size();
        int numItems = data.items().size();
        int[] userRow = sourceRows(mapping.userIds(), data.users(), "users");
        int[] itemRow = sourceRows(mapping.itemIds(), data.items(), "items");
        Map<String, String> sourceFiles = sourceFiles(request.format(), request.source(), prefix);
        Placement placement = new Placement(family, data, userRow, itemRow);

        List<String> warnings = new ArrayList<>();
        Map<String, NamedArray> weights = new LinkedHashMap<>();
        Map<String, String> tensorOf = new LinkedHashMap<>();
        Map<String, Object> config;
        List<NamedArray> optimizerState;
        boolean optimizerImported;
        try (CheckpointTensors ckpt = new CheckpointTensors(prefix, label)) {
            for (ImportFamily.Role role : family.roles()) {
                VariableMapping.TensorSource ts = mapping.tensors().get(role.name());
                tensorOf.put(role.name(), ts.tensor());
                NamedArray src =
                        ckpt.get(ts.tensor(), family.name().toUpperCase() + " " + role.name());
                weights.put(role.name(), placement.place(src, ts, role, role.name(), false));
            }
            data.checkShapes(weights, tensorOf);
            config = data.config(mapping.hyperparameters(), weights);
            Optional<List<NamedArray>> imported =
                    readOptimizer(ckpt, placement, mapping, weights, warnings);
            optimizerImported = imported.isPresent();
            optimizerState =
                    imported.orElseGet(
                            () -> data.freshOptimizerState(List.copyOf(weights.values()), config));
        }
        List<NamedArray> all = new ArrayList<>(weights.values());
        all.addAll(optimizerState);
        ParameterSet state = new ParameterSet(all);

        ImportFamily.Fit fit = data.fit(state, config);
        if (Double.isInfinite(fit.trainingMse())) {
            throw new ModelException(
                    label + ": the imported model's training scores are not finite");
        }
        int n = Math.min(AGREEMENT_PAIRS, numUsers * numItems);
        int[] su = new int[n];
        int[] si = new int[n];
        SplittableRandom rnd = new SplittableRandom(0);
        for (int k = 0; k < n; k++) {
            su[k] = rnd.nextInt(numUsers);
            si[k] = rnd.nextInt(numItems);
        }
        float[] sample = data.score(state, config, su, si);
        for (float x : sample) {
            if (!Float.isFinite(x)) {
                throw new ModelException(label + ": the imported model's scores are not finite");
            }
        }

        Optional<String> checkedSignature = Optional.empty();
        double maxDiff = 0;
        int checked = 0;
        if (request.format() == SourceFormat.SAVED_MODEL) {
            Optional<Agreement> a =
                    agreement(
                            request.source(),
                            request.trustGraph(),
                            mapping,
                            su,
                            si,
                            userRow,
                            itemRow,
                            sample,
                            data,
                            label,
                            warnings);
            if (a.isPresent()) {
                checkedSignature = Optional.of(a.get().signature());
                maxDiff = a.get().maxDifference();
                checked = n;
            }
        } else if (mapping.signature().isPresent()) {
            throw new ConfigException(
                    "mapping "
                            + request.mappingName()
                            + " names a serving signature, but a checkpoint has none (import the SavedModel instead)");
        }

        Map<String, Object> importInfo = new LinkedHashMap<>();
        importInfo.put("format", request.format().label());
        importInfo.put("source", request.source().toAbsolutePath().normalize().toString());
        importInfo.put("files_sha256", sourceFiles);
        importInfo.put("mapping_name", request.mappingName());
        importInfo.put("mapping", mapping.asMap());
        importInfo.put("optimizer_state", optimizerImported ? "imported" : "fresh");
        checkedSignature.ifPresent(
                s -> {
                    importInfo.put("signature_checked", s);
                    importInfo.put("signature_pairs", n);
                });
        Map<String, Object> provConfig = new LinkedHashMap<>(config);
        provConfig.put("import", importInfo);
        long seed = ((Number) config.getOrDefault("seed", 0L)).longValue();
        ModelMetadata meta =
                new ModelMetadata(
                        ModelMetadata.FORMAT,
                        family.name(),
                        numUsers,
                        numItems,
                        config,
                        0L,
                        seed,
                        fit.trainingMse(),
                        fit.heldOutMse(),
                        Provenance.now(
                                "accent import " + request.format().label(),
                                TfSessions.deviceKind(),
                                data.dataName(),
                                data.dataFingerprint(),
                                provConfig,
                                seed,
                                request.format().label() + ":" + importInfo.get("source")));
        ModelStore.save(outTarget, meta, state, request.dataDir());
        return new Report(
                meta, warnings, optimizerImported, checkedSignature, checked, maxDiff, fit);
    }

    /** The mapping names exactly the family's roles. */
    private static void checkRoles(
            ImportFamily family, VariableMapping mapping, String mappingName) {
        List<String> roles = family.roles().stream().map(ImportFamily.Role::name).toList();
        for (String r : mapping.tensors().keySet()) {
            if (!roles.contains(r)) {
                throw new ConfigException(
                        "mapping "
                                + mappingName
                                + ": '"
                                + r
                                + "' is not a "
                                + family.name()
                                + " variable ("
                                + family.name()
                                + " has "
                                + String.join(", ", roles)
                                + ")");
            }
        }
        for (String r : roles) {
            if (!mapping.tensors().containsKey(r)) {
                throw new ConfigException(
                        "mapping "
                                + mappingName
                                + " names no source tensor for "
                                + family.name()
                                + " variable '"
                                + r
                                + "'");
            }
        }
        if (mapping.optimizer().isPresent()) {
            Set<String> want = new java.util.TreeSet<>(family.slotFields().keySet());
            want.addAll(family.scalarFields().keySet());
            if (!want.equals(mapping.optimizer().get().tensors().keySet())) {
                throw new ConfigException(
                        "mapping "
                                + mappingName
                                + ": the optimizer section must name exactly "
                                + String.join(", ", want)
                                + " (it names "
                                + String.join(", ", mapping.optimizer().get().tensors().keySet())
                                + ")");
            }
        }
    }

    private static Path checkpointPrefix(SourceFormat format, Path source, String label) {
        Path prefix;
        if (format == SourceFormat.SAVED_MODEL) {
            if (!Files.isRegularFile(source.resolve("saved_model.pb"))) {
                throw new ModelException(label + ": no SavedModel here (saved_model.pb missing)");
            }
            prefix = source.resolve("variables").resolve("variables");
        } else {
            prefix = source;
        }
        CheckpointTensors.requireIndex(prefix, label);
        return prefix;
    }

    /** SHA-256 of every file of the source, by path relative to the source. */
    private static Map<String, String> sourceFiles(SourceFormat format, Path source, Path prefix) {
        Map<String, String> out = new TreeMap<>();
        try {
            if (format == SourceFormat.SAVED_MODEL) {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        out.put(
                                source.relativize(p).toString().replace('\\', '/'),
                                Digests.sha256(p));
                    }
                }
            } else {
                Path dir = prefix.toAbsolutePath().getParent();
                String base = prefix.getFileName().toString();
                try (Stream<Path> list = Files.list(dir)) {
                    for (Path p : list.sorted().toList()) {
                        String f = p.getFileName().toString();
                        if (f.equals(base + ".index") || f.startsWith(base + ".data-")) {
                            out.put(f, Digests.sha256(p));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelException(
                    "cannot list the files of " + source + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * For each dense id of the data, the source row holding it: the identity without an id file;
     * with one, the line (0-based) that lists the raw id.
     */
    private static int[] sourceRows(Optional<Path> idFile, IdMap ids, String what) {
        int n = ids.size();
        int[] row = new int[n];
        if (idFile.isEmpty()) {
            for (int k = 0; k < n; k++) {
                row[k] = k;
            }
            return row;
        }
        Path f = idFile.get();
        Arrays.fill(row, -1);
        int r = 0;
        for (int[] entry : VariableMapping.readIdMap(f, what)) {
            int ln = entry[0] - 1;
            int raw = entry[1];
            int lineNo = ln + 1;
            int dense =
                    ids.index(raw)
                            .orElseThrow(
                                    () ->
                                            new DataException(
                                                    f
                                                            + " line "
                                                            + lineNo
                                                            + ": raw id "
                                                            + raw
                                                            + " is not among the data's "
                                                            + n
                                                            + " "
                                                            + what));
            if (row[dense] >= 0) {
                throw new DataException(
                        f + " line " + (ln + 1) + ": raw id " + raw + " listed twice");
            }
            row[dense] = r++;
        }
        if (r != n) {
            throw new DataException(
                    "id map " + f + " lists " + r + " " + what + ", the data has " + n);
        }
        return row;
    }

    /**
     * Places source tensors into the model's layout: reshape, transposition, pad rows, row order.
     */
    private record Placement(
            ImportFamily family, ImportFamily.Target data, int[] userRow, int[] itemRow) {

        /**
         * Applies the mapping's reshape and transposition to a source tensor, checks that it is
         * finite, drops a stored pad row (which must be zero unless {@code slot}: optimizer slots
         * of the pad row are not the model's), checks that a user or item role has one row per user
         * or item, and reorders those rows into the data's dense order. The result is named {@code
         * name}.
         */
        NamedArray place(
                NamedArray src,
                VariableMapping.TensorSource ts,
                ImportFamily.Role role,
                String name,
                boolean slot) {
            String what =
                    "tensor '"
                            + src.name()
                            + "' ("
                            + family.name().toUpperCase()
                            + " "
                            + role.name()
                            + ")";
            float[] d = src.data();
            for (int k = 0; k < d.length; k++) {
                if (!Float.isFinite(d[k])) {
                    throw new ModelException(
                            what + " holds a non-finite value (" + d[k] + ") at flat index " + k);
                }
            }
            long[] shape = src.shape();
            if (ts.reshape().isPresent()) {
                shape = resolve(ts.reshape().get(), d.length, what, src.shape());
            }
            if (ts.transposed()) {
                if (shape.length != 2) {
                    throw new ModelException(
                            what
                                    + " has shape "
                                    + Arrays.toString(shape)
                                    + "; layout 'transposed' needs a matrix");
                }
                int rows = (int) shape[0];
                int cols = (int) shape[1];
                float[] t = new float[d.length];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        t[c * rows + r] = d[r * cols + c];
                    }
                }
                d = t;
                shape = new long[] {cols, rows};
            }
            int[] perm =
                    switch (role.rows()) {
                        case USERS -> userRow;
                        case ITEMS -> itemRow;
                        case FIXED, NONE -> null;
                    };
            if (role.padRow() && shape.length == 2) {
                long want = perm != null ? perm.length : data.fixedRows(role);
                if (shape[0] == want + 1) {
                    int w = (int) shape[1];
                    if (!slot) {
                        for (int c = 0; c < w; c++) {
                            float x = d[(int) want * w + c];
                            if (x != 0) {
                                throw new ModelException(
                                        what
                                                + " has "
                                                + (want + 1)
                                                + " rows, so its last row is"
                                                + " the pad row, but that row is not zero (column "
                                                + c
                                                + " holds "
                                                + x
                                                + ")");
                            }
                        }
                    }
                    d = Arrays.copyOf(d, (int) want * w);
                    shape = new long[] {want, w};
                }
            }
            if (perm != null) {
                String space = role.rows() == ImportFamily.Rows.USERS ? "users" : "items";
                long rows = shape.length == 0 ? 1 : shape[0];
                if (shape.length != 2 || rows != perm.length) {
                    throw new ModelException(
                            what
                                    + " has shape "
                                    + Arrays.toString(shape)
                                    + " as mapped, so "
                                    + rows
                                    + " rows, but the data has "
                                    + perm.length
                                    + " "
                                    + space
                                    + (role.padRow()
                                            ? " (or "
                                                    + (perm.length + 1)
                                                    + " rows with a zero pad"
                                                    + " row)"
                                            : ""));
                }
                int w = (int) shape[1];
                float[] out = new float[d.length];
                for (int k = 0; k < perm.length; k++) {
                    System.arraycopy(d, perm[k] * w, out, k * w, w);
                }
                d = out;
            }
            return new NamedArray(name, shape, d == src.data() ? d.clone() : d);
        }
    }

    private static long[] resolve(long[] reshape, int size, String what, long[] original) {
        long known = 1;
        int unknown = -1;
        for (int k = 0; k < reshape.length; k++) {
            if (reshape[k] == -1) {
                unknown = k;
            } else {
                known *= reshape[k];
            }
        }
        long[] s = reshape.clone();
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ModelException(
                        what
                                + " has shape "
                                + Arrays.toString(original)
                                + " ("
                                + size
                                + " values), which cannot be viewed as "
                                + Arrays.toString(reshape));
            }
            s[unknown] = size / known;
        } else if (known != size) {
            throw new ModelException(
                    what
                            + " has shape "
                            + Arrays.toString(original)
                            + " ("
                            + size
                            + " values), which cannot be viewed as "
                            + Arrays.toString(reshape));
        }
        return s;
    }

    /**
     * The optimizer state named by the mapping, transformed like its variables; empty (with a
     * warning) when the mapping names none or the source lacks one of its tensors.
     */
    private static Optional<List<NamedArray>> readOptimizer(
            CheckpointTensors ckpt,
            Placement placement,
            VariableMapping mapping,
            Map<String, NamedArray> weights,
            List<String> warnings) {
        ImportFamily family = placement.family();
        if (mapping.optimizer().isEmpty()) {
            warnings.add(
                    "the mapping names no optimizer state; retraining (evaluate) starts from a fresh optimizer"
                            + " state");
            return Optional.empty();
        }
        VariableMapping.OptimizerSource opt = mapping.optimizer().get();
        List<NamedArray> out = new ArrayList<>();
        for (ImportFamily.Role role : family.roles()) {
            VariableMapping.TensorSource ts = mapping.tensors().get(role.name());
            for (Map.Entry<String, String> slot : new TreeMap<>(family.slotFields()).entrySet()) {
                String name = opt.nameOf(slot.getKey(), ts.tensor());
                Optional<NamedArray> src = ckpt.find(name);
                if (src.isEmpty()) {
                    warnings.add(missingOptimizer(name));
                    return Optional.empty();
                }
                NamedArray placed =
                        placement.place(src.get(), ts, role, role.name() + slot.getValue(), true);
                if (!Arrays.equals(placed.shape(), weights.get(role.name()).shape())) {
                    throw new ModelException(
                            "tensor '"
                                    + name
                                    + "' (optimizer "
                                    + slot.getKey()
                                    + " of "
                                    + role.name()
                                    + ") has shape "
                                    + Arrays.toString(placed.shape())
                                    + ", its variable "
                                    + Arrays.toString(weights.get(role.name()).shape()));
                }
                out.add(placed);
            }
        }
        for (Map.Entry<String, String> sc : new TreeMap<>(family.scalarFields()).entrySet()) {
            String name = opt.nameOf(sc.getKey(), "");
            Optional<NamedArray> src = ckpt.find(name);
            if (src.isEmpty()) {
                warnings.add(missingOptimizer(name));
                return Optional.empty();
            }
            float[] d = src.get().data();
            if (d.length != 1 || !Float.isFinite(d[0])) {
                throw new ModelException(
                        "tensor '"
                                + name
                                + "' (optimizer "
                                + sc.getKey()
                                + ") must be one finite"
                                + " number; it has shape "
                                + Arrays.toString(src.get().shape()));
            }
            out.add(new NamedArray(sc.getValue(), new long[0], new float[] {d[0]}));
        }
        return Optional.of(out);
    }

    private static String missingOptimizer(String tensor) {
        return "optimizer state not imported: the source has no tensor '"
                + tensor
                + "'; retraining (evaluate) starts from a fresh optimizer state";
    }

    private record Agreement(String signature, double maxDifference) {}

    /**
     * Compares the imported scores of the sample with the source SavedModel's own serving
     * signature. Empty (with a warning) when the source has no usable signature and the mapping
     * names none.
     */
    private static Optional<Agreement> agreement(
            Path dir,
            boolean trustGraph,
            VariableMapping mapping,
            int[] su,
            int[] si,
            int[] userRow,
            int[] itemRow,
            float[] imported,
            ImportFamily.Target data,
            String label,
            List<String> warnings) {
        boolean named = mapping.signature().isPresent();
        VariableMapping.SignatureSource spec =
                mapping.signature()
                        .orElse(
                                new VariableMapping.SignatureSource(
                                        Signature.DEFAULT_KEY, "user", "item", "score"));
        if (trustGraph) {
            warnings.add(
                    label
                            + ": --trust-graph: its graph runs unchecked, with this process's"
                            + " rights (it may read, write or send files)");
        } else {
            ForeignGraphCheck.check(dir, SavedModelBundle.DEFAULT_TAG, spec.key(), label);
        }
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
        } catch (RuntimeException e) {
            String m =
                    label
                            + ": cannot load it with tag '"
                            + SavedModelBundle.DEFAULT_TAG
                            + "' to check scores ("
                            + CheckpointTensors.firstLine(e.getMessage())
                            + ")";
            if (named) {
                throw new ModelException(m, e);
            }
            warnings.add(m + "; score agreement not checked");
            return Optional.empty();
        }
        try (bundle) {
            Optional<Signature> sig =
                    bundle.signatures().stream()
                            .filter(s -> s.key().equals(spec.key()))
                            .findFirst();
            String problem = null;
            if (sig.isEmpty()) {
                problem = "has no signature '" + spec.key() + "'";
            } else if (!sig.get().getInputs().containsKey(spec.user())
                    || !sig.get().getInputs().containsKey(spec.item())
                    || !sig.get().getOutputs().containsKey(spec.score())) {
                problem =
                        "signature '"
                                + spec.key()
                                + "' has inputs "
                                + sig.get().inputNames()
                                + " and outputs "
                                + sig.get().outputNames()
                                + ", not "
                                + spec.user()
                                + ", "
                                + spec.item()
                                + " -> "
                                + spec.score();
            }
            if (problem != null) {
                if (named) {
                    throw new ModelException(label + " " + problem);
                }
                warnings.add(
                        label
                                + " "
                                + problem
                                + " (name it in the mapping's 'signature'); score agreement not"
                                + " checked");
                return Optional.empty();
            }
            int n = su.length;
            int[] u = new int[n];
            int[] i = new int[n];
            for (int k = 0; k < n; k++) {
                u[k] = userRow[su[k]];
                i[k] = itemRow[si[k]];
            }
            SessionFunction fn = bundle.function(spec.key());
            double[] source;
            try (Tensor tu =
                            idTensor(
                                    sig.get().getInputs().get(spec.user()), u, label, spec.user());
                    Tensor ti =
                            idTensor(
                                    sig.get().getInputs().get(spec.item()), i, label, spec.item());
                    Result r = fn.call(Map.of(spec.user(), tu, spec.item(), ti))) {
                Tensor out = r.get(spec.score()).orElseThrow();
                source = readScores(out, n, label, spec);
            } catch (ModelException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ModelException(
                        label
                                + ": calling signature '"
                                + spec.key()
                                + "' failed: "
                                + CheckpointTensors.firstLine(e.getMessage()),
                        e);
            }
            double max = 0;
            for (int k = 0; k < n; k++) {
                double diff =
                        Math.abs(imported[k] - source[k]) / Math.max(1.0, Math.abs(source[k]));
                if (!(diff <= SCORE_TOLERANCE)) {
                    throw new ModelException(
                            "imported scores disagree with "
                                    + label
                                    + " signature '"
                                    + spec.key()
                                    + "': user "
                                    + data.users().raw(su[k])
                                    + ", item "
                                    + data.items().raw(si[k])
                                    + " scores "
                                    + imported[k]
                                    + " imported but "
                                    + source[k]
                                    + " in the source (check the mapping's"
                                    + " tensors, layouts and id maps)");
                }
                max = Math.max(max, diff);
            }
            return Optional.of(new Agreement(spec.key(), max));
        }
    }

    private static Tensor idTensor(
            Signature.TensorDescription desc, int[] ids, String label, String input) {
        Shape shape =
                desc.shape.numDimensions() == 2 ? Shape.of(ids.length, 1) : Shape.of(ids.length);
        if (desc.dataType == DataType.DT_INT32) {
            return TInt32.tensorOf(shape, DataBuffers.of(ids, true, false));
        }
        if (desc.dataType == DataType.DT_INT64) {
            return TInt64.tensorOf(
                    shape,
                    DataBuffers.of(Arrays.stream(ids).asLongStream().toArray(), true, false));
        }
        throw new ModelException(
                label
                        + ": signature input '"
                        + input
                        + "' has type "
                        + desc.dataType
                        + " (supported: int32, int64 ids)");
    }

    private static double[] readScores(
            Tensor out, int n, String label, VariableMapping.SignatureSource spec) {
        if (out.shape().size() != n) {
            throw new ModelException(
                    label
                            + ": signature output '"
                            + spec.score()
                            + "' has shape "
                            + out.shape()
                            + " for "
                            + n
                            + " pairs");
        }
        double[] s = new double[n];
        if (out instanceof TFloat32 f) {
            float[] tmp = new float[n];
            f.asRawTensor().data().asFloats().read(tmp);
            for (int k = 0; k < n; k++) {
                s[k] = tmp[k];
            }
        } else if (out instanceof TFloat64 f) {
            f.asRawTensor().data().asDoubles().read(s);
        } else {
            throw new ModelException(
                    label
                            + ": signature output '"
                            + spec.score()
                            + "' has type "
                            + out.dataType()
                            + " (supported: float32, float64)");
        }
        return s;
    }
}
