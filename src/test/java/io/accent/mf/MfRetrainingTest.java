package io.accent.mf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.accent.core.ConfigException;
import io.accent.core.Progress;
import io.accent.data.Ratings;
import io.accent.evaluate.RetrainJob;
import io.accent.evaluate.Retraining;
import io.accent.evaluate.RetrainingSetup;
import io.accent.family.OptionValues;
import io.accent.model.TrainedModel;
import io.accent.modelio.ModelStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MF's retraining for the evaluation: warm start, removal, seeds and checkpoints. */
class MfRetrainingTest {

    @Test
    void retrainsAreWarmStartsWithoutTheRemovedRatingsAndCheckpointsAreEarlierEnds() {
        try (TrainedModel m = ModelStore.load(MfTestModels.small())) {
            MfModel mf = (MfModel) m;
            Ratings train = mf.data().train();
            int u = 4;
            int[] rows = train.rowsOf(u);
            Set<Integer> removed = Set.of(train.item(rows[0]), train.item(rows[1]));
            int[] items = {0, 1, 2, 3, 4, 5};
            int[] users = new int[items.length];
            java.util.Arrays.fill(users, u);
            RetrainingSetup setup =
                    new MfFamily()
                            .retraining(
                                    new OptionValues(
                                            Map.of("--steps", "60", "--checkpoints", "25")));
            float[][][] got;
            try (Retraining r = setup.open(m, 1)) {
                assertEquals("mf-", r.cachePrefix());
                assertEquals(60, r.budget());
                assertArrayEquals(new long[] {25}, r.checkpoints());
                assertEquals(1, r.seed(1));
                assertArrayEquals(m.scoreAll(u), r.referenceScores(u));
                got =
                        r.run(
                                List.of(
                                        new RetrainJob(u, removed, 0),
                                        new RetrainJob(u, removed, 1),
                                        new RetrainJob(u, Set.of(), 0)),
                                1,
                                new int[][] {items, items, items},
                                Progress.NONE);
            }
            assertEquals(2, got.length);
            MfConfig base = MfConfig.fromMap(m.metadata().config());
            for (int mark = 0; mark < 2; mark++) {
                long steps = mark == 0 ? 25 : 60;
                for (int job = 0; job < 3; job++) {
                    long seed = job == 1 ? 1 : 0;
                    Ratings data = job == 2 ? train : train.without(u, removed);
                    MfTrainer t = new MfTrainer(base.withSteps(steps).withSeed(seed), 1);
                    MfTrainer.Outcome o =
                            t.train(
                                    m.metadata().numUsers(),
                                    m.metadata().numItems(),
                                    data,
                                    m.parameters(),
                                    new long[0],
                                    (s, g) -> {},
                                    Progress.NONE);
                    float[] want =
                            t.score(
                                    m.metadata().numUsers(),
                                    m.metadata().numItems(),
                                    o.state(),
                                    users,
                                    items);
                    assertArrayEquals(want, got[mark][job], "mark " + mark + " job " + job);
                }
            }
            assertFalse(java.util.Arrays.equals(got[1][0], got[1][2]), "the removal matters");
        }
    }

    @Test
    void checkpointsMustLieInsideTheRetrain() {
        assertThrows(
                ConfigException.class,
                () ->
                        new MfFamily()
                                .retraining(
                                        new OptionValues(
                                                Map.of("--steps", "60", "--checkpoints", "60"))));
    }
}
