package io.accent.cli;

import io.accent.core.ConfigException;
import io.accent.family.Families;
import io.accent.family.Family;
import io.accent.family.FamilyOption;
import io.accent.family.OptionValues;
import io.accent.model.ModelMetadata;
import io.accent.modelio.ModelStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The options that model families declare ({@link Family#influenceOptions()} and the others): added
 * to the commands from the registry, and checked against the model's family from {@code model.json}
 * before the model is loaded.
 */
final class FamilyOptions {

    /** Which of a family's jobs a command runs. */
    enum Job {
        INFLUENCE(Family::influenceOptions, (f, v) -> f.influence(v, 1)),
        EVALUATION(Family::evaluationOptions, Family::retraining);

        final Function<Family, List<FamilyOption>> declared;

        /** Parses a family's values for this job (a bad value throws a ConfigException). */
        final java.util.function.BiConsumer<Family, OptionValues> parse;

        Job(
                Function<Family, List<FamilyOption>> declared,
                java.util.function.BiFunction<Family, OptionValues, ?> parse) {
            this.declared = declared;
            this.parse = parse::apply;
        }
    }

    /** The model's metadata, its family, and the values given for that family's options. */
    record Selected(ModelMetadata metadata, Family family, OptionValues values) {}

    private FamilyOptions() {}

    /**
     * Adds the options of {@code job} that any family declares to {@code spec}, once per name; the
     * help of an option that not every family declares starts with the families that do.
     */
    static void install(CommandSpec spec, Job job) {
        Map<String, List<Family>> by = new LinkedHashMap<>();
        Map<String, FamilyOption> first = new LinkedHashMap<>();
        for (Family f : Families.all()) {
            for (FamilyOption o : job.declared.apply(f)) {
                by.computeIfAbsent(o.name(), x -> new ArrayList<>()).add(f);
                first.putIfAbsent(o.name(), o);
            }
        }
        int all = Families.all().size();
        for (FamilyOption o : first.values()) {
            List<Family> fs = by.get(o.name());
            String prefix = fs.size() == all ? "" : names(fs) + " only: ";
            spec.addOption(spec(o, prefix));
        }
    }

    /** The picocli option for {@code o}, its help starting with {@code prefix}. */
    static OptionSpec spec(FamilyOption o, String prefix) {
        String d = o.description();
        String text =
                prefix.isEmpty() ? d : prefix + Character.toLowerCase(d.charAt(0)) + d.substring(1);
        if (o.defaultValue() != null) {
            text = text.replaceAll("\\.$", "") + " (default: " + o.defaultValue() + ").";
        }
        OptionSpec.Builder b = OptionSpec.builder(o.name()).description(text);
        if (o.isFlag()) {
            b.type(boolean.class).arity("0");
        } else {
            b.type(String.class).paramLabel(o.paramLabel());
        }
        return b.build();
    }

    /**
     * Reads the model's {@code model.json} only (the model is not loaded yet), refuses options that
     * the model's family does not declare for {@code job} (one line naming the families that do),
     * and returns the family with the values given for its options.
     */
    static Selected check(CommandSpec spec, Path modelDir, Job job) {
        ParseResult given = spec.commandLine().getParseResult();
        precheck(given, job);
        ModelMetadata meta = ModelStore.readMetadata(modelDir);
        Family family = Families.of(meta);
        ParseResult pr = spec.commandLine().getParseResult();
        List<String> mine = job.declared.apply(family).stream().map(FamilyOption::name).toList();
        for (Family other : Families.all()) {
            for (FamilyOption o : job.declared.apply(other)) {
                if (!mine.contains(o.name()) && pr.hasMatchedOption(o.name())) {
                    List<Family> declaring =
                            Families.all().stream()
                                    .filter(
                                            f ->
                                                    job.declared.apply(f).stream()
                                                            .anyMatch(
                                                                    x -> x.name().equals(o.name())))
                                    .toList();
                    throw new ConfigException(
                            o.name()
                                    + " applies to "
                                    + names(declaring)
                                    + " models only; the model is an "
                                    + family.displayName()
                                    + " model");
                }
            }
        }
        return new Selected(meta, family, values(pr, job.declared.apply(family)));
    }

    /**
     * Checks the values of the family options given, before anything is read: when no family that
     * declares all of them accepts their values, the first family's complaint is a usage error (so
     * {@code --solver nope} fails the same way whatever the model).
     */
    private static void precheck(ParseResult pr, Job job) {
        List<String> given = new ArrayList<>();
        for (Family f : Families.all()) {
            for (FamilyOption o : job.declared.apply(f)) {
                if (pr.hasMatchedOption(o.name()) && !given.contains(o.name())) {
                    given.add(o.name());
                }
            }
        }
        if (given.isEmpty()) {
            return;
        }
        ConfigException first = null;
        for (Family f : Families.all()) {
            List<FamilyOption> declared = job.declared.apply(f);
            if (!declared.stream().map(FamilyOption::name).toList().containsAll(given)) {
                continue;
            }
            try {
                job.parse.accept(f, values(pr, declared));
                return;
            } catch (ConfigException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw new UsageException(first.getMessage());
        }
    }

    /** The names of the options of {@code job} that any family declares. */
    static List<String> names(Job job) {
        List<String> out = new ArrayList<>();
        for (Family f : Families.all()) {
            for (FamilyOption o : job.declared.apply(f)) {
                if (!out.contains(o.name())) {
                    out.add(o.name());
                }
            }
        }
        return out;
    }

    /** The values given on the command line for {@code options}. */
    static OptionValues values(ParseResult pr, List<FamilyOption> options) {
        Map<String, String> given = new LinkedHashMap<>();
        for (FamilyOption o : options) {
            if (pr.hasMatchedOption(o.name())) {
                given.put(
                        o.name(),
                        o.isFlag()
                                ? "true"
                                : String.valueOf((Object) pr.matchedOptionValue(o.name(), "")));
            }
        }
        return new OptionValues(given);
    }

    /**
     * Runs {@code parse}, a family's parsing of its option values, turning a bad value into a usage
     * error.
     */
    static <T> T parse(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String names(List<Family> fs) {
        return String.join(", ", fs.stream().map(Family::displayName).toList());
    }
}
