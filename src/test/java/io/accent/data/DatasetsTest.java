package io.accent.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.accent.core.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry of known data sets and the checksum notation. */
class DatasetsTest {

    @Test
    void everyDataSetHasItsGroupLensUrlAndDigest() {
        assertEquals(
                List.of("ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-32m", "hetrec-2k"),
                Datasets.names());
        String base = "https://files.grouplens.org/datasets/movielens/";
        List<String[]> expected =
                List.of(
                        new String[] {"ml-100k", "0e33842e24a9c977be4e0107933c0723"},
                        new String[] {"ml-1m", "c4d9eecfca2ab87c1945afe126590906"},
                        new String[] {"ml-10m", "ce571fd55effeba0271552578f2648bd"},
                        new String[] {"ml-20m", "cd245b17a1ae2cc31bb14903e1204af3"},
                        new String[] {"ml-25m", "6b51fb2759a8657d3bfcbfc42b592ada"},
                        new String[] {"ml-32m", "d472be332d4daa821edc399621853b57"});
        for (String[] e : expected) {
            DatasetDescriptor d = Datasets.named(e[0]);
            assertEquals(e[0], d.name());
            assertEquals(base + e[0] + ".zip", d.url());
            assertEquals(Checksum.md5(e[1]), d.checksum().orElseThrow());
            assertTrue(d.license().contains(base + e[0] + "-README."), d.license());
            assertTrue(d.license().contains("redistributed"), d.license());
            assertTrue(d.citation().contains("Harper"), d.citation());
        }
        DatasetDescriptor h = Datasets.named("hetrec-2k");
        assertEquals(
                "https://files.grouplens.org/datasets/hetrec2011/hetrec2011-movielens-2k-v2.zip",
                h.url());
        assertTrue(h.checksum().isEmpty(), "no published digest, none invented");
        assertTrue(h.citation().contains("Cantador") && h.citation().contains("Kuflik"));
        assertTrue(h.citation().contains("Harper"), h.citation());
        assertTrue(h.license().contains("IMDb") && h.license().contains("Rotten Tomatoes"));
        for (String name : Datasets.names()) {
            for (String line : Datasets.named(name).license().lines().toList()) {
                assertTrue(line.length() <= 80 || line.matches("https://\\S+"), name + ": " + line);
            }
        }
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> Datasets.named("ml-2m"));
        assertEquals(
                "unknown data set 'ml-2m'; valid: ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m,"
                        + " hetrec-2k",
                e.getMessage());
    }

    @Test
    void checksumsReadAndWriteAlgorithmAndHex() {
        String md5 = "0e33842e24a9c977be4e0107933c0723";
        String sha = "ab".repeat(32);
        assertEquals(Checksum.md5(md5), Checksum.parse("md5:" + md5));
        assertEquals(Checksum.md5(md5), Checksum.parse("MD5:" + md5.toUpperCase()));
        assertEquals(Checksum.sha256(sha), Checksum.parse("sha256:" + sha));
        assertEquals(Checksum.sha256(sha), Checksum.parse("SHA-256:" + sha));
        assertEquals("sha256:" + sha, Checksum.sha256(sha).toString());
        assertEquals("md5:" + md5, Checksum.md5(md5).toString());
        for (String bad :
                List.of(md5, "md5:" + sha, "sha256:" + md5, "sha1:" + md5, "md5:xyz", "md5:")) {
            ConfigException e = assertThrows(ConfigException.class, () -> Checksum.parse(bad));
            assertEquals(
                    "checksum '"
                            + bad
                            + "' must be md5:HEX (32 hex digits) or sha256:HEX (64 hex digits)",
                    e.getMessage());
        }
        assertThrows(ConfigException.class, () -> new Checksum("SHA-1", md5));
    }
}
