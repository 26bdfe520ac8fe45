package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.data.IdMap;
import java.util.Arrays;

/** Parses user selections given by raw id. */
final class Users {

    private Users() {}

    /** A comma-separated list of raw user ids, as given. */
    static java.util.Set<Integer> rawIds(String spec, String option) {
        try {
            return Arrays.stream(spec.split(","))
                    .map(String::trim)
                    .map(Integer::valueOf)
                    .collect(
                            java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    option + " must be comma-separated raw user ids, got '" + spec + "'");
        }
    }

    /** "all" or a comma-separated list of raw user ids, as dense ids in the given order. */
    static int[] parse(String spec, IdMap users) {
        if (spec.trim().equalsIgnoreCase("all")) {
            int[] all = new int[users.size()];
            for (int u = 0; u < all.length; u++) {
                all[u] = u;
            }
            return all;
        }
        return rawIds(spec, "--users (or 'all')").stream()
                .mapToInt(raw -> users.require(raw, "user"))
                .toArray();
    }
}
