package io.accent.modelio;

import io.accent.core.ModelException;
import io.accent.model.ImportFamily;
import io.accent.tf.NamedArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The optimizer state of an import ({@link ModelImport}): the slots the mapping names for each
 * variable, placed like the variable itself ({@link ImportPlacement}), and the optimizer's scalars.
 * When the mapping names none, or the source lacks one, the import warns and the family's fresh
 * state is used instead.
 */
final class OptimizerImport {

    private OptimizerImport() {}

    /**
     * The optimizer state named by the mapping, transformed like its variables; empty (with a
     * warning) when the mapping names none or the source lacks one of its tensors.
     */
    static Optional<List<NamedArray>> read(
            CheckpointTensors ckpt,
            ImportPlacement placement,
            VariableMapping mapping,
            Map<String, NamedArray> weights,
            List<String> warnings) {
        ImportFamily family = placement.family();
        if (mapping.optimizer().isEmpty()) {
            warnings.add(
                    "the mapping names no optimizer state; retraining (evaluate) starts from a fresh optimizer"
                            + " state");
            return Optional.empty();
        }
        VariableMapping.OptimizerSource opt = mapping.optimizer().get();
        List<NamedArray> out = new ArrayList<>();
        for (ImportFamily.Role role : family.roles(placement.data())) {
            VariableMapping.TensorSource ts = mapping.tensors().get(role.name());
            for (Map.Entry<String, String> slot : new TreeMap<>(family.slotFields()).entrySet()) {
                String name = opt.nameOf(slot.getKey(), ts.tensor());
                Optional<NamedArray> src = ckpt.find(name);
                if (src.isEmpty()) {
                    warnings.add(missingOptimizer(name));
                    return Optional.empty();
                }
                NamedArray placed =
                        placement.place(src.get(), ts, role, role.name() + slot.getValue(), true);
                if (!Arrays.equals(placed.shape(), weights.get(role.name()).shape())) {
                    throw new ModelException(
                            "tensor '"
                                    + name
                                    + "' (optimizer "
                                    + slot.getKey()
                                    + " of "
                                    + role.name()
                                    + ") has shape "
                                    + Arrays.toString(placed.shape())
                                    + ", its variable "
                                    + Arrays.toString(weights.get(role.name()).shape()));
                }
                out.add(placed);
            }
        }
        for (Map.Entry<String, String> sc : new TreeMap<>(family.scalarFields()).entrySet()) {
            String name = opt.nameOf(sc.getKey(), "");
            Optional<NamedArray> src = ckpt.find(name);
            if (src.isEmpty()) {
                warnings.add(missingOptimizer(name));
                return Optional.empty();
            }
            float[] d = src.get().data();
            if (d.length != 1 || !Float.isFinite(d[0])) {
                throw new ModelException(
                        "tensor '"
                                + name
                                + "' (optimizer "
                                + sc.getKey()
                                + ") must be one finite"
                                + " number; it has shape "
                                + Arrays.toString(src.get().shape()));
            }
            out.add(new NamedArray(sc.getValue(), new long[0], new float[] {d[0]}));
        }
        return Optional.of(out);
    }

    private static String missingOptimizer(String tensor) {
        return "optimizer state not imported: the source has no tensor '"
                + tensor
                + "'; retraining (evaluate) starts from a fresh optimizer state";
    }
}
