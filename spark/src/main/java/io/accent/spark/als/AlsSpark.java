package io.accent.spark.als;

import io.accent.data.IdMap;
import io.accent.data.Ratings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Spark side of the ALS family: a session (the running one, or a local one owned here), the
 * training ratings as a DataFrame of raw ids, ALS itself, and factors collected into maps.
 */
final class AlsSpark implements AutoCloseable {

    /** Column names of the ratings DataFrame (ALS's defaults). */
    static final String USER = "user";

    static final String ITEM = "item";
    static final String RATING = "rating";

    private final SparkSession session;
    private final boolean owned;

    private AlsSpark(SparkSession session, boolean owned) {
        this.session = session;
        this.owned = owned;
    }

    /**
     * The running Spark session, or a local one with {@code threads} threads (stopped by {@link
     * #close()}).
     */
    static AlsSpark open(int threads) {
        scala.Option<SparkSession> active = SparkSession.getActiveSession();
        if (active.isDefined()) {
            return new AlsSpark(active.get(), false);
        }
        scala.Option<SparkSession> dflt = SparkSession.getDefaultSession();
        if (dflt.isDefined()) {
            return new AlsSpark(dflt.get(), false);
        }
        SparkSession s =
                SparkSession.builder()
                        .appName("accent-als")
                        .master("local[" + threads + "]")
                        .config("spark.ui.enabled", "false")
                        .config("spark.ui.showConsoleProgress", "false")
                        .config("spark.sql.shuffle.partitions", String.valueOf(2 * threads))
                        .config("spark.driver.host", "127.0.0.1")
                        .config("spark.driver.bindAddress", "127.0.0.1")
                        .getOrCreate();
        return new AlsSpark(s, true);
    }

    SparkSession session() {
        return session;
    }

    /**
     * The training ratings by raw ids (the ids of the prepared data's users.tsv and ncf-items.tsv),
     * without {@code user}'s ratings of {@code removed} (dense indices).
     */
    Dataset<Row> ratings(Ratings train, IdMap users, IdMap items, int user, Set<Integer> removed) {
        List<Row> rows = new ArrayList<>(train.size());
        for (int r = 0; r < train.size(); r++) {
            if (train.user(r) == user && removed.contains(train.item(r))) {
                continue;
            }
            rows.add(
                    RowFactory.create(
                            users.raw(train.user(r)), items.raw(train.item(r)), train.rating(r)));
        }
        StructType schema =
                new StructType()
                        .add(USER, DataTypes.IntegerType, false)
                        .add(ITEM, DataTypes.IntegerType, false)
                        .add(RATING, DataTypes.FloatType, false);
        return session.createDataFrame(rows, schema);
    }

    /** ALS for explicit feedback with {@code c}'s settings on the columns of {@link #ratings}. */
    static ALS als(AlsConfig c) {
        return new ALS()
                .setUserCol(USER)
                .setItemCol(ITEM)
                .setRatingCol(RATING)
                .setImplicitPrefs(false)
                .setNonnegative(false)
                .setRank(c.rank())
                .setRegParam(c.regParam())
                .setMaxIter(c.maxIter())
                .setSeed(c.seed())
                .setNumUserBlocks(c.userBlocks())
                .setNumItemBlocks(c.itemBlocks());
    }

    /** The factors of {@code factors} ({@code userFactors} or {@code itemFactors}) by raw id. */
    static Map<Integer, float[]> collect(Dataset<Row> factors) {
        Map<Integer, float[]> out = new HashMap<>();
        for (Row r : factors.collectAsList()) {
            List<Float> f = r.getList(1);
            float[] v = new float[f.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = f.get(k);
            }
            out.put(r.getInt(0), v);
        }
        return out;
    }

    /** The user factors of {@code m} by raw user id. */
    static Map<Integer, float[]> users(ALSModel m) {
        return collect(m.userFactors());
    }

    /** The item factors of {@code m} by raw item id. */
    static Map<Integer, float[]> items(ALSModel m) {
        return collect(m.itemFactors());
    }

    @Override
    public void close() {
        if (owned) {
            session.stop();
        }
    }
}
