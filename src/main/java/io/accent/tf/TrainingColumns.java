package io.accent.tf;

import io.accent.data.Ratings;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The user, item and rating columns of a training set as graph variables, filled once through
 * placeholders after the session opens. Held as constants instead, the columns would sit in the
 * graph definition, and TensorFlow copies and re-optimizes them for every new set of fetched
 * operations: seconds and gigabytes per call signature on a 13-million-row set.
 */
public final class TrainingColumns {

    private final Variable<TInt32> users;
    private final Variable<TInt32> items;
    private final Variable<TFloat32> ratings;
    private final Placeholder<TInt32> usersIn;
    private final Placeholder<TInt32> itemsIn;
    private final Placeholder<TFloat32> ratingsIn;
    private final Op fill;

    /** Declares the variables of {@code rows} rows (named {@code data.users} and so on). */
    public TrainingColumns(Ops tf, int rows) {
        users = tf.withName("data.users").variable(Shape.of(rows), TInt32.class);
        items = tf.withName("data.items").variable(Shape.of(rows), TInt32.class);
        ratings = tf.withName("data.ratings").variable(Shape.of(rows), TFloat32.class);
        usersIn = tf.placeholder(TInt32.class);
        itemsIn = tf.placeholder(TInt32.class);
        ratingsIn = tf.placeholder(TFloat32.class);
        fill =
                tf.withName("data.fill")
                        .withControlDependencies(
                                List.of(
                                        tf.assign(users, usersIn),
                                        tf.assign(items, itemsIn),
                                        tf.assign(ratings, ratingsIn)))
                        .noOp();
    }

    public Variable<TInt32> users() {
        return users;
    }

    public Variable<TInt32> items() {
        return items;
    }

    public Variable<TFloat32> ratings() {
        return ratings;
    }

    /** Fills the variables with {@code train}'s columns (run once, before any step). */
    public void fill(Session session, Ratings train) {
        try (TInt32 u = TInt32.vectorOf(train.users());
                TInt32 i = TInt32.vectorOf(train.items());
                TFloat32 r = TFloat32.vectorOf(train.ratings())) {
            session.runner()
                    .feed(usersIn, u)
                    .feed(itemsIn, i)
                    .feed(ratingsIn, r)
                    .addTarget(fill)
                    .run();
        }
    }
}
