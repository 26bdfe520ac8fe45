/**
 * TensorFlow helpers every family uses: sessions and the device kind ({@link
 * io.accent.tf.TfSessions}), variable values by name ({@link io.accent.tf.NamedArray}, {@link
 * io.accent.tf.ParameterSet}) and loading them into a graph ({@link io.accent.tf.StateLoader}), the
 * optimizer updates of TF1 ({@link io.accent.tf.AdamStep}, {@link io.accent.tf.AdagradStep}) with
 * their slot names ({@link io.accent.tf.OptimizerSlots}), and float64 tensors ({@link
 * io.accent.tf.Float64Tensors}) for the influence graphs; for the families trained on rating rows,
 * the rows as graph variables filled once ({@link io.accent.tf.TrainingColumns}) and the scoring of
 * (user, item) pairs in bounded chunks ({@link io.accent.tf.PairScores}).
 *
 * <p>Depends on {@code io.accent.core} and {@code io.accent.data} (the rating table).
 */
package io.accent.tf;
