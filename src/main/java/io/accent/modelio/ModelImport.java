package io.accent.modelio;

import io.accent.core.ConfigException;
import io.accent.core.ModelException;
import io.accent.core.OutputTarget;
import io.accent.core.Provenance;
import io.accent.model.ImportFamily;
import io.accent.model.ModelFamilies;
import io.accent.model.ModelFamily;
import io.accent.model.ModelMetadata;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import io.accent.tf.TfSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

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
 *
 * <p>This class orchestrates; the steps live beside it: {@link ImportSources} (checkpoint prefix,
 * file hashes), {@link ImportPlacement} (id maps, reshapes, transposes, pad rows, row order),
 * {@link OptimizerImport} (the optimizer state) and {@link SignatureAgreement} (the score check
 * against the source's serving signature).
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
        OutputTarget outTarget = request.target();
        outTarget.check();
        // the roles may depend on the data (RCF: one value table per attribute kind)
        ImportFamily.Target data = family.target(request.dataDir());
        List<ImportFamily.Role> roles = family.roles(data);
        checkRoles(family, roles, mapping, request.mappingName());
        String label = request.format().label() + " " + request.source();
        Path prefix = ImportSources.checkpointPrefix(request.format(), request.source(), label);
        int numUsers = data.users().size();
        int numItems = data.items().size();
        int[] userRow = ImportPlacement.sourceRows(mapping.userIds(), data.users(), "users");
        int[] itemRow = ImportPlacement.sourceRows(mapping.itemIds(), data.items(), "items");
        Map<String, String> sourceFiles =
                ImportSources.fileDigests(request.format(), request.source(), prefix);
        ImportPlacement placement = new ImportPlacement(family, data, userRow, itemRow);

        List<String> warnings = new ArrayList<>();
        Map<String, NamedArray> weights = new LinkedHashMap<>();
        Map<String, String> tensorOf = new LinkedHashMap<>();
        Map<String, Object> config;
        List<NamedArray> optimizerState;
        boolean optimizerImported;
        try (CheckpointTensors ckpt = new CheckpointTensors(prefix, label)) {
            for (ImportFamily.Role role : roles) {
                VariableMapping.TensorSource ts = mapping.tensors().get(role.name());
                tensorOf.put(role.name(), ts.tensor());
                NamedArray src =
                        ckpt.get(ts.tensor(), family.name().toUpperCase() + " " + role.name());
                weights.put(role.name(), placement.place(src, ts, role, role.name(), false));
            }
            data.checkShapes(weights, tensorOf);
            config = data.config(mapping.hyperparameters(), weights);
            Optional<List<NamedArray>> imported =
                    OptimizerImport.read(ckpt, placement, mapping, weights, warnings);
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
            Optional<SignatureAgreement> a =
                    SignatureAgreement.check(
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

    /** The mapping names exactly the family's roles for the data. */
    private static void checkRoles(
            ImportFamily family,
            List<ImportFamily.Role> familyRoles,
            VariableMapping mapping,
            String mappingName) {
        List<String> roles = familyRoles.stream().map(ImportFamily.Role::name).toList();
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
}
