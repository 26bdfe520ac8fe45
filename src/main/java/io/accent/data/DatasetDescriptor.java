package io.accent.data;

import io.accent.core.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * A downloadable data set archive: name and version, where to get it, the digest the archive must
 * have (empty when no trustworthy digest is published: such an archive is fetched only with a
 * digest the caller supplies, see {@link #withChecksum}) and the terms of use and citation to show
 * the user. The archive's files are extracted into a directory named after {@link #name()}; the
 * data sets this project knows are listed in {@link Datasets}.
 */
public record DatasetDescriptor(
        String name,
        String version,
        String url,
        Optional<Checksum> checksum,
        String license,
        String citation) {

    public DatasetDescriptor {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new ConfigException(
                    "data set name '" + name + "' must use only letters, digits, '.', '_', '-'");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new ConfigException("data set name must not be '" + name + "'");
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

    /** This descriptor with the archive downloaded from {@code newUrl} instead (same checksum). */
    public DatasetDescriptor withUrl(String newUrl) {
        return new DatasetDescriptor(name, version, newUrl, checksum, license, citation);
    }

    /**
     * This descriptor expecting {@code expected} instead of its own checksum: an archive from a
     * mirror, or one for which no digest is published.
     */
    public DatasetDescriptor withChecksum(Checksum expected) {
        return new DatasetDescriptor(name, version, url, Optional.of(expected), license, citation);
    }

    /** The archive's file name: the last path segment of the URL. */
    public String fileName() {
        String path = URI.create(url).getPath();
        String last = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? name + ".zip" : last;
    }
}
