package io.accent.data;

import io.accent.core.ConfigException;
import java.nio.file.Path;

/** Settings of {@link SyntheticGenerator}: output directory, seed, number of users and of items. */
public record SyntheticConfig(Path outDir, long seed, int users, int items, boolean overwrite) {

    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_USERS = 300;
    public static final int DEFAULT_ITEMS = 400;

    public static final int MIN_USERS = 10;
    public static final int MAX_USERS = 20_000;
    public static final int MIN_ITEMS = 100;
    public static final int MAX_ITEMS = 20_000;

    /** A configuration that replaces only a synthetic directory accent wrote. */
    public SyntheticConfig(Path outDir, long seed, int users, int items) {
        this(outDir, seed, users, items, false);
    }

    public SyntheticConfig {
        if (users < MIN_USERS || users > MAX_USERS) {
            throw new ConfigException(
                    "--users " + users + " is out of range " + MIN_USERS + ".." + MAX_USERS);
        }
        if (items < MIN_ITEMS || items > MAX_ITEMS) {
            throw new ConfigException(
                    "--items " + items + " is out of range " + MIN_ITEMS + ".." + MAX_ITEMS);
        }
    }
}
