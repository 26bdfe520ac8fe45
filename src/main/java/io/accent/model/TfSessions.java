package io.accent.model;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * How the project opens a TensorFlow session on a graph it built (one definition of the thread
 * setting).
 */
public final class TfSessions {

    private TfSessions() {}

    /**
     * A session on {@code graph} with {@code threads} intra-op and {@code threads} inter-op threads
     * (0 lets TensorFlow choose). The caller owns the session and closes it before the graph.
     */
    public static Session open(Graph graph, int threads) {
        ConfigProto proto =
                ConfigProto.newBuilder()
                        .setIntraOpParallelismThreads(threads)
                        .setInterOpParallelismThreads(threads)
                        .build();
        return new Session(graph, proto);
    }

    /**
     * The values of {@code state} (weights, optimizer slots), fetched in one run, as {@code names}.
     */
    static ParameterSet fetchState(
            Session session, List<String> names, List<? extends Operand<TFloat32>> state) {
        var runner = session.runner();
        state.forEach(runner::fetch);
        List<NamedArray> out = new ArrayList<>();
        try (Result r = runner.run()) {
            for (int k = 0; k < state.size(); k++) {
                out.add(NamedArray.copyOf(names.get(k), (TFloat32) r.get(k)));
            }
        }
        return new ParameterSet(out);
    }
}
