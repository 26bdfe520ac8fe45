package io.accent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.accent.core.DataException;
import io.accent.core.Json;
import io.accent.data.IdMap;
import io.accent.model.ModelStore;
import io.accent.model.TrainedModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code accent score}: scores of given (user, item) pairs, for any model family. */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        description = {
            "Score (user, item) pairs with a model of any family.",
            "PAIRS is a CSV file with a header naming columns 'user' and 'item' (raw ids; other"
                    + " columns are ignored, e.g. rcf-test.csv's pos_item/neg_item need renaming).",
            "The output has the columns user, item, score, one row per input row, in input order."
        })
final class ScoreCommand implements Callable<Integer> {

    enum Format {
        csv,
        json
    }

    @Spec CommandSpec spec;

    @Mixin Options.Model modelOption;

    @Option(
            names = "--pairs",
            required = true,
            paramLabel = "FILE",
            description = "CSV file with user,item columns.")
    Path pairs;

    @Option(
            names = "--format",
            defaultValue = "csv",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format;

    @Mixin Options.Verbose verbose;

    @Override
    public Integer call() throws Exception {
        try (TrainedModel m = ModelStore.load(modelOption.dir)) {
            List<int[]> rows = read(pairs, m.users(), m.items());
            int[] u = new int[rows.size()];
            int[] i = new int[rows.size()];
            for (int k = 0; k < u.length; k++) {
                u[k] = rows.get(k)[0];
                i[k] = rows.get(k)[1];
            }
            float[] s = m.score(u, i);
            PrintWriter out = spec.commandLine().getOut();
            if (format == Format.csv) {
                out.println("user,item,score");
                for (int k = 0; k < u.length; k++) {
                    out.print(m.users().raw(u[k]));
                    out.print(',');
                    out.print(m.items().raw(i[k]));
                    out.print(',');
                    out.println(s[k]);
                }
            } else {
                ArrayNode a = Json.mapper().createArrayNode();
                for (int k = 0; k < u.length; k++) {
                    a.addObject()
                            .put("user", m.users().raw(u[k]))
                            .put("item", m.items().raw(i[k]))
                            .put("score", s[k]);
                }
                out.println(Json.mapper().writeValueAsString(a));
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The (dense user, dense item) of every data row; an unknown id or malformed row names its
     * line.
     */
    static List<int[]> read(Path file, IdMap users, IdMap items) {
        List<int[]> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new DataException(
                        file + ": empty file (a header with columns user,item is required)");
            }
            String[] cols = header.strip().split(",", -1);
            int uc = -1;
            int ic = -1;
            for (int c = 0; c < cols.length; c++) {
                String n = cols[c].strip();
                if (n.equals("user")) {
                    uc = c;
                } else if (n.equals("item")) {
                    ic = c;
                }
            }
            if (uc < 0 || ic < 0) {
                throw new DataException(
                        file
                                + " line 1: header must name columns 'user' and 'item', got '"
                                + header.strip()
                                + "'");
            }
            String line;
            int no = 1;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split(",", -1);
                if (f.length <= Math.max(uc, ic)) {
                    throw new DataException(
                            file
                                    + " line "
                                    + no
                                    + ": expected at least "
                                    + (Math.max(uc, ic) + 1)
                                    + " fields, got "
                                    + f.length);
                }
                int ru = parse(f[uc], file, no, "user");
                int ri = parse(f[ic], file, no, "item");
                out.add(
                        new int[] {
                            lookup(users, ru, file, no, "user"), lookup(items, ri, file, no, "item")
                        });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static int lookup(IdMap map, int raw, Path file, int line, String what) {
        var idx = map.index(raw);
        if (idx.isEmpty()) {
            throw new DataException(
                    file
                            + " line "
                            + line
                            + ": unknown "
                            + what
                            + " "
                            + raw
                            + " (not in the model's "
                            + what
                            + "s)");
        }
        return idx.getAsInt();
    }

    private static int parse(String s, Path file, int line, String what) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new DataException(
                    file + " line " + line + ": " + what + " '" + s + "' is not an integer id");
        }
    }
}
