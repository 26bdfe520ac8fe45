package io.accent.modelio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.ImportFixtures;
import io.accent.TestModels;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.ModelException;
import io.accent.influence.UserInfluence;
import io.accent.model.TrainedModel;
import io.accent.ncf.NcfInfluenceConfig;
import io.accent.ncf.NcfInfluenceEngine;
import io.accent.ncf.NcfNetwork;
import io.accent.rcf.RcfConfig;
import io.accent.rcf.RcfImportFamily;
import io.accent.rcf.RcfImportFixtures;
import io.accent.rcf.RcfNetwork;
import io.accent.rcf.RcfTrainer;
import io.accent.rcf.RcfTrainerTest;
import io.accent.tf.AdamStep;
import io.accent.tf.NamedArray;
import io.accent.tf.ParameterSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelImport} on checkpoints and SavedModels written in the test from a model this project
 * trained.
 */
class ModelImportTest {

    @TempDir Path tmp;

    private static ParameterSet trained() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return m.parameters();
        }
    }

    /**
     * The raw user id of each dense user of the small model (what the Keras fixture writes to
     * user-ids.txt).
     */
    private static int[] smallModelRawUsers() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return ((io.accent.ncf.NcfModel) m).data().users().rawIds();
        }
    }

    private static ModelImport.Report importCheckpoint(
            Path prefix, VariableMapping mapping, Path out) {
        return ModelImport.run(
                new ModelImport.Request(
                        ModelImport.SourceFormat.CHECKPOINT,
                        prefix,
                        mapping,
                        "test",
                        TestModels.smallData(),
                        out));
    }

    @Test
    void referenceCheckpointImportsBitForBitAndInfluenceIsUnchanged() throws Exception {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt/ncf-checkpoint-1999");
        Files.createDirectories(prefix.getParent());
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, false);
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out);
        assertTrue(r.optimizerImported());
        assertEquals(List.of(), r.warnings());
        assertTrue(r.checkedSignature().isEmpty());

        try (TrainedModel a = ModelStore.load(TestModels.smallModel());
                TrainedModel b = ModelStore.load(out)) {
            // every variable and every Adam slot, bit for bit
            ParameterSet pa = a.parameters();
            ParameterSet pb = b.parameters();
            assertEquals(pa.arrays().size(), pb.arrays().size());
            for (NamedArray x : pa.arrays()) {
                NamedArray y = pb.get(x.name());
                assertArrayEquals(x.shape(), y.shape(), x.name());
                assertArrayEquals(x.data(), y.data(), x.name());
            }
            assertEquals(a.metadata().trainingMse(), b.metadata().trainingMse(), 1e-6);
            // influence of every rating of three users on their top items: same values (1e-9
            // relative)
            try (NcfInfluenceEngine ea = new NcfInfluenceEngine(a, NcfInfluenceConfig.defaults());
                    NcfInfluenceEngine eb =
                            new NcfInfluenceEngine(b, NcfInfluenceConfig.defaults())) {
                for (int user : new int[] {0, 7, 31}) {
                    UserInfluence ia = ea.compute(user).influence();
                    UserInfluence ib = eb.compute(user).influence();
                    assertArrayEquals(ia.topItems(), ib.topItems());
                    for (int t = 0; t < ia.influence().length; t++) {
                        for (int z = 0; z < ia.influence()[t].length; z++) {
                            double x = ia.influence()[t][z];
                            double y = ib.influence()[t][z];
                            assertTrue(
                                    Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), 1e-12),
                                    "user "
                                            + user
                                            + " target "
                                            + t
                                            + " row "
                                            + z
                                            + ": "
                                            + x
                                            + " vs "
                                            + y);
                        }
                    }
                }
            }
            // provenance: format, source, mapping and SHA-256 of both checkpoint files
            @SuppressWarnings("unchecked")
            Map<String, Object> imp =
                    (Map<String, Object>) b.metadata().provenance().config().get("import");
            assertEquals("checkpoint", imp.get("format"));
            assertEquals("imported", imp.get("optimizer_state"));
            @SuppressWarnings("unchecked")
            Map<String, String> files = (Map<String, String>) imp.get("files_sha256");
            assertEquals(2, files.size(), files.toString());
            assertEquals(
                    sha256(Path.of(prefix + ".index")), files.get("ncf-checkpoint-1999.index"));
            assertTrue(
                    files.keySet().stream()
                            .anyMatch(f -> f.startsWith("ncf-checkpoint-1999.data-")));
            assertTrue(b.metadata().provenance().parent().startsWith("checkpoint:"));
        }
    }

    @Test
    void missingAdamStateGivesAFreshOptimizerAndAWarning() {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt");
        ImportFixtures.writeReferenceCheckpoint(original, prefix, false, false);
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out);
        assertFalse(r.optimizerImported());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(
                r.warnings().get(0).contains("embedding_layer/mlp/embedding_users/Adam"),
                r.warnings().get(0));
        try (TrainedModel b = ModelStore.load(out)) {
            ParameterSet p = b.parameters();
            assertArrayEquals(original.get("W2").data(), p.get("W2").data());
            assertArrayEquals(
                    new float[original.get("Q_gmf").data().length], p.get("Q_gmf.adam_v").data());
            assertEquals(AdamStep.BETA1, p.get("adam.beta1_power").data()[0]);
            assertEquals(AdamStep.BETA2, p.get("adam.beta2_power").data()[0]);
        }
    }

    @Test
    void transposedLayoutIsUndone() throws Exception {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt");
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, true);
        VariableMapping ref = VariableMapping.builtin("reference-ncf");
        Map<String, VariableMapping.TensorSource> t = new java.util.LinkedHashMap<>(ref.tensors());
        t.put(
                "W1",
                new VariableMapping.TensorSource(
                        "h1/weights", Optional.of(new long[] {16, 32}), true));
        VariableMapping m =
                new VariableMapping(
                        "ncf",
                        t,
                        Optional.empty(),
                        Optional.empty(),
                        ref.optimizer(),
                        Optional.empty(),
                        Map.of());
        Path out = tmp.resolve("imported");
        importCheckpoint(prefix, m, out);
        try (TrainedModel b = ModelStore.load(out)) {
            assertArrayEquals(original.get("W1").data(), b.parameters().get("W1").data());
            assertArrayEquals(
                    original.get("W1.adam_m").data(), b.parameters().get("W1.adam_m").data());
            assertArrayEquals(new long[] {32, 16}, b.parameters().get("W1").shape());
        }
        // the same checkpoint without the transposition: W1 viewed as [32,16] holds other numbers,
        // and
        // nothing catches that except scores, so it must at least not be equal
        Path out2 = tmp.resolve("imported2");
        importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out2);
        try (TrainedModel b = ModelStore.load(out2)) {
            assertFalse(
                    java.util.Arrays.equals(
                            original.get("W1").data(), b.parameters().get("W1").data()));
        }
    }

    @Test
    void kerasSavedModelWithPermutedUsersAgreesWithItsSignature() throws Exception {
        ParameterSet original = trained();
        Path sm = tmp.resolve("keras/model");
        ImportFixtures.writeKerasSavedModel(original, sm, smallModelRawUsers());
        Path mappingFile = tmp.resolve("keras/mapping.json");
        Files.writeString(mappingFile, ImportFixtures.kerasMappingJson(Map.of()));
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                ModelImport.run(
                        new ModelImport.Request(
                                ModelImport.SourceFormat.SAVED_MODEL,
                                sm,
                                VariableMapping.read(mappingFile),
                                mappingFile.toString(),
                                TestModels.smallData(),
                                out));
        assertEquals(Optional.of("serving_default"), r.checkedSignature());
        assertEquals(ModelImport.AGREEMENT_PAIRS, r.checkedPairs());
        assertTrue(r.maxScoreDifference() <= ModelImport.SCORE_TOLERANCE);
        assertFalse(r.optimizerImported());
        try (TrainedModel b = ModelStore.load(out)) {
            for (String v : NcfNetwork.VARIABLES) {
                assertArrayEquals(original.get(v).data(), b.parameters().get(v).data(), v);
            }
        }

        // a mapping that swaps the MLP and GMF user tables passes every shape check but not the
        // scores
        Files.writeString(
                mappingFile,
                ImportFixtures.kerasMappingJson(
                        Map.of(
                                "P_mlp",
                                "gmf_user_embedding/embeddings",
                                "P_gmf",
                                "user_embedding/embeddings")));
        Path out2 = tmp.resolve("imported2");
        ModelException e =
                assertThrows(
                        ModelException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.SAVED_MODEL,
                                                sm,
                                                VariableMapping.read(mappingFile),
                                                "m",
                                                TestModels.smallData(),
                                                out2)));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
        assertFalse(Files.exists(out2));
    }

    @Test
    void tf2ObjectGraphNamesAreReadAndAnUnloadableSignatureIsOnlyAWarning() throws Exception {
        ParameterSet original = trained();
        Path sm = tmp.resolve("keras/model");
        ImportFixtures.writeKerasSavedModel(original, sm, smallModelRawUsers());
        // replace the variables by a checkpoint under TF2 object-graph names (the graph can then no
        // longer restore them, so the signature cannot be loaded: the check is skipped with a
        // warning)
        Path vars = sm.resolve("variables");
        try (var files = Files.list(vars)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        ParameterSet reversedUsers = ImportFixtures.reverseUserRows(original);
        ImportFixtures.writeCheckpoint(
                reversedUsers,
                vars.resolve("variables"),
                Map.of(
                        "P_mlp",
                        "user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "Q_mlp",
                        "item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "P_gmf",
                        "gmf_user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "Q_gmf",
                        "gmf_item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "W1",
                        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b1",
                        "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
                        "W2",
                        "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b2",
                        "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
                        "W3",
                        "layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b3",
                        "layer_with_weights-2/bias/.ATTRIBUTES/VARIABLE_VALUE"));
        Map<String, VariableMapping.TensorSource> t = new java.util.LinkedHashMap<>();
        t.put(
                "P_mlp",
                VariableMapping.TensorSource.of(
                        "user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put(
                "Q_mlp",
                VariableMapping.TensorSource.of(
                        "item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put(
                "P_gmf",
                VariableMapping.TensorSource.of(
                        "gmf_user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put(
                "Q_gmf",
                VariableMapping.TensorSource.of(
                        "gmf_item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        for (int k = 0; k < 3; k++) {
            t.put(
                    "W" + (k + 1),
                    VariableMapping.TensorSource.of(
                            "layer_with_weights-" + k + "/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
            t.put(
                    "b" + (k + 1),
                    VariableMapping.TensorSource.of(
                            "layer_with_weights-" + k + "/bias/.ATTRIBUTES/VARIABLE_VALUE"));
        }
        VariableMapping m =
                new VariableMapping(
                        "ncf",
                        t,
                        Optional.of(sm.resolveSibling("user-ids.txt")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("weight_decay", 1e-3));
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                ModelImport.run(
                        new ModelImport.Request(
                                ModelImport.SourceFormat.SAVED_MODEL,
                                sm,
                                m,
                                "tf2",
                                TestModels.smallData(),
                                out));
        assertTrue(r.checkedSignature().isEmpty());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(
                r.warnings().get(1).contains("score agreement not checked"), r.warnings().get(1));
        try (TrainedModel b = ModelStore.load(out)) {
            for (String v : NcfNetwork.VARIABLES) {
                assertArrayEquals(original.get(v).data(), b.parameters().get(v).data(), v);
            }
        }
    }

    @Test
    void idMapsMustBePermutationsOfTheDataIds() throws Exception {
        Path sm = tmp.resolve("keras/model");
        int[] raw = smallModelRawUsers();
        Path ids = ImportFixtures.writeKerasSavedModel(trained(), sm, raw);
        Path mappingFile = tmp.resolve("keras/mapping.json");
        Files.writeString(mappingFile, ImportFixtures.kerasMappingJson(Map.of()));
        List<String> lines = Files.readAllLines(ids);
        Path out = tmp.resolve("imported");
        ModelImport.Request req =
                new ModelImport.Request(
                        ModelImport.SourceFormat.SAVED_MODEL,
                        sm,
                        VariableMapping.read(mappingFile),
                        "m",
                        TestModels.smallData(),
                        out);
        Files.write(ids, lines.subList(1, lines.size()));
        DataException short_ = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(
                short_.getMessage()
                        .contains(
                                "lists " + (raw.length - 1) + " users, the data has " + raw.length),
                short_.getMessage());
        List<String> dup = new java.util.ArrayList<>(lines);
        dup.set(2, dup.get(1));
        Files.write(ids, dup);
        DataException twice = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(
                twice.getMessage().contains("line 3: raw id " + dup.get(1) + " listed twice"),
                twice.getMessage());
        List<String> unknown = new java.util.ArrayList<>(lines);
        unknown.set(0, "999999");
        Files.write(ids, unknown);
        DataException notInData = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(
                notInData.getMessage().contains("line 1: raw id 999999 is not among"),
                notInData.getMessage());
        assertFalse(Files.exists(out));
        // and the output may not overlap an input
        assertThrows(
                ConfigException.class,
                () ->
                        new ModelImport.Request(
                                ModelImport.SourceFormat.SAVED_MODEL,
                                sm,
                                VariableMapping.read(mappingFile),
                                "m",
                                TestModels.smallData(),
                                TestModels.smallData().resolve("m")));
    }

    @Test
    void checkpointIndexListsNamesTypesAndShapesAndDetectsDamage() throws Exception {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt");
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, false);
        Path index = Path.of(prefix + ".index");
        Map<String, CheckpointIndex.Entry> e = CheckpointIndex.read(index).entries();
        // 10 variables, 20 Adam slots, 2 beta powers, learning_rate, global_step
        assertEquals(34, e.size(), e.keySet().toString());
        int users = original.get("P_mlp").rows();
        assertArrayEquals(
                new long[] {users * 16L},
                e.get("embedding_layer/gmf/embedding_users/Adam_1").shape());
        assertArrayEquals(new long[] {24}, e.get("h3/weights").shape());
        assertArrayEquals(new long[0], e.get("beta2_power").shape());
        assertEquals(org.tensorflow.proto.DataType.DT_INT32, e.get("global_step").dtype());
        assertEquals(org.tensorflow.proto.DataType.DT_FLOAT, e.get("h1/biases").dtype());
        // one flipped byte inside a block: its checksum no longer matches
        byte[] bytes = Files.readAllBytes(index);
        bytes[20] ^= 0x01;
        Files.write(index, bytes);
        ModelException damaged =
                assertThrows(ModelException.class, () -> CheckpointIndex.read(index));
        assertTrue(
                damaged.getMessage().contains("is corrupt (block checksum mismatch"),
                damaged.getMessage());
        // a non-float tensor named by a mapping is refused by name
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, false);
        try (CheckpointTensors t = new CheckpointTensors(prefix, "checkpoint x")) {
            ModelException notFloat =
                    assertThrows(ModelException.class, () -> t.find("global_step"));
            assertTrue(
                    notFloat.getMessage().contains("'global_step' is DT_INT32"),
                    notFloat.getMessage());
            ModelException missing =
                    assertThrows(ModelException.class, () -> t.get("h1/weight", "NCF W1"));
            assertTrue(
                    missing.getMessage().contains("the nearest: h1/weights"), missing.getMessage());
        }
    }

    @Test
    void mappingFileErrorsNameTheField() throws Exception {
        Path f = tmp.resolve("m.json");
        Files.writeString(
                f,
                "{\"family\": \"ncf\", \"tensors\": {\"P_mlp\": {\"tensor\": \"x\", \"layout\": \"diagonal\"}}}");
        ConfigException e = assertThrows(ConfigException.class, () -> VariableMapping.read(f));
        assertTrue(
                e.getMessage().contains("P_mlp") && e.getMessage().contains("diagonal"),
                e.getMessage());
        Files.writeString(f, "{\"family\": \"ncf\", \"tensors\": {\"P_mlp\": \"x\"}}");
        VariableMapping m = VariableMapping.read(f);
        ConfigException e2 =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.CHECKPOINT,
                                                tmp.resolve("none"),
                                                m,
                                                "m.json",
                                                TestModels.smallData(),
                                                tmp.resolve("out"))));
        assertTrue(e2.getMessage().contains("'Q_mlp'"), e2.getMessage());
        Files.writeString(f, "{\"family\": \"rcf\", \"tensors\": {}}");
        ConfigException e3 =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.CHECKPOINT,
                                                tmp.resolve("none"),
                                                VariableMapping.read(f),
                                                "m.json",
                                                TestModels.smallData(),
                                                tmp.resolve("out"))));
        assertTrue(
                e3.getMessage().contains("names no source tensor for rcf variable 'e_user'"),
                e3.getMessage());
        Files.writeString(f, "{\"family\": \"xyz\", \"tensors\": {}}");
        ConfigException e4 =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.CHECKPOINT,
                                                tmp.resolve("none"),
                                                VariableMapping.read(f),
                                                "m.json",
                                                TestModels.smallData(),
                                                tmp.resolve("out"))));
        assertTrue(
                e4.getMessage()
                        .contains(
                                "unknown model family 'xyz' in the mapping (known: ncf, rcf, mf)"),
                e4.getMessage());
    }

    @Test
    void theImportPageExampleIsAValidMapping() throws Exception {
        String readme = Files.readString(Path.of("docs/IMPORT.md"));
        int section = readme.indexOf("# Explaining a model you trained elsewhere");
        assertTrue(section >= 0, "docs/IMPORT.md section missing");
        int start = readme.indexOf("```json\n", section) + "```json\n".length();
        Path f = tmp.resolve("example.json");
        Files.writeString(f, readme.substring(start, readme.indexOf("```", start)));
        VariableMapping m = VariableMapping.read(f);
        assertEquals("ncf", m.family());
        assertEquals(NcfNetwork.VARIABLES, List.copyOf(m.tensors().keySet()));
        assertEquals(Optional.of(tmp.resolve("user-ids.txt").toAbsolutePath()), m.userIds());
        assertEquals("prediction", m.signature().orElseThrow().score());
        assertArrayEquals(new long[] {24, 1}, m.tensors().get("W3").reshape().orElseThrow());
    }

    private static VariableMapping rcfMapping(
            Map<String, String> override,
            Optional<Path> itemIds,
            Optional<VariableMapping.OptimizerSource> optimizer) {
        Map<String, VariableMapping.TensorSource> t = new java.util.LinkedHashMap<>();
        RcfImportFixtures.NAMES.forEach(
                (v, n) -> t.put(v, VariableMapping.TensorSource.of(override.getOrDefault(v, n))));
        return new VariableMapping(
                "rcf",
                t,
                Optional.empty(),
                itemIds,
                optimizer,
                Optional.empty(),
                Map.of("batch_size", 64, "epochs", 3, "seed", 5));
    }

    @Test
    void rcfCheckpointWithPadRowsPermutedItemsAndAdagradImportsBitForBit() throws Exception {
        ParameterSet original = RcfImportFixtures.trained();
        io.accent.data.IdMap items = io.accent.data.RcfDataset.load(TestModels.smallData()).items();
        int n = items.size();
        int[] order = new int[n];
        List<String> ids = new java.util.ArrayList<>();
        for (int r = 0; r < n; r++) {
            order[r] = n - 1 - r;
            ids.add(String.valueOf(items.raw(order[r])));
        }
        Path idFile = tmp.resolve("rcf-item-ids.txt");
        Files.write(idFile, ids);
        Path prefix = tmp.resolve("rcf/model.ckpt-1");
        Files.createDirectories(prefix.getParent());
        ImportFixtures.writeCheckpoint(
                RcfImportFixtures.renamed(original, true, order, "{tensor}/Adagrad"), prefix);
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                importCheckpoint(
                        prefix,
                        rcfMapping(
                                Map.of(),
                                Optional.of(idFile),
                                Optional.of(VariableMapping.OptimizerSource.TF1_ADAGRAD)),
                        out);
        assertTrue(r.optimizerImported());
        assertEquals(List.of(), r.warnings());
        assertTrue(
                r.fit().rankingSanity() >= 0 && r.fit().rankingSanity() <= 1, r.fit().toString());
        try (TrainedModel a = ModelStore.load(RcfImportFixtures.smallModel());
                TrainedModel b = ModelStore.load(out)) {
            assertEquals("rcf", b.metadata().family());
            assertEquals(
                    RcfConfig.fromMap(a.metadata().config()),
                    RcfConfig.fromMap(b.metadata().config()));
            // every weight and accumulator bit for bit: pad rows dropped, item rows back in the
            // data's order
            ParameterSet pa = a.parameters();
            ParameterSet pb = b.parameters();
            assertEquals(2 * RcfNetwork.variables(3).size(), pb.arrays().size());
            for (NamedArray x : pa.arrays()) {
                assertArrayEquals(x.shape(), pb.get(x.name()).shape(), x.name());
                assertArrayEquals(x.data(), pb.get(x.name()).data(), x.name());
            }
            // and so every score of three users
            for (int user : new int[] {0, 9, 33}) {
                int[] us = new int[n];
                int[] is = new int[n];
                for (int i = 0; i < n; i++) {
                    us[i] = user;
                    is[i] = i;
                }
                assertArrayEquals(a.score(us, is), b.score(us, is), "user " + user);
            }
            assertEquals(a.dataFingerprint(), b.dataFingerprint());
        }
    }

    @Test
    void rcfRowsFollowTheRcfItemSpaceNotNcfs() throws Exception {
        // the embedded synthetic RCF model: 397 NCF items but 398 RCF items
        Path model = Path.of("saved-models/rcf-synthetic");
        Path data = model.resolve("data");
        ParameterSet state;
        try (TrainedModel m = ModelStore.load(model)) {
            state = m.parameters();
        }
        // (the model's data holds only RCF's files, so an RCF import needs none of NCF's)
        int ncfItems =
                io.accent.core.Json.mapper()
                        .readTree(data.resolve("dataset.json").toFile())
                        .get("counts")
                        .get("ncfItems")
                        .asInt();
        assertEquals(398, state.get("q").rows());
        assertEquals(397, ncfItems);
        List<NamedArray> arrays =
                new java.util.ArrayList<>(RcfImportFixtures.renamed(state, false, null, null));
        Path prefix = tmp.resolve("rcf/model.ckpt-9");
        Files.createDirectories(prefix.getParent());
        // q with one row per NCF item
        arrays.replaceAll(
                a ->
                        a.name().equals("item_embeddings")
                                ? new NamedArray(
                                        a.name(),
                                        new long[] {ncfItems, a.rowSize()},
                                        java.util.Arrays.copyOf(a.data(), ncfItems * a.rowSize()))
                                : a);
        ImportFixtures.writeCheckpoint(arrays, prefix);
        Path out = tmp.resolve("imported");
        ModelException rows =
                assertThrows(
                        ModelException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.CHECKPOINT,
                                                prefix,
                                                rcfMapping(
                                                        Map.of(),
                                                        Optional.empty(),
                                                        Optional.empty()),
                                                "m",
                                                data,
                                                out)));
        assertTrue(
                rows.getMessage()
                        .contains(
                                "tensor 'item_embeddings' (RCF q) has shape [397, 64] as mapped, so 397"
                                        + " rows, but the data has 398 items (or 399 rows with a zero pad row)"),
                rows.getMessage());
        // an item id map with as many items as NCF's id space does not fit either
        Path idFile = tmp.resolve("ncf-item-ids.txt");
        Files.write(
                idFile,
                java.util.Arrays.stream(io.accent.data.RcfDataset.load(data).items().rawIds())
                        .limit(ncfItems)
                        .mapToObj(String::valueOf)
                        .toList());
        DataException ids =
                assertThrows(
                        DataException.class,
                        () ->
                                ModelImport.run(
                                        new ModelImport.Request(
                                                ModelImport.SourceFormat.CHECKPOINT,
                                                prefix,
                                                rcfMapping(
                                                        Map.of(),
                                                        Optional.of(idFile),
                                                        Optional.empty()),
                                                "m",
                                                data,
                                                out)));
        assertTrue(
                ids.getMessage().contains("lists 397 items, the data has 398"), ids.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void rcfWithoutPadRowsOrAccumulatorsAndBadRcfInputs() throws Exception {
        ParameterSet original = RcfImportFixtures.trained();
        Path prefix = tmp.resolve("rcf/model.ckpt-2");
        Files.createDirectories(prefix.getParent());
        ImportFixtures.writeCheckpoint(
                RcfImportFixtures.renamed(original, false, null, null), prefix);
        Path out = tmp.resolve("imported");
        ModelImport.Report r =
                importCheckpoint(
                        prefix,
                        rcfMapping(
                                Map.of(),
                                Optional.empty(),
                                Optional.of(VariableMapping.OptimizerSource.TF1_ADAGRAD)),
                        out);
        assertFalse(r.optimizerImported());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(
                r.warnings().get(0).contains("no tensor 'user_embeddings/Adagrad'"),
                r.warnings().get(0));
        try (TrainedModel b = ModelStore.load(out)) {
            ParameterSet p = b.parameters();
            for (String v : RcfNetwork.variables(3)) {
                assertArrayEquals(original.get(v).data(), p.get(v).data(), v);
                float[] acc = p.get(v + ".adagrad").data();
                float[] fresh = new float[acc.length];
                java.util.Arrays.fill(fresh, 1e-8f);
                assertArrayEquals(fresh, acc, v);
            }
        }

        Path bad = tmp.resolve("bad");
        // a tensor of another table: V1 mapped to the director embeddings
        ModelException shape =
                assertThrows(
                        ModelException.class,
                        () ->
                                importCheckpoint(
                                        prefix,
                                        rcfMapping(
                                                Map.of("V1", "director_embeddings"),
                                                Optional.empty(),
                                                Optional.empty()),
                                        bad));
        assertTrue(
                shape.getMessage()
                        .startsWith(
                                "tensor 'director_embeddings' (RCF V1) has shape ["
                                        + original.get("V2").rows()
                                        + ", 8] as mapped, RCF needs ["
                                        + original.get("V1").rows()
                                        + ", 8]"),
                shape.getMessage());
        // a missing tensor: the nearest names are suggested
        ModelException missing =
                assertThrows(
                        ModelException.class,
                        () ->
                                importCheckpoint(
                                        prefix,
                                        rcfMapping(
                                                Map.of("M0", "mlp_kernal"),
                                                Optional.empty(),
                                                Optional.empty()),
                                        bad));
        assertTrue(
                missing.getMessage().contains("'mlp_kernal'")
                        && missing.getMessage().contains("mlp_kernel"),
                missing.getMessage());
        // a stored pad row that is not zero
        List<NamedArray> padded =
                new java.util.ArrayList<>(RcfImportFixtures.renamed(original, true, null, null));
        for (int k = 0; k < padded.size(); k++) {
            NamedArray a = padded.get(k);
            if (a.name().equals("genre_embeddings")) {
                float[] d = a.data().clone();
                d[d.length - 3] = 0.25f;
                padded.set(k, new NamedArray(a.name(), a.shape(), d));
            }
        }
        Path prefix3 = tmp.resolve("rcf/model.ckpt-3");
        ImportFixtures.writeCheckpoint(padded, prefix3);
        ModelException pad =
                assertThrows(
                        ModelException.class,
                        () ->
                                importCheckpoint(
                                        prefix3,
                                        rcfMapping(Map.of(), Optional.empty(), Optional.empty()),
                                        bad));
        assertTrue(
                pad.getMessage()
                        .contains(
                                "tensor 'genre_embeddings' (RCF V1) has "
                                        + (original.get("V1").rows() + 1)
                                        + " rows, so its last row is the pad row, but that row is not zero"
                                        + " (column 5 holds 0.25)"),
                pad.getMessage());
        assertFalse(Files.exists(bad));
        // an unknown RCF hyperparameter
        VariableMapping m = rcfMapping(Map.of(), Optional.empty(), Optional.empty());
        VariableMapping withLambda =
                new VariableMapping(
                        "rcf",
                        m.tensors(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("weight_decay", 0.1));
        ConfigException hyper =
                assertThrows(
                        ConfigException.class, () -> importCheckpoint(prefix, withLambda, bad));
        assertTrue(
                hyper.getMessage().contains("unknown RCF hyperparameter 'weight_decay'"),
                hyper.getMessage());
        assertFalse(Files.exists(bad));
    }

    @Test
    void importWritesOnlyWhereTheOutputRuleAllows() throws Exception {
        Path prefix = tmp.resolve("ckpt");
        ImportFixtures.writeReferenceCheckpoint(trained(), prefix, true, false);
        Path out = tmp.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "keep");
        VariableMapping ref = VariableMapping.builtin("reference-ncf");
        ConfigException e =
                assertThrows(ConfigException.class, () -> importCheckpoint(prefix, ref, out));
        assertTrue(e.getMessage().contains("give --overwrite"), e.getMessage());
        assertTrue(Files.exists(out.resolve("notes.txt")));
        ModelImport.run(
                new ModelImport.Request(
                        ModelImport.SourceFormat.CHECKPOINT,
                        prefix,
                        ref,
                        "reference-ncf",
                        TestModels.smallData(),
                        out,
                        true));
        assertTrue(io.accent.core.OutputTarget.writtenBy(out, "model"));
        assertFalse(Files.exists(out.resolve("notes.txt")));
        // (a directory accent wrote as a model directory is replaced without it: OutputTarget's own
        // rule)
        // the checkpoint's own directory is an input
        ConfigException inside =
                assertThrows(
                        ConfigException.class,
                        () ->
                                new ModelImport.Request(
                                        ModelImport.SourceFormat.CHECKPOINT,
                                        prefix,
                                        ref,
                                        "reference-ncf",
                                        TestModels.smallData(),
                                        tmp,
                                        true));
        assertTrue(inside.getMessage().contains("contains the input"), inside.getMessage());
    }

    @Test
    void theImportPageRcfExampleIsAValidMapping() throws Exception {
        String readme = Files.readString(Path.of("docs/IMPORT.md"));
        int section = readme.indexOf("# Explaining a model you trained elsewhere");
        int family = readme.indexOf("\"family\": \"rcf\"", section);
        assertTrue(family > section, "docs/IMPORT.md RCF example missing");
        int start = readme.lastIndexOf("```json\n", family) + "```json\n".length();
        Path f = tmp.resolve("rcf-example.json");
        Files.writeString(f, readme.substring(start, readme.indexOf("```", start)));
        VariableMapping m = VariableMapping.read(f);
        assertEquals("rcf", m.family());
        assertEquals(RcfNetwork.variables(3), List.copyOf(m.tensors().keySet()));
        assertEquals(Optional.of(tmp.resolve("rcf-item-ids.txt").toAbsolutePath()), m.itemIds());
        assertEquals(Optional.of(VariableMapping.OptimizerSource.TF1_ADAGRAD), m.optimizer());
        assertArrayEquals(new long[] {-1, 1}, m.tensors().get("wp").reshape().orElseThrow());
        // its hyperparameters are RCF's
        Map<String, NamedArray> w = new java.util.LinkedHashMap<>();
        RcfTrainer trainer = new RcfTrainer(RcfTrainerTest.small(1, 1), 1);
        trainer.initialWeights(RcfTrainerTest.data().sizes())
                .arrays()
                .forEach(a -> w.put(a.name(), a));
        Map<String, Object> config =
                RcfImportFamily.INSTANCE
                        .target(TestModels.smallData())
                        .config(m.hyperparameters(), w);
        assertEquals(512, RcfConfig.fromMap(config).batchSize());
        assertEquals(8, RcfConfig.fromMap(config).hidden());
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
