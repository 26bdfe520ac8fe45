package io.accent.evaluate;

import io.accent.core.ConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic share of the distinct (user, set) pairs of an evaluation: shard {@code index} of
 * {@code count} takes the sets at positions p ≡ index − 1 (mod count) of the sorted list of set
 * identifiers, so the n shards of the same files and options partition the sets, differ in size by
 * at most one, and do not depend on the machine, the cache or the batch size. Shards only fill the
 * retrain cache; a run over all shards ({@link #ALL}) writes the result files.
 *
 * @param index 1..count
 * @param count number of shards
 */
public record Shard(int index, int count) {

    /** The whole evaluation. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new ConfigException(
                    "a shard is i/n with 1 <= i <= n, got " + index + "/" + count);
        }
    }

    /** Parses "i/n". */
    public static Shard parse(String text) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(
                        Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("--shard must be i/n (e.g. 2/4), got '" + text + "'");
    }

    /** Whether this is the whole evaluation. */
    public boolean all() {
        return count == 1;
    }

    /** This shard's elements of {@code sorted} (the distinct sets in identifier order). */
    public <T> List<T> select(List<T> sorted) {
        List<T> out = new ArrayList<>();
        for (int p = index - 1; p < sorted.size(); p += count) {
            out.add(sorted.get(p));
        }
        return out;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
