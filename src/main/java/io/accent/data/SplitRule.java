package io.accent.data;

import io.accent.core.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of binarization, pruning and the temporal split (docs/SPEC.md §1.2), with the
 * reference's values as {@link #REFERENCE}: a rating of at least {@code positiveThreshold} stars is
 * positive, a user needs {@code minPositives} positives and {@code minNegatives} negatives, and the
 * latest {@code testShare} of each list is held out.
 */
public record SplitRule(
        double positiveThreshold, int minPositives, int minNegatives, double testShare) {

    /** The reference: rating ≥ 3 positive, at least 10 of each, the latest fifth held out. */
    public static final SplitRule REFERENCE = new SplitRule(3, 10, 10, 0.2);

    public SplitRule {
        if (!Double.isFinite(positiveThreshold)) {
            throw new ConfigException("positive threshold " + positiveThreshold + " is not finite");
        }
        if (minPositives < 1 || minNegatives < 1) {
            throw new ConfigException(
                    "--min-positives and --min-negatives must be at least 1, got "
                            + minPositives
                            + " and "
                            + minNegatives);
        }
        if (!(testShare >= 0 && testShare < 1)) {
            throw new ConfigException("--test-share " + testShare + " is not in [0, 1)");
        }
    }

    /**
     * How many of a list of {@code size} are held out: ⌊size · testShare⌋, computed as {@code size
     * / 5} for the reference's share so that it is exactly the reference's count.
     */
    int heldOut(int size) {
        if (testShare == 0.2) {
            return size / 5;
        }
        return (int) Math.floor(size * testShare + 1e-9);
    }

    /** The values as recorded in {@code dataset.json}. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("positiveThreshold", positiveThreshold);
        m.put("minPositives", minPositives);
        m.put("minNegatives", minNegatives);
        m.put("testShare", testShare);
        return m;
    }
}
