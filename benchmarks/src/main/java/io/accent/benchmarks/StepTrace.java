package io.accent.benchmarks;

import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;

/** What the op-level profilers share: the FULL_TRACE run options and the op type of a traced node. */
public final class StepTrace {

    /** Run options that make a session call return its step stats (per node, per device). */
    public static final RunOptions FULL = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();

    private StepTrace() {}

    /** The op type of a traced node (from its timeline label "name = Type(...)"), else its node name. */
    public static String opType(NodeExecStats n) {
        return n.getTimelineLabel().contains(" = ")
                ? n.getTimelineLabel().replaceAll("^.* = ([A-Za-z0-9_]+).*$", "$1")
                : n.getNodeName();
    }
}
