package io.accent.family;

import java.util.Objects;

/**
 * A command-line option that one model family declares for one of its jobs (training, influence,
 * evaluation). The CLI adds every family's options to the command and refuses, before the model is
 * loaded, an option that the model's family does not declare.
 *
 * @param name the option, with its dashes ({@code --solver})
 * @param paramLabel the value's label in help ({@code N}), or null for a flag without a value
 * @param defaultValue the value when the option is not given, as text, or null for none
 * @param description one sentence for {@code --help}; a default is appended by the CLI
 */
public record FamilyOption(
        String name, String paramLabel, String defaultValue, String description) {

    public FamilyOption {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("option names start with --: " + name);
        }
    }

    /** An option that takes a value. */
    public static FamilyOption value(
            String name, String paramLabel, String defaultValue, String description) {
        return new FamilyOption(
                name, Objects.requireNonNull(paramLabel), defaultValue, description);
    }

    /** An option without a value (on when given). */
    public static FamilyOption flag(String name, String description) {
        return new FamilyOption(name, null, null, description);
    }

    /** True for an option without a value. */
    public boolean isFlag() {
        return paramLabel == null;
    }
}
