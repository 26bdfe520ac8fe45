package io.accent.model;

import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/** How the project opens a TensorFlow session on a graph it built (one definition of the thread setting). */
public final class TfSessions {

    private TfSessions() {}

    /**
     * A session on {@code graph} with {@code threads} intra-op and {@code threads} inter-op threads
     * (0 lets TensorFlow choose). The caller owns the session and closes it before the graph.
     */
    public static Session open(Graph graph, int threads) {
        ConfigProto proto = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(threads)
                .build();
        return new Session(graph, proto);
    }
}
