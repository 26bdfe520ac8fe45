package io.accent.api;

import io.accent.core.DataException;
import io.accent.core.Progress;
import io.accent.explain.CounterfactualExplanation;
import io.accent.explain.Explainer;
import io.accent.explain.Explainers;
import io.accent.explain.ExplanationRun;
import io.accent.family.Families;
import io.accent.family.Family;
import io.accent.family.OptionValues;
import io.accent.influence.InfluenceEngine;
import io.accent.influence.InfluenceResult;
import io.accent.influence.InfluenceSetup;
import io.accent.influence.SolveResult;
import io.accent.influence.TargetSolve;
import io.accent.influence.UserInfluence;
import io.accent.model.ScoredItem;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * An open model directory: recommendations, scores, influences and counterfactual explanations for
 * its users, all in raw ids (the ids of the data set's files, as on the command line). Obtained
 * from {@link Accent#open(Path)}.
 *
 * <p>Results equal those of the command line with its default options: {@link #recommend} those of
 * {@code accent recommend}, {@link #influence} those of {@code accent influence}, {@link #explain}
 * those of {@code accent explain} (CG solver with the direct fallback for NCF and MF, exact
 * Hessians for RCF, two TensorFlow threads).
 *
 * <p><b>Thread safety.</b> A handle may be shared by any number of threads. Every call that uses
 * the model holds one fair lock for its duration, so calls run one at a time in arrival order and
 * each gives exactly the result it would give alone; the TensorFlow sessions behind the handle are
 * never used by two threads at once. Threads sharing a handle therefore do not compute in parallel
 * (TensorFlow already uses several cores for one call); for parallel work, open one handle per
 * thread. {@link #close()} waits for the call in progress; calls after it throw {@link
 * IllegalStateException}.
 *
 * <p><b>Cost.</b> Opening loads the model once. {@link #influence} builds its influence engine on
 * first use and keeps it; {@link #explain} builds one per call, as one {@code accent explain} run
 * does (a few hundred milliseconds for the embedded models, small beside the influence computation
 * itself).
 *
 * <p>Errors are the library's: an unknown user or item id is a {@link DataException} ({@code
 * unknown user 99999: not among the 452 users of ...}), an invalid algorithm name or k an {@link
 * io.accent.core.ConfigException}.
 */
public final class AccentModel implements AutoCloseable {

    /** The algorithm {@link #explain(int)} uses, as {@code accent explain} by default. */
    public static final String DEFAULT_ALGORITHM = "accent";

    /** The k values {@link #explain(int)} uses, as {@code accent explain} by default. */
    private static final int[] DEFAULT_KS = {5, 10, 20};

    /** The TensorFlow threads of the command line's default {@code --threads}. */
    static final int DEFAULT_THREADS = 2;

    /** Users per influence batch, {@code accent explain}'s default {@code --batch}. */
    private static final int EXPLAIN_BATCH = 64;

    private final ReentrantLock lock = new ReentrantLock(true);
    private final TrainedModel model;
    private final Path dir;
    private final Family family;
    // guarded by lock
    private InfluenceEngine influenceEngine;
    private boolean closed;

    private final InfluenceSetup setup;
    private final int threads;

    private AccentModel(TrainedModel model, Path dir, InfluenceSetup setup, int threads) {
        this.model = model;
        this.dir = dir;
        this.family = Families.of(model);
        this.setup = setup;
        this.threads = threads;
    }

    static AccentModel open(Path modelDir, Map<String, String> influenceOptions, int threads) {
        if (threads < 1) {
            throw new io.accent.core.ConfigException("threads must be positive, got " + threads);
        }
        // the options are the family's, checked before the model is loaded
        Family family = Families.of(ModelStore.readMetadata(modelDir));
        java.util.Set<String> known = new java.util.TreeSet<>();
        family.influenceOptions().forEach(o -> known.add(o.name()));
        for (String name : influenceOptions.keySet()) {
            if (!known.contains(name)) {
                throw new io.accent.core.ConfigException(
                        "option "
                                + name
                                + " does not apply to "
                                + family.displayName()
                                + " models (their influence options: "
                                + (known.isEmpty() ? "none" : String.join(", ", known))
                                + ")");
            }
        }
        OptionValues values = new OptionValues(influenceOptions);
        InfluenceSetup setup =
                InfluenceSetup.withSettings(
                        family.influence(values, threads),
                        values.canonical(family.influenceOptions()));
        return new AccentModel(ModelStore.load(modelDir), modelDir, setup, threads);
    }

    /**
     * The model directory this handle was opened from.
     *
     * @return the path given to {@link Accent#open(Path)}
     */
    public Path directory() {
        return dir;
    }

    /**
     * The model family.
     *
     * @return the family name of {@code model.json} ({@code ncf}, {@code rcf}, {@code mf})
     */
    public String family() {
        return model.metadata().family();
    }

    /**
     * Name of the data set the model was trained on.
     *
     * @return the name recorded in the model directory, e.g. {@code synthetic}
     */
    public String dataName() {
        return model.dataName();
    }

    /**
     * The users the model knows.
     *
     * @return their raw ids, in the model's order (a copy)
     */
    public int[] users() {
        return model.users().rawIds();
    }

    /**
     * The items the model knows.
     *
     * @return their raw ids, in the model's order (a copy)
     */
    public int[] items() {
        return model.items().rawIds();
    }

    /**
     * Whether the model knows the user {@code rawUser}.
     *
     * @param rawUser a raw user id
     * @return true if the model has a row for the user
     */
    public boolean knowsUser(int rawUser) {
        return model.users().index(rawUser).isPresent();
    }

    /**
     * Whether the model knows the item {@code rawItem}.
     *
     * @param rawItem a raw item id
     * @return true if the model has a row for the item
     */
    public boolean knowsItem(int rawItem) {
        return model.items().index(rawItem).isPresent();
    }

    /**
     * The title of item {@code rawItem}.
     *
     * @param rawItem the item's raw id
     * @return the title from the model's data
     * @throws DataException if the item is unknown
     */
    public String title(int rawItem) {
        return locked(() -> model.title(model.items().require(rawItem, "item")));
    }

    /**
     * The top-{@code k} items for {@code rawUser}, excluding the user's training items (NCF and MF:
     * every rated training item; RCF: the training positives), by score descending with ties to the
     * lower item index; as {@code accent recommend --user rawUser --k k}.
     *
     * @param rawUser the user's raw id
     * @param k the number of items
     * @return at most {@code k} items, ranked from 1
     * @throws DataException if the user is unknown
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public List<Recommendation> recommend(int rawUser, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        return locked(
                () -> {
                    int u = model.users().require(rawUser, "user");
                    List<ScoredItem> top = model.recommend(u, k);
                    List<Recommendation> out = new ArrayList<>(top.size());
                    for (ScoredItem s : top) {
                        out.add(
                                new Recommendation(
                                        model.items().raw(s.item()),
                                        model.title(s.item()),
                                        s.score(),
                                        out.size() + 1));
                    }
                    return List.copyOf(out);
                });
    }

    /**
     * How many of {@code rawUser}'s training actions {@link #recommend} excludes (NCF and MF: rated
     * items; RCF: training positives).
     *
     * @param rawUser the user's raw id
     * @return the number of the user's training items
     * @throws DataException if the user is unknown
     */
    public int trainingItemCount(int rawUser) {
        return locked(
                () -> model.trainingItems(model.users().require(rawUser, "user")).cardinality());
    }

    /**
     * The model's predicted score for {@code rawUser} and {@code rawItem}.
     *
     * @param rawUser the user's raw id
     * @param rawItem the item's raw id
     * @return the score (NCF and MF: a predicted rating; RCF: a ranking score)
     * @throws DataException if the user or the item is unknown
     */
    public float score(int rawUser, int rawItem) {
        return score(new int[] {rawUser}, new int[] {rawItem})[0];
    }

    /**
     * The predicted scores of the pairs ({@code rawUsers[b]}, {@code rawItems[b]}), in one model
     * call.
     *
     * @param rawUsers users' raw ids
     * @param rawItems items' raw ids, as many as {@code rawUsers}
     * @return one score per pair, in order
     * @throws DataException if a user or an item is unknown
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public float[] score(int[] rawUsers, int[] rawItems) {
        if (rawUsers.length != rawItems.length) {
            throw new IllegalArgumentException(
                    rawUsers.length + " users for " + rawItems.length + " items");
        }
        return locked(
                () -> {
                    int[] users = new int[rawUsers.length];
                    int[] items = new int[rawItems.length];
                    for (int b = 0; b < users.length; b++) {
                        users[b] = model.users().require(rawUsers[b], "user");
                        items[b] = model.items().require(rawItems[b], "item");
                    }
                    return users.length == 0 ? new float[0] : model.score(users, items);
                });
    }

    /**
     * The influences of {@code rawUser}'s training actions on the user's top-20 items, as {@code
     * accent influence --user rawUser}.
     *
     * @param rawUser the user's raw id
     * @return the influence matrix over the user's training actions and top-20, with the solves'
     *     diagnostics
     * @throws DataException if the user is unknown
     */
    public Influence influence(int rawUser) {
        return influence(rawUser, new int[0]);
    }

    /**
     * The influences of {@code rawUser}'s training actions on chosen targets, as {@code accent
     * influence --user rawUser --items ...}; with no targets, on the user's top-K.
     *
     * @param rawUser the user's raw id
     * @param rawTargets raw ids of target items outside the user's training actions, none twice;
     *     none: the user's top-K
     * @return the influence matrix over the user's training actions and the targets, with the
     *     engine's diagnostics
     * @throws DataException if the user or a target is unknown, or a target is a training item
     * @throws IllegalArgumentException if a target is listed twice
     */
    public Influence influence(int rawUser, int... rawTargets) {
        if (java.util.Arrays.stream(rawTargets).distinct().count() != rawTargets.length) {
            throw new IllegalArgumentException("a target is listed twice");
        }
        int[] raw = rawTargets.clone();
        return locked(
                () -> {
                    int u = model.users().require(rawUser, "user");
                    int[] targets;
                    double[] scores;
                    if (raw.length == 0) {
                        // the user's top-K with their scores
                        List<ScoredItem> top = model.recommend(u, setup.capabilities().topK());
                        targets = top.stream().mapToInt(ScoredItem::item).toArray();
                        scores = top.stream().mapToDouble(ScoredItem::score).toArray();
                    } else {
                        targets = new int[raw.length];
                        for (int k = 0; k < raw.length; k++) {
                            targets[k] = model.items().require(raw[k], "item");
                        }
                        int[] users = new int[targets.length];
                        java.util.Arrays.fill(users, u);
                        float[] s = model.score(users, targets);
                        scores = new double[s.length];
                        for (int k = 0; k < s.length; k++) {
                            scores[k] = s[k];
                        }
                    }
                    InfluenceResult r =
                            engine().computeTargets(
                                            new int[] {u},
                                            new int[][] {targets},
                                            new double[][] {scores},
                                            Progress.NONE)
                                    .get(0);
                    return view(r);
                });
    }

    /**
     * {@link #explain(int, Set, int...) explain(rawUser, Set.of("accent"), 5, 10, 20)}, as {@code
     * accent explain --users rawUser}.
     *
     * @param rawUser the user's raw id
     * @return the explanations by algorithm {@code accent} for k = 5, 10 and 20
     */
    public UserExplanations explain(int rawUser) {
        return explain(rawUser, Set.of(DEFAULT_ALGORITHM), DEFAULT_KS);
    }

    /**
     * Counterfactual explanations of {@code rawUser}'s recommendation by each algorithm for each k,
     * from one influence computation; as {@code accent explain --users rawUser --algo ... --k ...}.
     *
     * @param rawUser the user's raw id
     * @param algorithms explainer names: {@code accent}, {@code fia}, {@code pure-fia}, {@code
     *     accent-ova}, and for RCF models {@code pure-att} and {@code attention}; the result
     *     follows the set's iteration order
     * @param ks the lengths of the top list considered, each in 2..20, none twice; the result
     *     follows their order
     * @return per algorithm and k an explanation or none, with the influences they come from
     * @throws DataException if the user is unknown or has no training actions to remove
     * @throws io.accent.core.ConfigException if an algorithm is unknown or needs the other model
     *     family, if no algorithm is given, or if a k is invalid
     */
    public UserExplanations explain(int rawUser, Set<String> algorithms, int... ks) {
        List<Explainer> explainers = new ArrayList<>();
        for (String a : new LinkedHashSet<>(algorithms)) {
            explainers.add(Explainers.byName(a));
        }
        int[] kList = ks.clone();
        return locked(
                () -> {
                    int u = model.users().require(rawUser, "user");
                    // the configuration of ExplainCommand with its default options
                    List<ExplanationRun.UserResult> results = new ArrayList<>(1);
                    ExplanationRun.Summary s =
                            ExplanationRun.run(
                                    model,
                                    setup,
                                    new ExplanationRun.Config(
                                            new int[] {u},
                                            kList,
                                            explainers,
                                            Optional.empty(),
                                            EXPLAIN_BATCH),
                                    Progress.NONE,
                                    results::add);
                    if (!s.withoutRatings().isEmpty() || results.isEmpty()) {
                        throw new DataException(
                                "user " + rawUser + " has no training actions; nothing to explain");
                    }
                    return view(rawUser, results.get(0));
                });
    }

    /**
     * Closes the model and its influence engine, after the call in progress; idempotent. Later
     * calls throw {@link IllegalStateException}.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (influenceEngine != null) {
                    influenceEngine.close();
                }
            } finally {
                model.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The influence engine, opened on first use; call under the lock. */
    private InfluenceEngine engine() {
        if (influenceEngine == null) {
            influenceEngine = setup.open(model);
        }
        return influenceEngine;
    }

    /** {@code task} under the lock, on an open handle. */
    private <T> T locked(Supplier<T> task) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model " + dir + " is closed");
            }
            return task.get();
        } finally {
            lock.unlock();
        }
    }

    private Influence view(InfluenceResult r) {
        UserInfluence in = r.influence();
        List<Integer> targets = new ArrayList<>(in.topK());
        List<Double> scores = new ArrayList<>(in.topK());
        for (int k = 0; k < in.topK(); k++) {
            targets.add(model.items().raw(in.topItem(k)));
            scores.add(in.score(k));
        }
        List<Integer> actions = new ArrayList<>(in.actionCount());
        for (int z = 0; z < in.actionCount(); z++) {
            actions.add(model.items().raw(in.action(z)));
        }
        List<Influence.Solve> solves = new ArrayList<>(r.solves().size());
        for (TargetSolve t : r.solves()) {
            solves.add(
                    new Influence.Solve(
                            model.items().raw(t.target()),
                            t.n(),
                            block(t.user()),
                            block(t.item())));
        }
        List<Float> ratings = new ArrayList<>();
        engine().actionRatings(in.user())
                .ifPresent(
                        rs -> {
                            for (float x : rs) {
                                ratings.add(x);
                            }
                        });
        com.fasterxml.jackson.databind.node.ObjectNode described =
                io.accent.core.Json.mapper().createObjectNode();
        engine().describe(described);
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        described
                .fields()
                .forEachRemaining(
                        e ->
                                settings.put(
                                        e.getKey(),
                                        io.accent.core.Json.mapper()
                                                .convertValue(e.getValue(), Object.class)));
        return new Influence(
                model.users().raw(in.user()),
                targets,
                scores,
                actions,
                in.influence(),
                solves,
                ratings,
                engine().diagnostics(r),
                settings);
    }

    private static Influence.Block block(SolveResult s) {
        return new Influence.Block(s.method(), s.iterations(), s.residualNorm(), s.converged());
    }

    private UserExplanations view(int rawUser, ExplanationRun.UserResult r) {
        Map<String, Map<Integer, Optional<Explanation>>> out = new LinkedHashMap<>();
        for (var a : r.byAlgorithm().entrySet()) {
            Map<Integer, Optional<Explanation>> byK = new LinkedHashMap<>();
            for (var e : a.getValue().entrySet()) {
                byK.put(e.getKey(), e.getValue().map(c -> view(rawUser, a.getKey(), c)));
            }
            out.put(a.getKey(), byK);
        }
        return new UserExplanations(rawUser, view(r.influence()), out);
    }

    private Explanation view(int rawUser, String algorithm, CounterfactualExplanation c) {
        return new Explanation(
                algorithm,
                c.k(),
                rawUser,
                c.topK().stream().map(model.items()::raw).toList(),
                c.removed().stream().map(model.items()::raw).toList(),
                model.items().raw(c.replacement()),
                c.predictedScores(),
                c.predictedGap(),
                c.sentence(i -> "\"" + model.title(i) + "\""));
    }
}
