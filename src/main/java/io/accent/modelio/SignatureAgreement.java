package io.accent.modelio;

import io.accent.core.ModelException;
import io.accent.model.ImportFamily;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The serving-signature check of a SavedModel import ({@link ModelImport}): the source's own
 * signature scores a seeded sample of pairs, after {@link ForeignGraphCheck} has vetted its graph
 * (unless the graph is trusted), and the imported model's scores must agree within {@link
 * ModelImport#SCORE_TOLERANCE}.
 *
 * @param signature the source signature the scores were compared with
 * @param maxDifference largest relative score difference seen
 */
record SignatureAgreement(String signature, double maxDifference) {

    /**
     * Compares the imported scores of the sample with the source SavedModel's own serving
     * signature. Empty (with a warning) when the source has no usable signature and the mapping
     * names none.
     */
    static Optional<SignatureAgreement> check(
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
                if (!(diff <= ModelImport.SCORE_TOLERANCE)) {
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
            return Optional.of(new SignatureAgreement(spec.key(), max));
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
