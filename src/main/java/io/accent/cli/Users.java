package io.accent.cli;

import io.accent.data.IdMap;

/** Parses user selections given by raw id. */
final class Users {

    private Users() {}

    /**
     * A comma-separated list of raw user ids, in the order given; a user listed twice is refused
     * (as a k or an item listed twice is), a usage error like a value that is not an id.
     */
    static java.util.Set<Integer> rawIds(String spec, String option) {
        java.util.Set<Integer> ids = new java.util.LinkedHashSet<>();
        for (String s : spec.split(",", -1)) {
            int id;
            try {
                id = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(
                        option + " must be comma-separated raw user ids, got '" + spec + "'");
            }
            if (!ids.add(id)) {
                throw new UsageException(option + " lists user " + id + " twice");
            }
        }
        return ids;
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

    /** A seeded sample of {@code n} users ({@link io.accent.core.SeededSample} of the raw ids). */
    static int[] sample(IdMap users, int n, long seed) {
        return java.util.Arrays.stream(io.accent.core.SeededSample.of(users.rawIds(), n, seed))
                .map(raw -> users.require(raw, "user"))
                .toArray();
    }
}
