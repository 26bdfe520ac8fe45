package io.accent.data;

import io.accent.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The data sets {@code accent data fetch} knows, by name: MovieLens 100K, 1M, 10M, 20M, 25M and 32M
 * and the HetRec 2011 MovieLens 2K extension, each with its GroupLens URL, the digest of its
 * archive and its terms of use and citation.
 *
 * <p>Where the digests come from. GroupLens publishes an MD5 file beside most archives ({@code
 * https://files.grouplens.org/datasets/movielens/<name>.zip.md5}, e.g. {@code MD5 (ml-20m.zip) =
 * cd245b17a1ae2cc31bb14903e1204af3}); this machine cannot reach GroupLens, so each value below was
 * taken from public code that pins it and checked to agree across independent sources:
 *
 * <ul>
 *   <li>ml-100k: the MD5 this project checked before it knew other data sets; the same value is in
 *       the table named next.
 *   <li>ml-1m, ml-10m, ml-20m, ml-25m: the MD5 table in github.com/eli-osherovich/papers_with_code,
 *       {@code datasets/movielens/dl_config.py}, which also gives ml-100k's MD5 above; the same
 *       values appear in many other repositories, several quoting GroupLens's {@code .zip.md5}
 *       files (for ml-10m and ml-20m verbatim).
 *   <li>ml-32m: public scripts that read GroupLens's {@code ml-32m.zip.md5} ("official checksum
 *       from https://files.grouplens.org/datasets/movielens/ml-32m.zip.md5"), and loaders pinning
 *       {@code md5:d472be332d4daa821edc399621853b57} (archive of 238,950,008 bytes).
 *   <li>hetrec-2k: no digest is published beside {@code hetrec2011-movielens-2k-v2.zip} and none
 *       was found pinned anywhere, so none is invented: fetching it needs a digest the user
 *       supplies ({@link DatasetDescriptor#withChecksum}, {@code --checksum} on the command line).
 * </ul>
 */
public final class Datasets {

    private Datasets() {}

    /** Where GroupLens publishes the MovieLens archives. */
    public static final String MOVIELENS_BASE = "https://files.grouplens.org/datasets/movielens/";

    /** Where GroupLens publishes the HetRec 2011 archives. */
    public static final String HETREC_BASE = "https://files.grouplens.org/datasets/hetrec2011/";

    /** Where GroupLens publishes HetRec 2011 MovieLens 2K. */
    public static final String HETREC_2K_URL = HETREC_BASE + "hetrec2011-movielens-2k-v2.zip";

    /** The MovieLens paper every MovieLens README asks users to cite. */
    public static final String MOVIELENS_CITATION =
            "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History"
                    + " and Context. ACM Transactions on Interactive Intelligent Systems (TiiS)"
                    + " 5, 4, Article 19. https://doi.org/10.1145/2827872";

    /** MovieLens 100K (1998): u.data, u.item, u.user... in ml-100k/. */
    public static final DatasetDescriptor MOVIELENS_100K =
            movieLens("ml-100k", "100K", "1998-04", "0e33842e24a9c977be4e0107933c0723", "txt");

    /** MovieLens 1M (2003): ratings.dat, movies.dat, users.dat. */
    public static final DatasetDescriptor MOVIELENS_1M =
            movieLens("ml-1m", "1M", "2003-02", "c4d9eecfca2ab87c1945afe126590906", "txt");

    /**
     * MovieLens 10M (2009): ratings.dat, movies.dat, tags.dat; the archive's folder is ml-10M100K.
     */
    public static final DatasetDescriptor MOVIELENS_10M =
            movieLens("ml-10m", "10M", "2009-01", "ce571fd55effeba0271552578f2648bd", "html");

    /** MovieLens 20M (2015, updated 2016): ratings.csv, movies.csv, tags.csv, links.csv, genome. */
    public static final DatasetDescriptor MOVIELENS_20M =
            movieLens("ml-20m", "20M", "2016-10", "cd245b17a1ae2cc31bb14903e1204af3", "html");

    /** MovieLens 25M (2019): ratings.csv, movies.csv, tags.csv, links.csv, genome. */
    public static final DatasetDescriptor MOVIELENS_25M =
            movieLens("ml-25m", "25M", "2019-12", "6b51fb2759a8657d3bfcbfc42b592ada", "html");

    /** MovieLens 32M (2024): ratings.csv, movies.csv, tags.csv, links.csv. */
    public static final DatasetDescriptor MOVIELENS_32M =
            movieLens("ml-32m", "32M", "2024-05", "d472be332d4daa821edc399621853b57", "html");

    /**
     * HetRec 2011 MovieLens 2K: MovieLens 10M users with ratings and tags, linked to IMDb and
     * Rotten Tomatoes; the archive holds its .dat files without a folder. No published digest.
     */
    public static final DatasetDescriptor HETREC_2K =
            new DatasetDescriptor(
                    "hetrec-2k",
                    "v2",
                    HETREC_2K_URL,
                    Optional.empty(),
                    """
                    HetRec 2011 MovieLens 2K was released at the 2nd Workshop on Information
                    Heterogeneity and Fusion in Recommender Systems (HetRec 2011, ACM RecSys
                    2011). It extends MovieLens 10M from GroupLens Research, University of
                    Minnesota, with movie data from IMDb and Rotten Tomatoes.
                    Terms of use:
                      * Its MovieLens part comes under the GroupLens terms: research use only;
                        no commercial use or redistribution without permission from GroupLens;
                        no implied endorsement by the University of Minnesota or GroupLens.
                      * The IMDb and Rotten Tomatoes data remain subject to those sites' terms.
                      * Publications that use it should cite the workshop and MovieLens (below).
                    Notes:
                    https://files.grouplens.org/datasets/hetrec2011/hetrec2011-movielens-readme.txt\
                    """,
                    "Ivan Cantador, Peter Brusilovsky and Tsvi Kuflik. 2011. 2nd Workshop on"
                            + " Information Heterogeneity and Fusion in Recommender Systems"
                            + " (HetRec 2011). In Proceedings of the 5th ACM Conference on"
                            + " Recommender Systems (RecSys 2011). ACM. And: "
                            + MOVIELENS_CITATION);

    private static final Map<String, DatasetDescriptor> BY_NAME = byName();

    private static Map<String, DatasetDescriptor> byName() {
        Map<String, DatasetDescriptor> m = new LinkedHashMap<>();
        for (DatasetDescriptor d :
                List.of(
                        MOVIELENS_100K,
                        MOVIELENS_1M,
                        MOVIELENS_10M,
                        MOVIELENS_20M,
                        MOVIELENS_25M,
                        MOVIELENS_32M,
                        HETREC_2K)) {
            m.put(d.name(), d);
        }
        return m;
    }

    /** The names of the known data sets, smallest MovieLens first. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The data set called {@code name}; an unknown name is refused with the list of valid ones. */
    public static DatasetDescriptor named(String name) {
        DatasetDescriptor d = BY_NAME.get(name);
        if (d == null) {
            throw new ConfigException(
                    "unknown data set '" + name + "'; valid: " + String.join(", ", names()));
        }
        return d;
    }

    /**
     * A MovieLens archive at GroupLens: {@code <name>.zip} with its MD5 and the terms of its README
     * ({@code <name>-README.txt} for the older sets, {@code .html} for the newer).
     */
    private static DatasetDescriptor movieLens(
            String name, String size, String version, String md5, String readme) {
        return new DatasetDescriptor(
                name,
                version,
                MOVIELENS_BASE + name + ".zip",
                Optional.of(Checksum.md5(md5)),
                ("""
                MovieLens %s is provided by GroupLens Research, University of Minnesota.
                Terms of use:
                  * It may be used for research purposes; no commercial or revenue-bearing use
                    without permission from GroupLens.
                  * Publications that use it must acknowledge the data set and cite
                    F. M. Harper and J. A. Konstan (2015), see the citation below.
                  * It may not be redistributed without separate permission from GroupLens.
                  * Users may not state or imply any endorsement from the University of
                    Minnesota or the GroupLens Research Group.
                Full terms: %s%s-README.%s\
                """)
                        .formatted(size, MOVIELENS_BASE, name, readme),
                MOVIELENS_CITATION);
    }
}
