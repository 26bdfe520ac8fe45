package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preparation of the real MovieLens 100K + RCF files (docs/SPEC.md §1). The expected SHA-256 values
 * are those of the authors' reference files (hieptk/accent: NCF/data/movielens_train.tsv,
 * RCF/data/train.csv, RCF/data/test.csv), which this preparation reproduces byte for byte. Skipped
 * when {@code ../shared/data} (relative to the project directory) is absent.
 */
class MovieLensPreparationTest {

    static final Path SHARED = Path.of("..", "shared", "data");
    static final String NCF_TRAIN_SHA256 =
            "d8b9766bd7bca94aaeb6c9e114b260c8dffb917063d5bdfc8c3cb4a505c9e396";
    static final String RCF_TRAIN_SHA256 =
            "070379a2861e0307c6a5fc933f963a0d212090477ffcb116fb33ef016563f5fd";
    static final String RCF_TEST_SHA256 =
            "167993be2eeeba1428ba2879587e8e6907a3d8ef1d887421158b4170b52212bb";

    @TempDir static Path tmp;
    static PreparationSummary summary;
    static Path out;

    @BeforeAll
    static void prepare() {
        boolean present =
                Files.isRegularFile(SHARED.resolve("ml-100k/u.data"))
                        && Files.isRegularFile(SHARED.resolve("ml-100k/u.item"))
                        && Files.isRegularFile(SHARED.resolve("rcf/auxiliary-mapping.txt"))
                        && Files.isRegularFile(SHARED.resolve("rcf/relational_data.csv"));
        Assumptions.assumeTrue(
                present,
                "MovieLens 100K not found under "
                        + SHARED.toAbsolutePath()
                        + "; skipping the real-data preparation tests");
        out = tmp.resolve("prepared");
        summary =
                DatasetPreparation.prepare(
                        new PrepareConfig(
                                SHARED.resolve("ml-100k"), SHARED.resolve("rcf"), out, "ml-100k"),
                        Progress.NONE);
    }

    @Test
    void countsMatchTheSpecification() {
        assertEquals(452, summary.users());
        assertEquals(1600, summary.ncfItems());
        assertEquals(61_054, summary.ncfTrainRows());
        assertEquals(48_590, summary.rcfTrainTriples());
        assertEquals(99_342, summary.rcfTestPairs());
        assertEquals(1654, summary.rcfItems());
        assertEquals(97_209, summary.relationalRows());
    }

    @Test
    void filesAreByteIdenticalToTheReference() {
        assertEquals(NCF_TRAIN_SHA256, Digests.sha256(out.resolve(PreparedDataset.NCF_TRAIN)));
        assertEquals(RCF_TRAIN_SHA256, Digests.sha256(out.resolve(PreparedDataset.RCF_TRAIN)));
        assertEquals(RCF_TEST_SHA256, Digests.sha256(out.resolve(PreparedDataset.RCF_TEST)));
        assertEquals(NCF_TRAIN_SHA256, summary.fingerprint());
    }

    @Test
    void loadsBack() {
        PreparedDataset d = PreparedDataset.load(out);
        assertEquals("ml-100k", d.name());
        assertEquals(NCF_TRAIN_SHA256, d.fingerprint());
        assertEquals(452, d.users().size());
        assertEquals(1600, d.items().size());
        assertEquals(61_054, d.train().size());
        assertEquals(452, d.train().userCount());
        assertEquals(1600, d.train().itemCount());
        assertEquals(summary.ncfTestRows(), d.heldOut().size());
        // first row of the reference file: "81\t298\t5\t879022858"
        assertEquals(81, d.train().user(0));
        assertEquals(298, d.train().item(0));
        assertEquals(5f, d.train().rating(0));
        assertEquals(879022858L, d.train().timestamp(0));
        assertEquals("Toy Story (1995)", d.title(d.items().require(1, "item")));
        assertEquals(
                "unknown user 99999: not among the 452 users of ml-100k",
                org.junit.jupiter.api.Assertions.assertThrows(
                                io.accent.core.DataException.class,
                                () -> d.users().require(99999, "user"))
                        .getMessage());
        // held-out rows never repeat a training (user, item)
        java.util.Set<Long> train = new java.util.HashSet<>();
        for (int k = 0; k < d.train().size(); k++) {
            train.add(((long) d.train().user(k) << 32) | d.train().item(k));
        }
        for (int k = 0; k < d.heldOut().size(); k++) {
            assertTrue(!train.contains(((long) d.heldOut().user(k) << 32) | d.heldOut().item(k)));
        }
        RcfDataset r = RcfDataset.load(out);
        assertEquals(1654, r.items().size());
        assertEquals(48_590, r.train().size());
        assertEquals(List.of("genre", "director", "actor"), r.attributes().kinds());
        assertEquals(26, r.attributes().vocabularySize(0));
        assertEquals(1154, r.attributes().vocabularySize(1));
        assertEquals(3946, r.attributes().vocabularySize(2));
        assertEquals(48_509, r.relational().count(MovieAttributes.GENRE));
    }

    @Test
    void shippedRelationalDataSatisfiesTheInvariantsOfTheSpecification() {
        RcfDataset r = RcfDataset.load(out);
        assertEquals(48_521, RelationalInvariants.check(r.train(), r.relational(), r.attributes()));
    }

    @Test
    void preparationIsDeterministic() throws IOException {
        Path again = tmp.resolve("again");
        DatasetPreparation.prepare(
                new PrepareConfig(
                        SHARED.resolve("ml-100k"), SHARED.resolve("rcf"), again, "ml-100k"),
                Progress.NONE);
        List<String> names;
        try (var s = Files.list(out)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        try (var s = Files.list(again)) {
            assertEquals(names, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(11, names.size(), names.toString()); // ten files and the output marker
        for (String n : names) {
            assertArrayEquals(
                    Files.readAllBytes(out.resolve(n)), Files.readAllBytes(again.resolve(n)), n);
        }
    }
}
