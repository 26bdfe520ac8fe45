package io.accent.modelio;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ModelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/** The allow-list follows what loading and the signature call could run, and nothing else. */
class ForeignGraphCheckTest {

    @TempDir Path tmp;

    private static NodeDef node(String name, String op, String... inputs) {
        return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
    }

    private static NodeDef call(String name, String fn, String... inputs) {
        return node(name, "StatefulPartitionedCall", inputs).toBuilder()
                .putAttr(
                        "f",
                        AttrValue.newBuilder()
                                .setFunc(NameAttrList.newBuilder().setName(fn))
                                .build())
                .build();
    }

    private Path write(List<NodeDef> nodes, List<FunctionDef> fns, String restoreOp)
            throws Exception {
        GraphDef g =
                GraphDef.newBuilder()
                        .addAllNode(nodes)
                        .setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(fns))
                        .build();
        MetaGraphDef.Builder m =
                MetaGraphDef.newBuilder()
                        .setGraphDef(g)
                        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                        .putSignatureDef(
                                "serving_default",
                                SignatureDef.newBuilder()
                                        .putInputs(
                                                "user",
                                                TensorInfo.newBuilder().setName("user:0").build())
                                        .putOutputs(
                                                "score",
                                                TensorInfo.newBuilder().setName("score:0").build())
                                        .build());
        if (restoreOp != null) {
            m.setSaverDef(SaverDef.newBuilder().setRestoreOpName(restoreOp));
        }
        Path dir = Files.createDirectories(tmp.resolve("sm" + System.nanoTime()));
        Files.write(
                dir.resolve("saved_model.pb"),
                SavedModel.newBuilder().addMetaGraphs(m).build().toByteArray());
        return dir;
    }

    private static FunctionDef fn(String name, NodeDef... body) {
        return FunctionDef.newBuilder()
                .setSignature(OpDef.newBuilder().setName(name))
                .addAllNodeDef(List.of(body))
                .build();
    }

    private static String refusal(Path dir) {
        return assertThrows(
                        ModelException.class,
                        () -> ForeignGraphCheck.check(dir, "serve", "serving_default", "src"))
                .getMessage();
    }

    @Test
    void aPureGraphPasses() throws Exception {
        Path d =
                write(
                        List.of(
                                node("user", "Placeholder"),
                                node("w", "VariableV2"),
                                node("r", "Identity", "w"),
                                node("score", "MatMul", "user", "r:0"),
                                node("unused_save", "SaveV2"), // never run: not in any closure
                                node("restore", "RestoreV2")),
                        List.of(),
                        "restore");
        assertDoesNotThrow(() -> ForeignGraphCheck.check(d, "serve", "serving_default", "src"));
    }

    @Test
    void aControlDependencyOfTheScoreIsFollowed() throws Exception {
        Path d =
                write(
                        List.of(
                                node("user", "Placeholder"),
                                node("w", "WriteFile"),
                                node("score", "Identity", "user", "^w")),
                        List.of(),
                        null);
        String m = refusal(d);
        assertTrue(m.contains("operation 'WriteFile' (node 'w')"), m);
    }

    @Test
    void functionBodiesAreFollowedThroughNestedCalls() throws Exception {
        Path d =
                write(
                        List.of(node("user", "Placeholder"), call("score", "outer", "user")),
                        List.of(
                                fn("outer", node("x", "Identity"), call("c", "inner")),
                                fn("inner", node("py", "EagerPyFunc"))),
                        null);
        String m = refusal(d);
        assertTrue(m.contains("operation 'EagerPyFunc' (node 'inner/py')"), m);
    }

    @Test
    void restoreV2IsAllowedOnlyForTheRestoreOperation() throws Exception {
        Path ok =
                write(
                        List.of(
                                node("user", "Placeholder"), node("score", "Identity", "user"),
                                node("rv", "RestoreV2"), node("restore", "Assign", "rv")),
                        List.of(),
                        "restore");
        assertDoesNotThrow(() -> ForeignGraphCheck.check(ok, "serve", "serving_default", "src"));
        Path bad =
                write(
                        List.of(
                                node("user", "Placeholder"),
                                node("rv", "RestoreV2"),
                                node("score", "Identity", "rv")),
                        List.of(),
                        null);
        assertTrue(refusal(bad).contains("'RestoreV2'"));
        Path badRestore =
                write(
                        List.of(
                                node("user", "Placeholder"), node("score", "Identity", "user"),
                                node("w", "WriteFile"), node("restore", "NoOp", "^w")),
                        List.of(),
                        "restore");
        assertTrue(refusal(badRestore).contains("'WriteFile'"));
    }

    @Test
    void aGraphWithoutTheServeTagIsRefused() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("empty"));
        Files.write(d.resolve("saved_model.pb"), SavedModel.newBuilder().build().toByteArray());
        assertTrue(refusal(d).contains("no graph tagged 'serve'"));
    }
}
