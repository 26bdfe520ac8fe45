package io.accent.model;

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
import io.accent.influence.InfluenceConfig;
import io.accent.influence.NcfInfluenceEngine;
import io.accent.influence.UserInfluence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelImport} on checkpoints and SavedModels written in the test from a model this project trained. */
class ModelImportTest {

    @TempDir Path tmp;

    private static ParameterSet trained() {
        try (TrainedModel m = ModelStore.load(TestModels.smallModel())) {
            return m.parameters();
        }
    }

    private static ModelImport.Report importCheckpoint(Path prefix, VariableMapping mapping, Path out) {
        return ModelImport.run(new ModelImport.Request(ModelImport.SourceFormat.CHECKPOINT, prefix, mapping,
                "test", TestModels.smallData(), out));
    }

    @Test
    void referenceCheckpointImportsBitForBitAndInfluenceIsUnchanged() throws Exception {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt/ncf-checkpoint-1999");
        Files.createDirectories(prefix.getParent());
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, false);
        Path out = tmp.resolve("imported");
        ModelImport.Report r = importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out);
        assertTrue(r.optimizerImported());
        assertEquals(List.of(), r.warnings());
        assertTrue(r.checkedSignature().isEmpty());

        try (TrainedModel a = ModelStore.load(TestModels.smallModel()); TrainedModel b = ModelStore.load(out)) {
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
            // influence of every rating of three users on their top items: same values (1e-9 relative)
            try (NcfInfluenceEngine ea = new NcfInfluenceEngine(a, InfluenceConfig.defaults());
                    NcfInfluenceEngine eb = new NcfInfluenceEngine(b, InfluenceConfig.defaults())) {
                for (int user : new int[] {0, 7, 31}) {
                    UserInfluence ia = ea.compute(user).influence();
                    UserInfluence ib = eb.compute(user).influence();
                    assertArrayEquals(ia.topItems(), ib.topItems());
                    for (int t = 0; t < ia.influence().length; t++) {
                        for (int z = 0; z < ia.influence()[t].length; z++) {
                            double x = ia.influence()[t][z];
                            double y = ib.influence()[t][z];
                            assertTrue(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), 1e-12),
                                    "user " + user + " target " + t + " row " + z + ": " + x + " vs " + y);
                        }
                    }
                }
            }
            // provenance: format, source, mapping and SHA-256 of both checkpoint files
            @SuppressWarnings("unchecked")
            Map<String, Object> imp = (Map<String, Object>) b.metadata().provenance().config().get("import");
            assertEquals("checkpoint", imp.get("format"));
            assertEquals("imported", imp.get("optimizer_state"));
            @SuppressWarnings("unchecked")
            Map<String, String> files = (Map<String, String>) imp.get("files_sha256");
            assertEquals(2, files.size(), files.toString());
            assertEquals(sha256(Path.of(prefix + ".index")), files.get("ncf-checkpoint-1999.index"));
            assertTrue(files.keySet().stream().anyMatch(f -> f.startsWith("ncf-checkpoint-1999.data-")));
            assertTrue(b.metadata().provenance().parent().startsWith("checkpoint:"));
        }
    }

    @Test
    void missingAdamStateGivesAFreshOptimizerAndAWarning() {
        ParameterSet original = trained();
        Path prefix = tmp.resolve("ckpt");
        ImportFixtures.writeReferenceCheckpoint(original, prefix, false, false);
        Path out = tmp.resolve("imported");
        ModelImport.Report r = importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out);
        assertFalse(r.optimizerImported());
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).contains("embedding_layer/mlp/embedding_users/Adam"), r.warnings().get(0));
        try (TrainedModel b = ModelStore.load(out)) {
            ParameterSet p = b.parameters();
            assertArrayEquals(original.get("W2").data(), p.get("W2").data());
            assertArrayEquals(new float[original.get("Q_gmf").data().length], p.get("Q_gmf.adam_v").data());
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
        t.put("W1", new VariableMapping.TensorSource("h1/weights", Optional.of(new long[] {16, 32}), true));
        VariableMapping m = new VariableMapping("ncf", t, Optional.empty(), Optional.empty(), ref.optimizer(),
                Optional.empty(), Map.of());
        Path out = tmp.resolve("imported");
        importCheckpoint(prefix, m, out);
        try (TrainedModel b = ModelStore.load(out)) {
            assertArrayEquals(original.get("W1").data(), b.parameters().get("W1").data());
            assertArrayEquals(original.get("W1.adam_m").data(), b.parameters().get("W1.adam_m").data());
            assertArrayEquals(new long[] {32, 16}, b.parameters().get("W1").shape());
        }
        // the same checkpoint without the transposition: W1 viewed as [32,16] holds other numbers, and
        // nothing catches that except scores, so it must at least not be equal
        Path out2 = tmp.resolve("imported2");
        importCheckpoint(prefix, VariableMapping.builtin("reference-ncf"), out2);
        try (TrainedModel b = ModelStore.load(out2)) {
            assertFalse(java.util.Arrays.equals(original.get("W1").data(), b.parameters().get("W1").data()));
        }
    }

    @Test
    void kerasSavedModelWithPermutedUsersAgreesWithItsSignature() throws Exception {
        ParameterSet original = trained();
        Path sm = tmp.resolve("keras/model");
        int[] raw;
        try (TrainedModel a = ModelStore.load(TestModels.smallModel())) {
            raw = a.data().users().rawIds();
        }
        ImportFixtures.writeKerasSavedModel(original, sm, raw);
        Path mappingFile = tmp.resolve("keras/mapping.json");
        Files.writeString(mappingFile, ImportFixtures.kerasMappingJson(Map.of()));
        Path out = tmp.resolve("imported");
        ModelImport.Report r = ModelImport.run(new ModelImport.Request(ModelImport.SourceFormat.SAVED_MODEL, sm,
                VariableMapping.read(mappingFile), mappingFile.toString(), TestModels.smallData(), out));
        assertEquals(Optional.of("serving_default"), r.checkedSignature());
        assertEquals(ModelImport.AGREEMENT_PAIRS, r.checkedPairs());
        assertTrue(r.maxScoreDifference() <= ModelImport.SCORE_TOLERANCE);
        assertFalse(r.optimizerImported());
        try (TrainedModel b = ModelStore.load(out)) {
            for (String v : NcfNetwork.VARIABLES) {
                assertArrayEquals(original.get(v).data(), b.parameters().get(v).data(), v);
            }
        }

        // a mapping that swaps the MLP and GMF user tables passes every shape check but not the scores
        Files.writeString(mappingFile, ImportFixtures.kerasMappingJson(Map.of(
                "P_mlp", "gmf_user_embedding/embeddings", "P_gmf", "user_embedding/embeddings")));
        Path out2 = tmp.resolve("imported2");
        ModelException e = assertThrows(ModelException.class, () -> ModelImport.run(new ModelImport.Request(
                ModelImport.SourceFormat.SAVED_MODEL, sm, VariableMapping.read(mappingFile), "m",
                TestModels.smallData(), out2)));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
        assertFalse(Files.exists(out2));
    }

    @Test
    void tf2ObjectGraphNamesAreReadAndAnUnloadableSignatureIsOnlyAWarning() throws Exception {
        ParameterSet original = trained();
        Path sm = tmp.resolve("keras/model");
        int[] raw;
        try (TrainedModel a = ModelStore.load(TestModels.smallModel())) {
            raw = a.data().users().rawIds();
        }
        ImportFixtures.writeKerasSavedModel(original, sm, raw);
        // replace the variables by a checkpoint under TF2 object-graph names (the graph can then no
        // longer restore them, so the signature cannot be loaded: the check is skipped with a warning)
        Path vars = sm.resolve("variables");
        try (var files = Files.list(vars)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        ParameterSet reversedUsers = ImportFixtures.reverseUserRows(original);
        ImportFixtures.writeCheckpoint(reversedUsers, vars.resolve("variables"),
                Map.of("P_mlp", "user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "Q_mlp", "item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "P_gmf", "gmf_user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "Q_gmf", "gmf_item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE",
                        "W1", "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b1", "layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE",
                        "W2", "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b2", "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
                        "W3", "layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE",
                        "b3", "layer_with_weights-2/bias/.ATTRIBUTES/VARIABLE_VALUE"));
        Map<String, VariableMapping.TensorSource> t = new java.util.LinkedHashMap<>();
        t.put("P_mlp", VariableMapping.TensorSource.of("user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put("Q_mlp", VariableMapping.TensorSource.of("item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put("P_gmf", VariableMapping.TensorSource.of("gmf_user_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        t.put("Q_gmf", VariableMapping.TensorSource.of("gmf_item_embedding/embeddings/.ATTRIBUTES/VARIABLE_VALUE"));
        for (int k = 0; k < 3; k++) {
            t.put("W" + (k + 1), VariableMapping.TensorSource.of(
                    "layer_with_weights-" + k + "/kernel/.ATTRIBUTES/VARIABLE_VALUE"));
            t.put("b" + (k + 1), VariableMapping.TensorSource.of(
                    "layer_with_weights-" + k + "/bias/.ATTRIBUTES/VARIABLE_VALUE"));
        }
        VariableMapping m = new VariableMapping("ncf", t, Optional.of(sm.resolveSibling("user-ids.txt")),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("weight_decay", 1e-3));
        Path out = tmp.resolve("imported");
        ModelImport.Report r = ModelImport.run(new ModelImport.Request(ModelImport.SourceFormat.SAVED_MODEL, sm, m,
                "tf2", TestModels.smallData(), out));
        assertTrue(r.checkedSignature().isEmpty());
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(1).contains("score agreement not checked"), r.warnings().get(1));
        try (TrainedModel b = ModelStore.load(out)) {
            for (String v : NcfNetwork.VARIABLES) {
                assertArrayEquals(original.get(v).data(), b.parameters().get(v).data(), v);
            }
        }
    }

    @Test
    void idMapsMustBePermutationsOfTheDataIds() throws Exception {
        Path sm = tmp.resolve("keras/model");
        int[] raw;
        try (TrainedModel a = ModelStore.load(TestModels.smallModel())) {
            raw = a.data().users().rawIds();
        }
        Path ids = ImportFixtures.writeKerasSavedModel(trained(), sm, raw);
        Path mappingFile = tmp.resolve("keras/mapping.json");
        Files.writeString(mappingFile, ImportFixtures.kerasMappingJson(Map.of()));
        List<String> lines = Files.readAllLines(ids);
        Path out = tmp.resolve("imported");
        ModelImport.Request req = new ModelImport.Request(ModelImport.SourceFormat.SAVED_MODEL, sm,
                VariableMapping.read(mappingFile), "m", TestModels.smallData(), out);
        Files.write(ids, lines.subList(1, lines.size()));
        DataException short_ = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(short_.getMessage().contains("lists " + (raw.length - 1) + " users, the data has " + raw.length),
                short_.getMessage());
        List<String> dup = new java.util.ArrayList<>(lines);
        dup.set(2, dup.get(1));
        Files.write(ids, dup);
        DataException twice = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(twice.getMessage().contains("line 3: raw id " + dup.get(1) + " listed twice"), twice.getMessage());
        List<String> unknown = new java.util.ArrayList<>(lines);
        unknown.set(0, "999999");
        Files.write(ids, unknown);
        DataException notInData = assertThrows(DataException.class, () -> ModelImport.run(req));
        assertTrue(notInData.getMessage().contains("line 1: raw id 999999 is not among"), notInData.getMessage());
        assertFalse(Files.exists(out));
        // and the output may not overlap an input
        assertThrows(ConfigException.class, () -> new ModelImport.Request(ModelImport.SourceFormat.SAVED_MODEL, sm,
                VariableMapping.read(mappingFile), "m", TestModels.smallData(), TestModels.smallData().resolve("m")));
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
        assertArrayEquals(new long[] {users * 16L}, e.get("embedding_layer/gmf/embedding_users/Adam_1").shape());
        assertArrayEquals(new long[] {24}, e.get("h3/weights").shape());
        assertArrayEquals(new long[0], e.get("beta2_power").shape());
        assertEquals(org.tensorflow.proto.DataType.DT_INT32, e.get("global_step").dtype());
        assertEquals(org.tensorflow.proto.DataType.DT_FLOAT, e.get("h1/biases").dtype());
        // one flipped byte inside a block: its checksum no longer matches
        byte[] bytes = Files.readAllBytes(index);
        bytes[20] ^= 0x01;
        Files.write(index, bytes);
        ModelException damaged = assertThrows(ModelException.class, () -> CheckpointIndex.read(index));
        assertTrue(damaged.getMessage().contains("is corrupt (block checksum mismatch"), damaged.getMessage());
        // a non-float tensor named by a mapping is refused by name
        ImportFixtures.writeReferenceCheckpoint(original, prefix, true, false);
        try (CheckpointTensors t = new CheckpointTensors(prefix, "checkpoint x")) {
            ModelException notFloat = assertThrows(ModelException.class, () -> t.find("global_step"));
            assertTrue(notFloat.getMessage().contains("'global_step' is DT_INT32"), notFloat.getMessage());
            ModelException missing = assertThrows(ModelException.class, () -> t.get("h1/weight", "NCF W1"));
            assertTrue(missing.getMessage().contains("the nearest: h1/weights"), missing.getMessage());
        }
    }

    @Test
    void mappingFileErrorsNameTheField() throws Exception {
        Path f = tmp.resolve("m.json");
        Files.writeString(f, "{\"family\": \"ncf\", \"tensors\": {\"P_mlp\": {\"tensor\": \"x\", \"layout\": \"diagonal\"}}}");
        ConfigException e = assertThrows(ConfigException.class, () -> VariableMapping.read(f));
        assertTrue(e.getMessage().contains("P_mlp") && e.getMessage().contains("diagonal"), e.getMessage());
        Files.writeString(f, "{\"family\": \"ncf\", \"tensors\": {\"P_mlp\": \"x\"}}");
        VariableMapping m = VariableMapping.read(f);
        ConfigException e2 = assertThrows(ConfigException.class, () -> ModelImport.run(new ModelImport.Request(
                ModelImport.SourceFormat.CHECKPOINT, tmp.resolve("none"), m, "m.json", TestModels.smallData(),
                tmp.resolve("out"))));
        assertTrue(e2.getMessage().contains("'Q_mlp'"), e2.getMessage());
        Files.writeString(f, "{\"family\": \"rcf\", \"tensors\": {}}");
        ConfigException e3 = assertThrows(ConfigException.class, () -> ModelImport.run(new ModelImport.Request(
                ModelImport.SourceFormat.CHECKPOINT, tmp.resolve("none"), VariableMapping.read(f), "m.json",
                TestModels.smallData(), tmp.resolve("out"))));
        assertTrue(e3.getMessage().contains("importable: ncf"), e3.getMessage());
    }

    @Test
    void theReadmeExampleIsAValidMapping() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int section = readme.indexOf("## Explaining a model you trained elsewhere");
        assertTrue(section >= 0, "README section missing");
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

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
