package io.accent.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.accent.core.AtomicFiles;
import io.accent.core.ConfigException;
import io.accent.core.DataException;
import io.accent.core.Json;
import io.accent.explain.ExplanationRow;
import io.accent.model.ModelFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the retrained scores of an evaluated result file mean: the model family, the fingerprint of
 * the model retrained, R retrains per set and their length (NCF: Adam steps of the warm start,
 * docs/SPEC.md §7.1; RCF: the model's epochs from scratch, §7.2). Rows verified under different
 * protocols must not share a file, and files verified under different protocols must not be
 * compared. {@code evaluate} (and {@code explain --verify}, whose rows carry retrained scores too)
 * records the protocol of each file it writes in a sidecar beside it, {@code
 * {algo}_{k}.protocol.json}: when a file gets rows of a new protocol, its record is removed before
 * the file is rewritten and written after it (atomically), so every verified row of a file was made
 * under its recorded protocol, and a killed run leaves at worst an unknown one. The retrain order
 * version, the batch size and the checkpoints are not part of it (they give other samples of the
 * same retrains, or extra report figures only).
 *
 * @param family {@code ncf} or {@code rcf}
 * @param modelFingerprint the full fingerprint of the model ({@link ModelFingerprint})
 * @param retrains R, retrains per set
 * @param unit what {@code length} counts: {@code steps} (NCF, MF), {@code epochs} (RCF) or {@code
 *     iterations} (ALS, in the spark module)
 * @param length the length of each retrain
 */
public record EvaluationProtocol(
        String family, String modelFingerprint, int retrains, String unit, long length) {

    /** What the sidecar of {@code {algo}_{k}.csv} is named after {@code {algo}_{k}}. */
    public static final String SUFFIX = ".protocol.json";

    private static final int FORMAT = 1;

    /** The training-length units: Adam steps (NCF, MF), epochs (RCF), ALS iterations (als). */
    private static final List<String> UNITS = List.of("steps", "epochs", "iterations");

    public EvaluationProtocol {
        if (!UNITS.contains(unit)) {
            throw new IllegalArgumentException("unit " + unit);
        }
    }

    /** One line for messages, e.g. {@code ncf model 0123456789abcdef, 5 retrains of 100 steps}. */
    public String describe() {
        return family
                + " model "
                + ModelFingerprint.shortForm(modelFingerprint)
                + ", "
                + retrains
                + (retrains == 1 ? " retrain of " : " retrains of ")
                + length
                + " "
                + unit;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** The sidecar of a result file: {@code accent_5.csv} has {@code accent_5.protocol.json}. */
    public static Path sidecar(Path file) {
        Path abs = file.toAbsolutePath();
        String name = abs.getFileName().toString();
        return abs.resolveSibling(
                (name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name) + SUFFIX);
    }

    /** The protocol recorded for {@code file} in its sidecar, if any. */
    public static Optional<EvaluationProtocol> recorded(Path file) {
        Path sidecar = sidecar(file);
        if (!Files.isRegularFile(sidecar)) {
            return Optional.empty();
        }
        JsonNode o;
        try {
            o = Json.mapper().readTree(sidecar.toFile());
        } catch (IOException e) {
            throw new DataException("cannot read " + sidecar + ": " + AtomicFiles.reason(e));
        }
        String unit =
                o == null ? "epochs" : UNITS.stream().filter(o::has).findFirst().orElse("epochs");
        if (o == null
                || o.path("format").asInt(-1) != FORMAT
                || !o.path("family").isTextual()
                || !o.path("model_fingerprint").isTextual()
                || !o.path("retrains").canConvertToInt()
                || !o.path(unit).canConvertToLong()) {
            throw new DataException(
                    sidecar
                            + " is not an evaluation protocol record (format "
                            + FORMAT
                            + " with family, model_fingerprint, retrains and steps, epochs or iterations)");
        }
        return Optional.of(
                new EvaluationProtocol(
                        o.get("family").asText(),
                        o.get("model_fingerprint").asText(),
                        o.get("retrains").asInt(),
                        unit,
                        o.get(unit).asLong()));
    }

    /**
     * Refuses a run over some rows (a user selection) of a file that holds rows verified under
     * another protocol (exit 2, naming both), or under an unknown one (rows verified before the
     * protocol was recorded). A run over every row rewrites them all under this protocol, so it is
     * always accepted (the earlier retrains stay in the cache: rerunning with their protocol gives
     * the earlier file back without retraining). Files without verified rows are always accepted.
     *
     * @param everyRow whether the run verifies every row (no user selection)
     */
    public void requireCompatible(Map<Path, List<ExplanationRow>> files, boolean everyRow) {
        if (everyRow) {
            return;
        }
        for (Map.Entry<Path, List<ExplanationRow>> e : files.entrySet()) {
            if (e.getValue().stream().noneMatch(EvaluationProtocol::verified)) {
                continue;
            }
            Optional<EvaluationProtocol> was = recorded(e.getKey());
            if (was.isPresent() && !was.get().equals(this)) {
                throw new ConfigException(
                        e.getKey()
                                + " holds rows evaluated with "
                                + was.get().describe()
                                + ", not with this run's "
                                + describe()
                                + "; rerun with that protocol, or without --users/--sample to"
                                + " re-evaluate every row with this one");
            }
            if (was.isEmpty()) {
                throw new ConfigException(
                        e.getKey()
                                + " holds rows evaluated before evaluate recorded its protocol"
                                + " (unknown protocol, no "
                                + sidecar(e.getKey()).getFileName()
                                + "); rerun evaluate without --users/--sample to re-evaluate every"
                                + " row with "
                                + describe());
            }
        }
    }

    /**
     * Before {@code files} are rewritten with rows of this protocol: removes the record of each
     * file that has none of this protocol, so that a run killed while it rewrites the files leaves
     * them with an unknown protocol (refused to a partial run) rather than with a wrong one.
     *
     * @return the files whose record is to be written ({@link #record}) once they are rewritten
     */
    public List<Path> unrecord(Collection<Path> files) {
        List<Path> out = new java.util.ArrayList<>();
        for (Path f : files) {
            Optional<EvaluationProtocol> was;
            try {
                was = recorded(f);
            } catch (DataException e) {
                was = Optional.empty(); // unreadable: replaced below
            }
            if (was.isPresent() && was.get().equals(this)) {
                continue;
            }
            try {
                Files.deleteIfExists(sidecar(f));
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot remove " + sidecar(f) + ": " + AtomicFiles.reason(e), e);
            }
            out.add(f);
        }
        return out;
    }

    /** Records this protocol in the sidecar of each of {@code files}, atomically. */
    public void record(Collection<Path> files) {
        for (Path f : files) {
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("format", FORMAT)
                    .put("file", f.getFileName().toString())
                    .put("family", family)
                    .put("model_fingerprint", modelFingerprint)
                    .put("retrains", retrains)
                    .put(unit, length);
            try {
                AtomicFiles.writeString(sidecar(f), Json.mapper().writeValueAsString(o));
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
        }
    }

    /** Whether a row carries retrained scores. */
    static boolean verified(ExplanationRow r) {
        return !r.actualScoresAvg().isEmpty()
                || r.actualScores().stream().anyMatch(a -> !a.isEmpty());
    }
}
