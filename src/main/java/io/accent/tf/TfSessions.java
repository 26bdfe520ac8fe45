package io.accent.tf;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * How the project opens a TensorFlow session on a graph it built (one definition of the thread
 * setting).
 */
public final class TfSessions {

    private TfSessions() {}

    /**
     * The kind of device TensorFlow places this process's graphs on, as provenance records it:
     * {@code gpu} when TensorFlow sees a GPU (the {@code -Pgpu} build on a machine with one; graphs
     * then run there by default), else {@code cpu}.
     */
    public static String deviceKind() {
        return deviceTypes().contains("GPU") ? "gpu" : "cpu";
    }

    /**
     * The types of the devices TensorFlow sees in this process ({@code CPU}, {@code GPU}, ...),
     * asked once from an eager context's device list; empty if TensorFlow cannot say.
     */
    static List<String> deviceTypes() {
        return DeviceTypes.TYPES;
    }

    private static final class DeviceTypes {
        static final List<String> TYPES = probe();

        private static List<String> probe() {
            org.tensorflow.TensorFlow.version(); // loads the native library
            TF_Status status = tensorflow.TF_NewStatus();
            try {
                TFE_ContextOptions options = tensorflow.TFE_NewContextOptions();
                TFE_Context context = tensorflow.TFE_NewContext(options, status);
                tensorflow.TFE_DeleteContextOptions(options);
                if (tensorflow.TF_GetCode(status) != 0) {
                    return List.of();
                }
                try {
                    TF_DeviceList list = tensorflow.TFE_ContextListDevices(context, status);
                    try {
                        List<String> out = new ArrayList<>();
                        for (int k = 0; k < tensorflow.TF_DeviceListCount(list); k++) {
                            out.add(
                                    tensorflow.TF_DeviceListType(list, k, status)
                                            .getString()
                                            .toUpperCase(java.util.Locale.ROOT));
                        }
                        return List.copyOf(out);
                    } finally {
                        tensorflow.TF_DeleteDeviceList(list);
                    }
                } finally {
                    tensorflow.TFE_DeleteContext(context);
                }
            } catch (RuntimeException | LinkageError e) {
                return List.of();
            } finally {
                tensorflow.TF_DeleteStatus(status);
            }
        }
    }

    /**
     * A session on {@code graph} with {@code threads} intra-op and {@code threads} inter-op threads
     * (0 lets TensorFlow choose). The caller owns the session and closes it before the graph.
     */
    public static Session open(Graph graph, int threads) {
        return new Session(graph, config(threads).build());
    }

    /** GPUs this process's sessions see, as TensorFlow's visible device list; empty: all. */
    private static volatile String visibleGpus = "";

    /**
     * Pins the sessions this process opens from now on to the GPUs {@code list} (comma-separated
     * CUDA device ordinals, as TensorFlow's {@code gpu_options.visible_device_list}); {@code ""}
     * lets them see every GPU. For a worker process that a cluster manager assigned GPUs to (the
     * spark module's executors); TensorFlow fixes the list at the first session of a process, so
     * this is called before any session opens.
     */
    public static void pinGpus(String list) {
        visibleGpus = list.trim();
    }

    /**
     * The session settings: {@code threads} intra-op and inter-op threads, and the GPUs of {@link
     * #pinGpus} if any.
     */
    public static ConfigProto.Builder config(int threads) {
        ConfigProto.Builder b =
                ConfigProto.newBuilder()
                        .setIntraOpParallelismThreads(threads)
                        .setInterOpParallelismThreads(threads);
        String gpus = visibleGpus;
        if (!gpus.isEmpty()) {
            b.setGpuOptions(
                    org.tensorflow.proto.GPUOptions.newBuilder().setVisibleDeviceList(gpus));
        }
        return b;
    }

    /**
     * The values of {@code state} (weights, optimizer slots), fetched in one run, as {@code names}.
     */
    public static ParameterSet fetchState(
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
