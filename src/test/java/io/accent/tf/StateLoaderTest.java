package io.accent.tf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accent.core.ModelException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The state loading shared by the NCF and RCF training graphs: what is assigned, and what is
 * refused.
 */
class StateLoaderTest {

    @Test
    void assignsGivenValuesAndFreshSlotsAndRefusesMissingWeightsAndWrongShapes() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Variable<TFloat32> w = tf.withName("w").variable(Shape.of(2, 3), TFloat32.class);
            Variable<TFloat32> slot =
                    tf.withName("w.slot").variable(Shape.of(2, 3), TFloat32.class);
            StateLoader loader = new StateLoader(tf, List.of("w", "w.slot"), List.of(w, slot), 1);
            try (Session s = TfSessions.open(g, 1)) {
                float[] weights = {1, 2, 3, 4, 5, 6};
                loader.load(
                        s,
                        new ParameterSet(List.of(new NamedArray("w", new long[] {2, 3}, weights))),
                        (n, shape) -> new float[] {n.length(), shape[0], shape[1], -1, -2, -3});
                ParameterSet got =
                        TfSessions.fetchState(s, List.of("w", "w.slot"), List.of(w, slot));
                assertArrayEquals(weights, got.get("w").data());
                assertArrayEquals(new float[] {6, 2, 3, -1, -2, -3}, got.get("w.slot").data());

                ModelException missing =
                        assertThrows(
                                ModelException.class,
                                () ->
                                        loader.load(
                                                s,
                                                new ParameterSet(
                                                        List.of(
                                                                new NamedArray(
                                                                        "w.slot",
                                                                        new long[] {2, 3},
                                                                        weights))),
                                                (n, shape) -> new float[6]));
                assertEquals("model state lacks variable w", missing.getMessage());

                ModelException shape =
                        assertThrows(
                                ModelException.class,
                                () ->
                                        loader.load(
                                                s,
                                                new ParameterSet(
                                                        List.of(
                                                                new NamedArray(
                                                                        "w",
                                                                        new long[] {3, 2},
                                                                        weights))),
                                                (n, sh) -> new float[6]));
                assertEquals(
                        "variable w has shape [3, 2], the graph needs [2, 3]", shape.getMessage());
            }
        }
    }
}
