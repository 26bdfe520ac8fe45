package io.accent.data;

import io.accent.core.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A downloadable data set archive: name and version, where to get it, its MD5 digest (as published
 * by the provider) and the terms of use and citation to show the user.
 */
public record DatasetDescriptor(
        String name, String version, String url, String md5, String license, String citation) {

    /** Where GroupLens publishes MovieLens 100K. */
    public static final String MOVIELENS_100K_URL =
            "https://files.grouplens.org/datasets/movielens/ml-100k.zip";

    /** MovieLens 100K from GroupLens. */
    public static final DatasetDescriptor MOVIELENS_100K =
            new DatasetDescriptor(
                    "ml-100k",
                    "1998-04",
                    MOVIELENS_100K_URL,
                    "0e33842e24a9c977be4e0107933c0723",
                    """
                    MovieLens 100K is provided by GroupLens Research, University of Minnesota.
                    Terms of use:
                      * It may be used for research purposes; no commercial or revenue-bearing use
                        without permission from GroupLens.
                      * Publications that use it must acknowledge the data set and cite
                        F. M. Harper and J. A. Konstan (2015), see the citation below.
                      * It may not be redistributed without separate permission from GroupLens.
                      * Users may not state or imply any endorsement from the University of Minnesota
                        or the GroupLens Research Group.
                    Full terms: https://files.grouplens.org/datasets/movielens/ml-100k-README.txt\
                    """,
                    "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History"
                            + " and Context. ACM Transactions on Interactive Intelligent Systems (TiiS)"
                            + " 5, 4, Article 19. https://doi.org/10.1145/2827872");

    public DatasetDescriptor {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '" + name + "' must use only letters, digits, '.', '_', '-'");
        }
        if (!md5.matches("[0-9a-f]{32}")) {
            throw new ConfigException(
                    "MD5 of " + name + " must be 32 lower-case hex digits, got '" + md5 + "'");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException("URL of " + name + " is not valid: '" + url + "'", e);
        }
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null) {
            throw new ConfigException(
                    "URL of " + name + " must be an http(s) URL, got '" + url + "'");
        }
    }

    /** This descriptor with the archive downloaded from {@code newUrl} instead (same MD5). */
    public DatasetDescriptor withUrl(String newUrl) {
        return new DatasetDescriptor(name, version, newUrl, md5, license, citation);
    }

    /** The archive's file name: the last path segment of the URL. */
    public String fileName() {
        String path = URI.create(url).getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? name + ".zip" : last;
    }
}
