package io.accent.modelio;

import com.google.protobuf.InvalidProtocolBufferException;
import io.accent.core.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The gate in front of the one foreign graph accent ever runs: the serving signature of a
 * SavedModel being imported, called once to check that the imported variables score as the source
 * does. TensorFlow treats a SavedModel as a program (its graph may read and write files, call
 * Python or the network), so before TensorFlow loads it, {@code saved_model.pb} is parsed here
 * (bounded in size) and every operation that loading or the signature call could execute is checked
 * against an allow-list of pure math and variable operations: the closure of the signature's
 * output, of the restore operation (which alone may use RestoreV2, TensorFlow's checkpoint reader)
 * and of the initialization operations, following function calls, control dependencies and the
 * bodies of control-flow operations. Anything else (file, network, string-format, print, Python,
 * table or custom operations) refuses the import with one line naming the operation.
 */
final class ForeignGraphCheck {

    /** Largest {@code saved_model.pb} read (bytes). */
    static final long MAX_GRAPH_BYTES = 256L << 20;

    /** The init op signature and collections that SavedModel loading runs. */
    private static final String INIT_SIGNATURE = "__saved_model_init_op";

    private static final List<String> INIT_COLLECTIONS =
            List.of("saved_model_main_op", "legacy_init_op", "table_initializer");

    /** Operations with no effect outside the session: math, shapes, variables, calls. */
    static final Set<String> PURE_OPS =
            Set.of(
                    // structure
                    "NoOp",
                    "Const",
                    "Identity",
                    "IdentityN",
                    "Placeholder",
                    "PlaceholderWithDefault",
                    "StopGradient",
                    "PreventGradient",
                    "Snapshot",
                    "EnsureShape",
                    "CheckNumerics",
                    // variables (values live in the session)
                    "VariableV2",
                    "Variable",
                    "VarHandleOp",
                    "ReadVariableOp",
                    "VarIsInitializedOp",
                    "IsVariableInitialized",
                    "Assign",
                    "AssignVariableOp",
                    "DisableCopyOnRead",
                    "VariableShape",
                    "ResourceGather",
                    // calls and control flow (their bodies are checked too)
                    "PartitionedCall",
                    "StatefulPartitionedCall",
                    "If",
                    "StatelessIf",
                    "While",
                    "StatelessWhile",
                    "Switch",
                    "Merge",
                    "Enter",
                    "Exit",
                    "NextIteration",
                    "LoopCond",
                    // element-wise math
                    "Add",
                    "AddV2",
                    "AddN",
                    "Sub",
                    "Mul",
                    "MulNoNan",
                    "Div",
                    "RealDiv",
                    "DivNoNan",
                    "FloorDiv",
                    "FloorMod",
                    "Mod",
                    "TruncateDiv",
                    "Neg",
                    "Abs",
                    "Sign",
                    "Square",
                    "Sqrt",
                    "Rsqrt",
                    "Reciprocal",
                    "Inv",
                    "Exp",
                    "Expm1",
                    "Log",
                    "Log1p",
                    "Pow",
                    "Maximum",
                    "Minimum",
                    "SquaredDifference",
                    "Floor",
                    "Ceil",
                    "Round",
                    "Rint",
                    "Sin",
                    "Cos",
                    "Tan",
                    "Erf",
                    "Erfc",
                    "ClipByValue",
                    "Relu",
                    "Relu6",
                    "Elu",
                    "Selu",
                    "LeakyRelu",
                    "Gelu",
                    "Softplus",
                    "Softsign",
                    "Sigmoid",
                    "Tanh",
                    "Softmax",
                    "LogSoftmax",
                    "BiasAdd",
                    "L2Loss",
                    // linear algebra
                    "MatMul",
                    "BatchMatMul",
                    "BatchMatMulV2",
                    "BatchMatMulV3",
                    "Einsum",
                    "MatrixBandPart",
                    "MatrixDiag",
                    "MatrixDiagV3",
                    "Diag",
                    // reductions
                    "Sum",
                    "Mean",
                    "Max",
                    "Min",
                    "Prod",
                    "ArgMax",
                    "ArgMin",
                    "All",
                    "Any",
                    "Cumsum",
                    "Cumprod",
                    "SegmentSum",
                    "UnsortedSegmentSum",
                    "SparseSegmentSum",
                    "SparseSegmentMean",
                    "SparseSegmentSqrtN",
                    "TopKV2",
                    // comparison and logic
                    "Equal",
                    "NotEqual",
                    "Less",
                    "LessEqual",
                    "Greater",
                    "GreaterEqual",
                    "LogicalAnd",
                    "LogicalOr",
                    "LogicalNot",
                    "Select",
                    "SelectV2",
                    "Where",
                    "IsNan",
                    "IsFinite",
                    "IsInf",
                    "LowerBound",
                    "UpperBound",
                    "Bucketize",
                    // shapes, indexing, types
                    "Reshape",
                    "Shape",
                    "ShapeN",
                    "Size",
                    "Rank",
                    "Squeeze",
                    "ExpandDims",
                    "Transpose",
                    "ConcatV2",
                    "Concat",
                    "ConcatOffset",
                    "Pack",
                    "Unpack",
                    "Split",
                    "SplitV",
                    "Slice",
                    "StridedSlice",
                    "Tile",
                    "Fill",
                    "ZerosLike",
                    "OnesLike",
                    "Range",
                    "Cast",
                    "Gather",
                    "GatherV2",
                    "GatherNd",
                    "BroadcastTo",
                    "BroadcastArgs",
                    "BroadcastGradientArgs",
                    "Pad",
                    "PadV2",
                    "OneHot",
                    "Reverse",
                    "ReverseV2",
                    "Unique",
                    "InvertPermutation",
                    "DynamicPartition",
                    "DynamicStitch",
                    "ParallelDynamicStitch",
                    "SparseToDense",
                    "ScatterNd",
                    "TensorScatterUpdate",
                    "TensorScatterAdd");

    /** What the restore operation may use beyond {@link #PURE_OPS}: the checkpoint reader. */
    static final Set<String> RESTORE_OPS = Set.of("RestoreV2");

    private ForeignGraphCheck() {}

    /**
     * Parses {@code dir/saved_model.pb} and checks what loading it with tag {@code tag} and calling
     * {@code signature} would run. A missing, oversized or unparsable file, a missing tag, or an
     * operation off the allow-list is a {@link ModelException} (one line naming the file and, for
     * an operation, its type and node).
     */
    static void check(Path dir, String tag, String signature, String label) {
        MetaGraphDef meta = metaGraph(dir, tag, label);
        Graph g = new Graph(meta);
        Set<String> sigRoots = new LinkedHashSet<>();
        Optional.ofNullable(meta.getSignatureDefMap().get(signature))
                .ifPresent(s -> s.getOutputsMap().values().forEach(t -> addTensor(sigRoots, t)));
        Set<String> initRoots = new LinkedHashSet<>();
        SignatureDef init = meta.getSignatureDefMap().get(INIT_SIGNATURE);
        if (init != null) {
            init.getOutputsMap().values().forEach(t -> addTensor(initRoots, t));
        }
        for (String c : INIT_COLLECTIONS) {
            CollectionDef cd = meta.getCollectionDefMap().get(c);
            if (cd != null && cd.hasNodeList()) {
                cd.getNodeList().getValueList().forEach(n -> initRoots.add(nodeName(n)));
            }
        }
        sigRoots.addAll(initRoots);
        g.require(sigRoots, PURE_OPS, label);
        Set<String> restoreRoots = new LinkedHashSet<>();
        if (meta.hasSaverDef()) {
            if (!meta.getSaverDef().getRestoreOpName().isEmpty()) {
                restoreRoots.add(nodeName(meta.getSaverDef().getRestoreOpName()));
            }
        }
        Set<String> restoreOps = new HashSet<>(PURE_OPS);
        restoreOps.addAll(RESTORE_OPS);
        g.require(restoreRoots, restoreOps, label);
    }

    /** The meta graph tagged {@code tag} of the bounded, parsed {@code saved_model.pb}. */
    private static MetaGraphDef metaGraph(Path dir, String tag, String label) {
        Path pb = dir.resolve("saved_model.pb");
        if (!Files.isRegularFile(pb, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(pb)) {
            throw new ModelException(label + ": no SavedModel here (saved_model.pb missing)");
        }
        byte[] bytes;
        try {
            long size = Files.size(pb);
            if (size > MAX_GRAPH_BYTES) {
                throw new ModelException(
                        label
                                + ": saved_model.pb is "
                                + size
                                + " bytes, over the "
                                + (MAX_GRAPH_BYTES >> 20)
                                + " MiB accent reads");
            }
            bytes = Files.readAllBytes(pb);
        } catch (IOException e) {
            throw new ModelException(
                    label + ": cannot read saved_model.pb (" + e.getClass().getSimpleName() + ")",
                    e);
        }
        SavedModel sm;
        try {
            sm = SavedModel.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException(
                    label + ": saved_model.pb is not a SavedModel (it does not parse)", e);
        }
        for (MetaGraphDef m : sm.getMetaGraphsList()) {
            if (m.getMetaInfoDef().getTagsList().contains(tag)) {
                return m;
            }
        }
        throw new ModelException(
                label
                        + ": saved_model.pb has no graph tagged '"
                        + tag
                        + "' ("
                        + sm.getMetaGraphsCount()
                        + " graphs)");
    }

    private static void addTensor(Set<String> roots, TensorInfo t) {
        if (t.hasName()) {
            roots.add(nodeName(t.getName()));
        }
    }

    /** "^name", "name:0", "name:out:0" (inside functions) to the node's name. */
    private static String nodeName(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int c = s.indexOf(':');
        return c < 0 ? s : s.substring(0, c);
    }

    /** The nodes and functions of one meta graph, for closures. */
    private static final class Graph {
        private final Map<String, NodeDef> nodes = new HashMap<>();
        private final Map<String, FunctionDef> functions = new HashMap<>();

        Graph(MetaGraphDef meta) {
            for (NodeDef n : meta.getGraphDef().getNodeList()) {
                nodes.put(n.getName(), n);
            }
            for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
                functions.put(f.getSignature().getName(), f);
            }
        }

        /**
         * Every node that running {@code roots} can execute uses an op in {@code allowed}: the
         * graph nodes the roots depend on (data and control inputs), and every node of every
         * function they call, directly or through other functions.
         */
        void require(Set<String> roots, Set<String> allowed, String label) {
            Deque<String> todo = new ArrayDeque<>(roots);
            Set<String> seen = new HashSet<>();
            Deque<String> fnTodo = new ArrayDeque<>();
            Set<String> fnSeen = new HashSet<>();
            while (!todo.isEmpty()) {
                String name = todo.pop();
                if (!seen.add(name)) {
                    continue;
                }
                NodeDef n = nodes.get(name);
                if (n == null) {
                    continue; // TensorFlow itself refuses a dangling reference
                }
                visit(n, allowed, label, "node", fnTodo);
                for (String in : n.getInputList()) {
                    todo.push(nodeName(in));
                }
            }
            while (!fnTodo.isEmpty()) {
                String fn = fnTodo.pop();
                if (!fnSeen.add(fn)) {
                    continue;
                }
                FunctionDef f = functions.get(fn);
                if (f == null) {
                    continue;
                }
                for (NodeDef n : f.getNodeDefList()) {
                    visit(n, allowed, label, "node '" + fn + "/", fnTodo);
                }
            }
        }

        private void visit(
                NodeDef n, Set<String> allowed, String label, String where, Deque<String> fns) {
            String op = n.getOp();
            if (functions.containsKey(op)) {
                fns.push(op); // a direct call of a library function
            } else if (!allowed.contains(op)) {
                String node =
                        where.equals("node")
                                ? "node '" + n.getName() + "'"
                                : where + n.getName() + "'";
                throw new ModelException(
                        label
                                + ": its graph would run operation '"
                                + op
                                + "' ("
                                + node
                                + "), which is not a pure math operation; accent does not run"
                                + " such graphs (--trust-graph runs it anyway)");
            }
            for (AttrValue a : n.getAttrMap().values()) {
                if (a.hasFunc()) {
                    fns.push(a.getFunc().getName());
                }
                if (a.hasList()) {
                    a.getList().getFuncList().forEach(f -> fns.push(f.getName()));
                }
            }
        }
    }
}
