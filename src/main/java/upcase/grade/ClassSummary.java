package upcase.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One row per submission of a class: its score and what failed; as a text table and as CSV. */
public record ClassSummary(List<Row> rows) {
    public ClassSummary {
        rows = List.copyOf(rows);
    }

    /**
     * @param score {@code 34}, or empty when it could not be graded
     * @param failed the ids of the checks it failed
     * @param note why it was not probed, or how it crashed; empty when nothing is to be said
     */
    public record Row(String submission, String score, String max, List<String> failed, String note) {
        public Row {
            failed = List.copyOf(failed);
        }

        public static Row of(Graded g) {
            ProgramRun run = g.program();
            String note = run == null ? "" : run.problem() != null ? "not probed: " + run.problem()
                    : run.crashed() ? "its program " + run.ending() : "";
            return new Row(g.submission(), Points.show(g.score()), Points.show(g.maxScore()),
                    g.failed().stream().map(o -> o.check().id()).toList(), note);
        }
    }

    /** Wide enough for two check ids, narrow enough to leave the note on the same screen line. */
    private static final int FAILED_WIDTH = 50;
    private static final List<String> HEADER = List.of("submission", "score", "max", "failed", "checks failed", "note");

    /** Aligned columns, for a person. */
    public String text() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            cells.add(List.of(r.submission(), r.score(), r.max(), String.valueOf(r.failed().size()),
                    shortList(r.failed()), r.note()));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                // numbers right-aligned, text left
                String cell = row.get(i);
                boolean number = i >= 1 && i <= 3;
                line.append(number ? " ".repeat(width[i] - cell.length()) + cell : cell + " ".repeat(width[i] - cell.length()));
                line.append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** The failed ids while they fit a column of {@value #FAILED_WIDTH}, then how many more: the CSV has them all. */
    private static String shortList(List<String> failed) {
        if (failed.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(failed.getFirst());
        int shown = 1;
        while (shown < failed.size() && out.length() + 1 + failed.get(shown).length() <= FAILED_WIDTH) {
            out.append(' ').append(failed.get(shown++));
        }
        return shown < failed.size() ? out + " +" + (failed.size() - shown) + " more" : out.toString();
    }

    /** RFC 4180 CSV: a header line, then one line per submission; the failed check ids separated by spaces. */
    public String csv() {
        StringBuilder out = new StringBuilder("submission,score,max_score,failed,checks_failed,note\r\n");
        for (Row r : rows) {
            out.append(List.of(r.submission(), r.score(), r.max(), String.valueOf(r.failed().size()),
                            String.join(" ", r.failed()), r.note()).stream()
                    .map(ClassSummary::field).collect(Collectors.joining(","))).append("\r\n");
        }
        return out.toString();
    }

    private static String field(String s) {
        return s.matches("[^\",\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
