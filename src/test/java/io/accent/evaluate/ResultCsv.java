package io.accent.evaluate;

import io.accent.explain.ExplanationRow;
import java.util.List;
import java.util.stream.Collectors;

/** Writes evaluated result files as the reference does (test helper; Python literals by hand). */
final class ResultCsv {

    private ResultCsv() {}

    static final String HEADER =
            "user,item,topk,counterfactual,predicted_scores,replacement,actual_scores_0,"
                    + "actual_scores_1,actual_scores_2,actual_scores_3,actual_scores_4,"
                    + "actual_scores_avg\n";

    static String text(List<ExplanationRow> rows) {
        StringBuilder b = new StringBuilder(HEADER);
        for (ExplanationRow r : rows) {
            b.append(r.user()).append(',').append(r.item()).append(',');
            b.append(quoted("[", r.topK(), "]")).append(',');
            b.append(r.counterfactual().isEmpty() ? "" : quoted("{", r.counterfactual(), "}"));
            b.append(',');
            b.append(r.predictedScores().isEmpty() ? "" : quoted("[", r.predictedScores(), "]"));
            b.append(',').append(r.replacement());
            for (int i = 0; i < 5; i++) {
                b.append(',');
                if (i < r.actualScores().size() && !r.actualScores().get(i).isEmpty()) {
                    b.append(quoted("[", r.actualScores().get(i), "]"));
                }
            }
            b.append(',');
            b.append(r.actualScoresAvg().isEmpty() ? "" : quoted("[", r.actualScoresAvg(), "]"));
            b.append('\n');
        }
        return b.toString();
    }

    private static String quoted(String open, List<?> xs, String close) {
        String body = xs.stream().map(String::valueOf).collect(Collectors.joining(", "));
        // a one-element list has no comma and is not quoted, as with pandas' minimal quoting
        return xs.size() > 1 ? "\"" + open + body + close + "\"" : open + body + close;
    }
}
