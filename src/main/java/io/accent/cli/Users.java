package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.data.PreparedDataset;
import java.util.Arrays;

/** Parses user selections given by raw id. */
final class Users {

    private Users() {}

    /** "all" or a comma-separated list of raw user ids, as dense ids in the given order. */
    static int[] parse(String spec, PreparedDataset d) {
        if (spec.trim().equalsIgnoreCase("all")) {
            int[] all = new int[d.users().size()];
            for (int u = 0; u < all.length; u++) {
                all[u] = u;
            }
            return all;
        }
        try {
            return Arrays.stream(spec.split(",")).map(String::trim).mapToInt(Integer::parseInt)
                    .map(raw -> d.users().require(raw, "user")).toArray();
        } catch (NumberFormatException e) {
            throw new ConfigException("--users must be 'all' or comma-separated raw user ids, got '" + spec + "'");
        }
    }
}
